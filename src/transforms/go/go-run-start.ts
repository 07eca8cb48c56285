import { posix } from "node:path";
import { composeBindMounts, composeCommands } from "../../analysis/compose.js";
import { isOfficialImage } from "../../analysis/image-ref.js";
import type { Facts } from "../../analysis/facts.js";
import { quoteShellWord, tokenize } from "../../parser/shell.js";
import { execForm } from "../common/exec-form.js";

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

/** The Dockerfile text with the binary built before the start instruction, which now starts it (same line count plus one). */
export function withGoRunBuilt(text: string, plan: GoRunBuild, eol: string): string {
  const lines = text.split(/\r?\n/);
  lines.splice(plan.line, plan.lines, plan.build, plan.start, ...Array<string>(plan.lines - 1).fill(""));
  return lines.join(eol);
}
