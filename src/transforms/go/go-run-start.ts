import { posix } from "node:path";
import { composeBindMounts, composeCommands } from "../../analysis/compose.js";
import { isOfficialImage } from "../../analysis/image-ref.js";
import type { Facts } from "../../analysis/facts.js";
import { quoteShellWord, tokenize } from "../../parser/shell.js";
import { execForm } from "../common/exec-form.js";
import { goCommandWords, leadingAssignments } from "../../analysis/commands.js";

/** `go run` flags that take a value (`-tags netgo`); `-exec` and `-C` change what runs or where, and are not rewritten. */
const valueFlags = new Set(["-tags", "-ldflags", "-gcflags", "-asmflags", "-mod", "-modfile", "-overlay", "-pgo", "-p", "-toolexec"]);

export interface GoRunBuild {
  keyword: "ENTRYPOINT" | "CMD";
  /** 0-based first line and line count of the start instruction. */
  line: number;
  lines: number;
  build: string;
  start: string;
  binary: string;
  /** The original's `go run …` words, for messages. */
  original: string;
  /** The original's own `go build` of the same program, whose binary the runtime starts instead of building it again. */
  reuses?: string;
}

/**
 * A start command that compiles with `go run` when the container starts (`CMD ["go", "run", "main.go"]`,
 * `go run . --port 8080`) on an official golang image: the same program can be built in the image
 * instead, `go build` with the same flags and targets, and started as a binary. Undefined when the
 * command is not that plain (shell syntax, `-exec`, `-C`, no target), or compose bind-mounts sources
 * over the working directory (then go run compiles the mounted code: a development set-up), or a compose
 * command runs the go tool itself.
 */
export function goRunBuild(facts: Facts): GoRunBuild | undefined {
  if (!isOfficialImage(facts.resolvedImage, "golang")) return undefined;
  // sources bind-mounted over the working directory: go run compiles the mounted code, a development set-up
  const workdir = facts.finalWorkdir.replace(/\/$/, "");
  if (composeBindMounts(facts.context).some((m) => { const t = m.target.replace(/\/$/, ""); return t === workdir || workdir.startsWith(`${t}/`); })) return undefined;
  // compose runs the go tool itself in place of the start command (`command: go run main.go`): the runtime would not have it
  if (composeCommands(facts.context).some((c) => c.key !== "test" && /(^|[\s"'[,;&|])go["']?\s*,?\s*["']?(run|build|test|install)\b/.test(c.text))) return undefined;
  const keyword = facts.entrypoint ? "ENTRYPOINT" : "CMD";
  const command = facts.entrypoint ?? facts.cmd;
  if (!command || command.form === "heredoc") return undefined;
  if (command.form === "shell" && /[$`&|;<>(){}*?~\\]/.test(command.shell)) return undefined;
  const argv = command.form === "exec" ? command.argv : tokenize(command.shell);
  if (!/^(\/usr\/local\/go\/bin\/)?go$/.test(argv[0] ?? "") || argv[1] !== "run") return undefined;
  let k = 2;
  const flags: string[] = [];
  while (k < argv.length && argv[k]!.startsWith("-")) {
    const flag = argv[k]!;
    const name = flag.replace(/^--/, "-").split("=")[0]!;
    if (name === "-exec" || name === "-C" || name === "-o") return undefined;
    flags.push(flag);
    if (valueFlags.has(name) && !flag.includes("=")) flags.push(argv[++k] ?? "");
    k++;
  }
  const files: string[] = [];
  while (k < argv.length && argv[k]!.endsWith(".go")) files.push(argv[k++]!);
  const targets = files.length > 0 ? files : argv[k] !== undefined ? [argv[k++]!] : [];
  if (targets.length === 0) return undefined;
  const rest = argv.slice(k);
  const base = files.length > 0 ? files[0]!.replace(/\.go$/, "") : targets[0] === "." ? facts.finalWorkdir : targets[0]!;
  const name = posix.basename(base).replace(/[^\w.-]/g, "") || "app";
  const binary = `/usr/local/bin/${name === "go" ? "app" : name}`;
  const entry = [...facts.body].reverse().find((e) => e.keyword === keyword)!;
  const own = ownBuildOfSameProgram(facts, flags, targets);
  if (own) return { keyword, line: entry.ins.startLine, lines: entry.ins.text.split(/\r?\n/).length, build: "", start: `${keyword} ${execForm([own.binary, ...rest])}`, binary: own.binary, original: argv.join(" "), reuses: own.text };
  return {
    keyword,
    line: entry.ins.startLine,
    lines: entry.ins.text.split(/\r?\n/).length,
    build: `RUN go build ${[...flags, "-o", binary, ...targets].map(quoteShellWord).join(" ")}`,
    start: `${keyword} ${execForm([binary, ...rest])}`,
    binary,
    original: argv.join(" "),
  };
}

/**
 * The original's own `go build` in the working directory, with the same flags, of the same program `go run`
 * compiles (the same targets, or `main.go` for `.` when it is the directory's only Go file, the context
 * copied there whole), named by `-o` or by its file: its binary is the program the runtime starts.
 */
function ownBuildOfSameProgram(facts: Facts, flags: readonly string[], targets: readonly string[]): { binary: string; text: string } | undefined {
  const workdir = facts.finalWorkdir;
  const copiedWhole = facts.body.some((e) => e.copy && !e.copy.fromImage && e.copy.sources.every((src) => /^\.?\/?$/.test(src)) && posix.resolve(workdir, e.copy.dest) === posix.resolve(workdir));
  const topGoFiles = facts.context.list().filter((p) => !p.includes("/") && p.endsWith(".go") && !p.endsWith("_test.go"));
  const same = (built: readonly string[]) => built.join(" ") === targets.join(" ") || (copiedWhole && topGoFiles.length === 1 && topGoFiles[0] === "main.go" && [built.join(" "), targets.join(" ")].sort().join("|") === ".|main.go");
  for (const entry of facts.body) {
    for (const segment of entry.run?.segments ?? []) {
      const words = goCommandWords(segment.argv);
      if (words[0] !== "go" || words[1] !== "build" || segment.cwd !== workdir || Object.keys(leadingAssignments(segment.argv)).some((v) => /^GO(OS|ARCH|FLAGS)$/.test(v))) continue;
      const built: string[] = [];
      const buildFlags: string[] = [];
      let output: string | undefined;
      for (let k = 2; k < words.length; k++) {
        const word = words[k]!;
        if (word === "-o") output = words[++k];
        else if (word.startsWith("-o=")) output = word.slice(3);
        else if (word.startsWith("-")) {
          buildFlags.push(word);
          if (valueFlags.has(word) && !word.includes("=")) buildFlags.push(words[++k] ?? "");
        } else built.push(word);
      }
      if (buildFlags.join(" ") !== flags.join(" ") || !same(built) || (output === undefined && !built[0]?.endsWith(".go"))) continue;
      const name = output ?? built[0]!.replace(/\.go$/, "");
      if (/[$\s]/.test(name) || name.endsWith("/")) continue;
      return { binary: posix.resolve(workdir, name), text: segment.text.trim() };
    }
  }
  return undefined;
}

/** The Dockerfile text with the binary built before the start instruction, which now starts it (same line count plus one; the same count when the original builds it). */
export function withGoRunBuilt(text: string, plan: GoRunBuild, eol: string): string {
  const lines = text.split(/\r?\n/);
  lines.splice(plan.line, plan.lines, ...(plan.reuses ? [] : [plan.build]), plan.start, ...Array<string>(plan.lines - 1).fill(""));
  return lines.join(eol);
}
