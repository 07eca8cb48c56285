import type { Facts } from "./facts.js";
import { commandWords } from "./commands.js";
import { tokenize } from "../parser/shell.js";

/**
 * The words of the command the container starts: the ENTRYPOINT's, else the CMD's, with leading
 * `VAR=value` assignments and `env` dropped; a shell form is split into words as the shell would.
 * Empty when the image sets neither.
 */
export function startCommandWords(facts: Pick<Facts, "entrypoint" | "cmd">): string[] {
  const start = facts.entrypoint ?? facts.cmd;
  if (!start) return [];
  return commandWords(start.form === "exec" ? start.argv : tokenize(start.shell));
}

/** `bash`, `/bin/sh -l`: a shell started with no command or script, waiting for input. */
export function isInteractiveShell(argv: readonly string[]): boolean {
  const [program, ...rest] = argv;
  return /^(sh|bash|ash|zsh|dash)$/.test(program?.split("/").pop() ?? "") && rest.every((w) => /^-[il]+$|^--login$/.test(w));
}

/**
 * The instruction that starts the container, for messages: ENTRYPOINT when the image sets one, else
 * CMD, with the 1-based line of its last occurrence (the one that counts); line 1 when there is none.
 */
export function startInstruction(facts: Pick<Facts, "entrypoint" | "body">): { keyword: "ENTRYPOINT" | "CMD"; line: number } {
  const keyword = facts.entrypoint ? "ENTRYPOINT" : "CMD";
  const line = [...facts.body].reverse().find((e) => e.keyword === keyword)?.ins.startLine ?? 0;
  return { keyword, line: line + 1 };
}
