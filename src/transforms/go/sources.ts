import { posix } from "node:path";
import type { BuildContext } from "../../analysis/context.js";
import { appendTo } from "../common/multimap.js";

/** One non-test Go file that a linux build compiles, reduced to what msb reasons about. */
export interface GoFile {
  path: string;
  /** Context directory of its package ("" for the root). */
  dir: string;
  packageName: string;
  imports: string[];
  /** `import "C"`: the package needs cgo. */
  importsC: boolean;
  /** `#cgo` directives in the preamble (flags and libraries it links). */
  cgoDirectives: string[];
  /** String literals in the code (comments excluded). */
  literals: string[];
  /** Patterns of `//go:embed` directives. */
  embeds: string[];
  /** It declares the package-level `func main()`. */
  declaresMain: boolean;
  /** It calls runtime.Caller, whose file paths are the build's: -trimpath would change them. */
  usesCaller: boolean;
  /** Relative paths the code creates or writes (os.Create, os.MkdirAll, a SQLite database file). */
  writes: { path: string; isDir: boolean }[];
  /** Names of constants or variables passed where a file is written (`ioutil.WriteFile(constants.FILE, …)`). */
  writeNames: { name: string; isDir: boolean }[];
  /** String constants and variables the file declares (`const FILE = "subscribers.json"`). */
  constants: Record<string, string>;
  /** It starts commands whose names it computes (`exec.Command(task.Command)`): any program of the image may be run. */
  runsComputedCommand: boolean;
  /** It creates or writes files at paths it computes (`os.MkdirAll(cfg.LogDir, …)`). */
  computedWrites: boolean;
  /** It opens a SQLite database at a path it computes (`sql.Open("sqlite3", cfg.DatabasePath)`): a database file it reads is one it writes. */
  opensComputedSqlite: boolean;
  /** Certificate and key files named where TLS is served (`ListenAndServeTLS("./tls/cert.pem", "./tls/key.pem")`). */
  tlsFiles: string[];
  /** Extensions appended to a name computed at run time (`os.Open(banner + ".txt")`): files of that kind are opened. */
  appendedExtensions: string[];
}

const writeCalls: { re: RegExp; isDir: boolean }[] = [
  { re: /\b(?:os|ioutil)\.(?:Create|WriteFile|OpenFile)\(\s*"([^"]+)"/g, isDir: false },
  { re: /\b(?:os\.Mkdir|os\.MkdirAll)\(\s*"([^"]+)"/g, isDir: true },
  { re: /\bos\.(?:Remove|RemoveAll|Rename)\(\s*"([^"]+)"/g, isDir: false },
  // uploads saved by fiber's c.SaveFile and gin's c.SaveUploadedFile: the directory of the destination's literal head
  { re: /\.Save(?:Uploaded)?File\(\s*[^,()]+,\s*(?:fmt\.Sprintf\(\s*)?"((?:\.\/)?(?:[\w.-]+\/)+)/g, isDir: true },
  { re: /\bsql(?:x)?\.(?:Open|Connect)\(\s*"sqlite3?"\s*,\s*"([^"]+)"/g, isDir: false },
  { re: /\bsqlite\.Open\(\s*"([^"]+)"/g, isDir: false },
  // gorm v1: gorm.Open("sqlite3", "app.db")
  { re: /\bgorm\.Open\(\s*"sqlite3?"\s*,\s*"([^"]+)"/g, isDir: false },
];

const namedWriteCalls: { re: RegExp; isDir: boolean }[] = [
  { re: /\b(?:os|ioutil)\.(?:Create|WriteFile|OpenFile|Remove|Rename)\(\s*(?:[A-Za-z_]\w*\.)?([A-Za-z_]\w*)\s*[,)]/g, isDir: false },
  { re: /\bos\.(?:Mkdir|MkdirAll)\(\s*(?:[A-Za-z_]\w*\.)?([A-Za-z_]\w*)\s*[,)]/g, isDir: true },
  // fiber's c.SaveFile(file, location) with `location := "./upload/" + name`
  { re: /\.Save(?:Uploaded)?File\(\s*[^,()]+,\s*([A-Za-z_]\w*)\s*\)/g, isDir: false },
];

const otherSystems = "windows|darwin|freebsd|netbsd|openbsd|plan9|solaris|js|wasip1|wasip2|ios|android|aix|dragonfly|illumos|zos|hurd";
const knownSystems = new Set([...otherSystems.split("|"), "linux", "unix"]);
const architectures = new Set(["386", "amd64", "arm", "arm64", "loong64", "mips", "mipsle", "mips64", "mips64le", "ppc64", "ppc64le", "riscv64", "s390x", "wasm"]);
const systemSuffix = new RegExp(`_(${otherSystems})(_[a-z0-9]+)?\\.go$`);

export interface GoSourceIndex {
  /** Context directories holding buildable Go files, sorted. */
  readonly dirs: readonly string[];
  /** The buildable files of the package in that directory, parsed on first use. */
  files(dir: string): GoFile[];
}

/** The Go packages of the context that `go build` compiles for linux with these tags (coarse: any architecture). */
export function goSourceIndex(context: BuildContext, tags: readonly string[]): GoSourceIndex {
  const byDir = new Map<string, string[]>();
  for (const path of context.list()) {
    if (!path.endsWith(".go") || path.endsWith("_test.go") || systemSuffix.test(posix.basename(path))) continue;
    if (path.split("/").some((part) => part === "testdata" || part === "vendor" || /^[._]/.test(part))) continue;
    const dir = posix.dirname(path) === "." ? "" : posix.dirname(path);
    appendTo(byDir, dir, path);
  }
  const parsed = new Map<string, GoFile[]>();
  return {
    dirs: [...byDir.keys()].sort(),
    files(dir) {
      let files = parsed.get(dir);
      if (!files) {
        files = (byDir.get(dir) ?? []).flatMap((path) => {
          const text = context.read(path);
          const file = text === undefined ? undefined : parseGoFile(path, text, tags);
          return file ? [file] : [];
        });
        parsed.set(dir, files);
      }
      return files;
    },
  };
}

export function parseGoFile(path: string, text: string, tags: readonly string[]): GoFile | undefined {
  const { code, comments, literals } = scan(text);
  // a struct tag's default (`env:"DATAFILE_PATH" default:"assets/config/config.json"`) is a path the program opens unless configured
  for (const literal of [...literals]) for (const m of literal.matchAll(/(?:^|\s)(?:default|env-default|envDefault)\s*:\s*"([^"]+)"/g)) literals.push(m[1]!);
  const packageMatch = /^[ \t]*package\s+([A-Za-z_]\w*)/m.exec(code);
  if (!packageMatch) return undefined;
  const header = comments.filter((c) => c.offset < packageMatch.index).map((c) => c.text);
  if (!constraintsHold(header, tags)) return undefined;
  const imports: string[] = [];
  for (const block of code.matchAll(/^import\s*\(([\s\S]*?)\)/gm)) {
    for (const m of block[1]!.matchAll(/(?:^|\n)\s*(?:[\w.]+\s+)?"([^"]+)"/g)) imports.push(m[1]!);
  }
  for (const m of code.matchAll(/^import\s+(?:[\w.]+\s+)?"([^"]+)"/gm)) imports.push(m[1]!);
  const importsC = imports.includes("C");
  const cgoDirectives = importsC ? comments.flatMap((c) => c.text.split("\n")).map((l) => l.replace(/^\s*(\/\/|\/\*|\*)?\s*/, "")).filter((l) => l.startsWith("#cgo ")) : [];
  const embeds = comments.filter((c) => c.text.startsWith("//go:embed ")).flatMap((c) => c.text.slice("//go:embed ".length).trim().split(/\s+/)).map((p) => p.replace(/^"|"$/g, "").replace(/^all:/, ""));
  const writes = writeCalls.flatMap(({ re, isDir }) => [...code.matchAll(re)].map((m) => ({ path: m[1]!.replace(/^file:/, "").replace(/\?.*$/, ""), isDir })));
  const writeNames = namedWriteCalls.flatMap(({ re, isDir }) => [...code.matchAll(re)].map((m) => ({ name: m[1]!, isDir })));
  // `file := "logs/" + date + ".log"` keeps its literal head: the directory the program writes into
  const constants = Object.fromEntries([...code.matchAll(/^[ \t]*(?:const\s+|var\s+)?([A-Za-z_]\w*)\s*(?:string\s*)?:?=\s*"([^"]*)"/gm)].map((m) => [m[1]!, m[2]!]));
  const usesCaller = imports.includes("runtime") && text.includes("runtime.Caller");
  const declaresMain = /^func\s+main\s*\(\s*\)/m.test(code);
  const appendedExtensions = [...new Set([...code.matchAll(/[\w)\]]\s*\+\s*"(\.[A-Za-z0-9]{1,8})"/g)].map((m) => m[1]!))].filter((e) => e !== ".go");
  const tlsFiles = [...code.matchAll(/\b(?:ListenAndServeTLS|ServeTLS|RunTLS|StartTLS|LoadX509KeyPair)\(([^()]*)\)/g)].flatMap((m) => [...m[1]!.matchAll(/"([^"]+)"/g)].map((l) => l[1]!)).filter((l) => /\.(pem|crt|cert|key)$/.test(l));
  const runsComputedCommand = /\bexec\.Command\(\s*[^"\s)]/.test(code) || /\bexec\.CommandContext\(\s*[^,()]+,\s*[^"\s)]/.test(code);
  const computedWrites = /\b(?:os|ioutil)\.(?:Create|WriteFile|OpenFile|Mkdir|MkdirAll)\(\s*[^"\s)]/.test(code);
  const opensComputedSqlite = /\b(?:sqlx?\.(?:Open|Connect)|gorm\.Open)\(\s*"sqlite3?"\s*,\s*[^"\s)]|\bsqlite\.Open\(\s*[^"\s)]/.test(code);
  return { path, dir: posix.dirname(path) === "." ? "" : posix.dirname(path), packageName: packageMatch[1]!, imports: imports.filter((i) => i !== "C"), importsC, cgoDirectives, literals, embeds, declaresMain, usesCaller, runsComputedCommand, computedWrites, opensComputedSqlite, writes, writeNames, constants, tlsFiles, appendedExtensions };
}

/** Whether `//go:build` / `// +build` lines allow a linux build with cgo and the given tags. */
function constraintsHold(header: string[], tags: readonly string[]): boolean {
  const satisfied = (tag: string) => {
    if (tag === "linux" || tag === "unix" || tag === "cgo" || tag === "gc" || /^go1\.\d+$/.test(tag) || architectures.has(tag)) return true;
    if (knownSystems.has(tag) || tag === "ignore" || tag === "gccgo") return false;
    return tags.includes(tag);
  };
  const goBuild = header.find((l) => /^\/\/go:build\s/.test(l));
  if (goBuild) return evaluate(goBuild.slice("//go:build".length), satisfied);
  for (const line of header.filter((l) => /^\/\/\s*\+build\s/.test(l))) {
    const options = line.replace(/^\/\/\s*\+build\s+/, "").trim().split(/\s+/);
    const ok = options.some((option) => option.split(",").every((t) => (t.startsWith("!") ? !satisfied(t.slice(1)) : satisfied(t))));
    if (!ok) return false;
  }
  return true;
}

/** A `//go:build` expression: `||`, `&&`, `!`, parentheses, tags. Malformed: true (the file is kept). */
function evaluate(expression: string, satisfied: (tag: string) => boolean): boolean {
  const tokens = expression.match(/\|\||&&|!|\(|\)|[\w.]+/g) ?? [];
  let i = 0;
  const or = (): boolean => {
    let value = and();
    while (tokens[i] === "||") {
      i++;
      value = and() || value;
    }
    return value;
  };
  const and = (): boolean => {
    let value = not();
    while (tokens[i] === "&&") {
      i++;
      value = not() && value;
    }
    return value;
  };
  const not = (): boolean => {
    if (tokens[i] === "!") {
      i++;
      return !not();
    }
    if (tokens[i] === "(") {
      i++;
      const value = or();
      i++;
      return value;
    }
    return satisfied(tokens[i++] ?? "");
  };
  try {
    return or();
  } catch {
    return true;
  }
}

/** Splits Go source into code with comments blanked, the comments (with offsets) and string literal values. */
function scan(text: string): { code: string; comments: { offset: number; text: string }[]; literals: string[] } {
  let code = "";
  const comments: { offset: number; text: string }[] = [];
  const literals: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === "/" && next === "/") {
      const end = text.indexOf("\n", i);
      const stop = end < 0 ? text.length : end;
      comments.push({ offset: code.length, text: text.slice(i, stop).replace(/\r$/, "") });
      code += " ".repeat(stop - i);
      i = stop;
    } else if (c === "/" && next === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end < 0 ? text.length : end + 2;
      const body = text.slice(i, stop);
      comments.push({ offset: code.length, text: body });
      code += body.replace(/[^\n]/g, " ");
      i = stop;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let value = "";
      while (j < text.length && text[j] !== c && text[j] !== "\n") {
        if (text[j] === "\\") {
          value += unescape(text[j + 1] ?? "");
          j += 2;
        } else {
          value += text[j];
          j++;
        }
      }
      if (c === '"') literals.push(value);
      code += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === "`") {
      const end = text.indexOf("`", i + 1);
      const stop = end < 0 ? text.length : end;
      literals.push(text.slice(i + 1, stop));
      code += text.slice(i, stop + 1);
      i = stop + 1;
    } else {
      code += c;
      i++;
    }
  }
  return { code, comments, literals };
}

function unescape(c: string): string {
  return ({ n: "\n", t: "\t", r: "\r", "\\": "\\", '"': '"', "'": "'" } as Record<string, string>)[c] ?? c;
}
