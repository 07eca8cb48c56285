import type { Instruction } from "dockerfile-ast";
import type { SourceInstruction } from "./document.js";

export interface CommandForm {
  form: "shell" | "exec" | "heredoc";
  /** Shell form: the command line with continuations joined and inner comment lines removed. */
  shell: string;
  /** Exec form: the JSON argv. */
  argv: string[];
}

/** The shell script a command runs: its shell form, or the script of an exec-form `sh -c SCRIPT` (sh, bash, ash or dash, by name or path). */
export function shellScriptOf(command: CommandForm): string | undefined {
  if (command.form === "shell") return command.shell;
  const argv = command.argv;
  return /^(sh|bash|ash|dash)$/.test(argv[0]?.split("/").pop() ?? "") && argv[1] === "-c" ? argv[2] ?? "" : undefined;
}

/** The command of a RUN, CMD, ENTRYPOINT or HEALTHCHECK CMD, as the shell or exec form would run it. */
export function commandOf(ins: SourceInstruction, escape: string): CommandForm {
  return commandFromText(rawArguments(ins.text, escape), escape);
}

/**
 * The arguments of an instruction as written (continuations and inner comments included), after
 * the keyword and any `--flag` words. Cheaper than asking dockerfile-ast, which re-tokenises.
 */
export function rawArguments(text: string, escape: string): string {
  return splitFlags(text, escape).rest;
}

const continuations = new Map<string, RegExp>();

/** The `--name=value` flags after an instruction's keyword, and the arguments after them. */
export function splitFlags(text: string, escape: string): { flags: string[]; rest: string } {
  let continuation = continuations.get(escape);
  if (!continuation) {
    continuation = new RegExp(`^[ \\t]*(?:${escape === "\\" ? "\\\\" : escape}\\r?\\n[ \\t]*)?`);
    continuations.set(escape, continuation);
  }
  let rest = text.replace(/^\s*\S+/, "");
  const flags: string[] = [];
  for (;;) {
    rest = rest.replace(continuation, "").replace(/^[ \t]+/, "");
    const flag = /^--\S+/.exec(rest);
    if (!flag) break;
    flags.push(flag[0]);
    rest = rest.slice(flag[0].length);
  }
  return { flags, rest: rest.replace(/^\s+/, "") };
}

export function commandFromText(raw: string, escape: string): CommandForm {
  const trimmed = raw.trim();
  if (trimmed.startsWith("[")) {
    const parsed = leadingJsonArray(trimmed) ?? leadingJsonArray(joinContinuations(raw, escape).trim());
    if (parsed) return { form: "exec", shell: parsed.join(" "), argv: parsed };
    // not a JSON array of strings: Docker runs it in shell form
  }
  if (/^<<-?["']?\w+/.test(trimmed)) return { form: "heredoc", shell: trimmed, argv: [] };
  return { form: "shell", shell: joinContinuations(raw, escape), argv: [] };
}

/** The arguments of an instruction after its flags, as written. */
export function argumentsText(node: Instruction): string {
  const withRaw = node as Instruction & { getRawArgumentsContent?: () => string | null };
  const raw = typeof withRaw.getRawArgumentsContent === "function" ? withRaw.getRawArgumentsContent() : node.getArgumentsContent();
  return raw ?? "";
}

export function joinContinuations(raw: string, escape: string): string {
  const lines = raw.split(/\r?\n/);
  const out: string[] = [];
  lines.forEach((line, i) => {
    if (i > 0 && /^\s*#/.test(line)) return;
    const trimmedEnd = line.replace(/\s+$/, "");
    out.push(trimmedEnd.endsWith(escape) ? trimmedEnd.slice(0, -escape.length) : line);
  });
  return out.join(" ").replace(/\s+/g, " ").trim();
}

/**
 * The JSON array of strings at the start of `text`, as BuildKit reads the exec form: it decodes the
 * first JSON value and ignores what follows, so `CMD ["app", "run"] # note` runs ["app", "run"]
 * (proven with Docker's BuildKit and buildah). Undefined when the text does not start with one.
 */
function leadingJsonArray(text: string): string[] | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === "[") {
      depth++;
    } else if (c === "]" && --depth === 0) {
      try {
        const parsed: unknown = JSON.parse(text.slice(0, i + 1));
        return Array.isArray(parsed) && parsed.every((x) => typeof x === "string") ? (parsed as string[]) : undefined;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
