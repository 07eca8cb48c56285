import { posix } from "node:path";
import { globMatches } from "../common/manifest-first.js";
import { goCommandWords, leadingAssignments } from "../../analysis/commands.js";
import type { ClassifiedSegment } from "../../analysis/facts.js";
import type { SourceLayout } from "./layout.js";

const valueFlags = new Set(["o", "ldflags", "gcflags", "asmflags", "tags", "mod", "modfile", "p", "buildmode", "compiler", "installsuffix", "pkgdir", "toolexec", "overlay", "pgo", "C", "gccgoflags", "exec", "coverpkg", "covermode"]);

export interface GoBuildStep {
  verb: "build" | "install";
  flags: Record<string, string | true>;
  /** Variables assigned on the command itself (`CGO_ENABLED=1 go build`). */
  env: Record<string, string>;
  packages: string[];
  /** Absolute paths of the binaries it writes (several for `go install ./...`). */
  outputs: string[];
  /** Context directories of the packages it compiles (main packages and patterns). */
  packageDirs: string[];
  /** `go install module@version`: a tool, not the application. */
  tool?: { path: string; version: string };
  /** Whether msb could name every binary (false: a pattern or package it could not see). */
  complete: boolean;
}

/** The last element of an import path, skipping a major-version suffix (`example.com/x/v2` → `x`), as Go names binaries. */
export function importPathBinaryName(importPath: string): string {
  const parts = importPath.split("/").filter(Boolean);
  const last = parts[parts.length - 1] ?? "app";
  return /^v\d+$/.test(last) && parts.length > 1 ? parts[parts.length - 2]! : last;
}

/** Reads a `go build` / `go install` command the way the go tool does; undefined for other commands. */
export function parseGoBuild(segment: ClassifiedSegment, layout: SourceLayout): GoBuildStep | undefined {
  const words = goCommandWords(segment.argv);
  if (words[0] !== "go" || (words[1] !== "build" && words[1] !== "install")) return undefined;
  const verb = words[1];
  const flags: Record<string, string | true> = {};
  const packages: string[] = [];
  for (let i = 2; i < words.length; i++) {
    const word = words[i]!;
    if (word === "--") continue;
    if (word.startsWith("-")) {
      const [name = "", value] = word.replace(/^--?/, "").split(/=(.*)/s);
      if (value !== undefined) flags[name] = value;
      else if (valueFlags.has(name)) flags[name] = words[++i] ?? "";
      else flags[name] = true;
    } else {
      packages.push(word);
    }
  }
  const env = leadingAssignments(segment.argv);
  const step: GoBuildStep = { verb, flags, env, packages, outputs: [], packageDirs: [], complete: true };
  const cwd = typeof flags["C"] === "string" ? posix.resolve(segment.cwd, flags["C"]) : segment.cwd;
  const args = packages.length > 0 ? packages.flatMap((word) => shellGlobFiles(word, cwd, layout, segment.text) ?? [word]) : ["."];

  const tool = args.length === 1 ? /^([^@\s]+)@(\S+)$/.exec(args[0]!) : null;
  if (tool && !tool[1]!.startsWith(".")) {
    step.tool = { path: tool[1]!, version: tool[2]! };
    if (verb === "install") step.outputs.push(posix.join(env["GOBIN"] ?? layout.gobin, importPathBinaryName(tool[1]!)));
    return step;
  }
  // an import path outside these sources (a dependency pre-built, or a tool at the version go.mod pins)
  const external = args.length === 1 && !/^[./]/.test(args[0]!) && !args[0]!.endsWith(".go") && !args[0]!.includes("...") && layout.localDirOfImport(args[0]!) === undefined;
  if (external) {
    step.tool = { path: args[0]!, version: "" };
    if (verb === "install") step.outputs.push(posix.join(env["GOBIN"] ?? layout.gobin, importPathBinaryName(args[0]!)));
    return step;
  }

  const mains: { name: string; dir?: string }[] = [];
  if (args.every((a) => a.endsWith(".go"))) {
    const dir = layout.contextDirOf(posix.resolve(cwd, posix.dirname(args[0]!)));
    if (dir !== undefined) step.packageDirs.push(dir);
    mains.push({ name: posix.basename(args[0]!, ".go") });
  } else {
    for (const arg of args) {
      const found = layout.mainPackages(arg, cwd);
      if (!found) {
        step.complete = false;
        continue;
      }
      step.packageDirs.push(...found.dirs);
      mains.push(...found.mains);
    }
  }

  const out = flags["o"];
  const single = mains.length === 1 && args.length === 1 && !args[0]!.includes("...");
  if (typeof out === "string" && out !== "") {
    const resolved = posix.resolve(cwd, out);
    if (out.endsWith("/") || layout.isDirectory(resolved)) step.outputs.push(...mains.map((m) => posix.join(resolved, m.name)));
    else if (mains.length <= 1 && step.complete) step.outputs.push(resolved);
    else step.outputs.push(resolved);
  } else if (verb === "install") {
    step.outputs.push(...mains.map((m) => posix.join(env["GOBIN"] ?? layout.gobin, m.name)));
  } else if (single) {
    // go build of one main package writes it to the current directory; of several, it only checks they compile
    step.outputs.push(posix.join(cwd, mains[0]!.name));
  }
  return step;
}

/**
 * The Go files an unquoted shell glob names (`go build -o app cmd/web/*`): the shell expands it before
 * go runs, in sorted order. Undefined for a word that is no glob, a quoted one, or one msb cannot see into.
 */
function shellGlobFiles(word: string, cwd: string, layout: SourceLayout, text: string): string[] | undefined {
  if (!/[*?[]/.test(word) || word.includes("...") || quotedIn(text, word)) return undefined;
  const dir = posix.dirname(word);
  const contextDir = layout.contextDirOf(posix.resolve(cwd, dir));
  if (contextDir === undefined) return undefined;
  const pattern = posix.basename(word);
  const files = layout.index.files(contextDir).map((f) => posix.basename(f.path)).filter((name) => globMatches(pattern, name)).sort();
  return files.length > 0 ? files.map((name) => (dir === "." ? name : `${dir}/${name}`)) : undefined;
}

/** Whether a command line quotes the word (`"cmd/*"`), so the shell passes it on as written. */
export function quotedIn(text: string, word: string): boolean {
  return text.includes(`"${word}"`) || text.includes(`'${word}'`);
}
