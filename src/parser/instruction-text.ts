import type { Instruction } from "dockerfile-ast";
import type { SourceInstruction } from "./document.js";

export interface CommandForm {
  form: "shell" | "exec" | "heredoc";
  /** Shell form: the command line with continuations joined and inner comment lines removed. */
  shell: string;
  /** Exec form: the JSON argv. */
  argv: string[];
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
  let rest = text.replace(/^\s*\S+/, "");
  const continuation = new RegExp(`^[ \\t]*(?:${escape === "\\" ? "\\\\" : escape}\\r?\\n[ \\t]*)?`);
  for (;;) {
    rest = rest.replace(continuation, "").replace(/^[ \t]+/, "");
    const flag = /^--\S+/.exec(rest);
    if (!flag) break;
    rest = rest.slice(flag[0].length);
  }
  return rest.replace(/^\s+/, "");
}

export function commandFromText(raw: string, escape: string): CommandForm {
  const trimmed = raw.trim();
  if (trimmed.startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === "string")) {
        return { form: "exec", shell: parsed.join(" "), argv: parsed as string[] };
      }
    } catch {
      /* not valid JSON: Docker runs it in shell form */
    }
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
