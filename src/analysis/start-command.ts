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
