import { posix } from "node:path";
import type { BuildContext } from "../analysis/context.js";
import { contextFileAt } from "../analysis/copied-file.js";
import type { Facts } from "../analysis/facts.js";
import { startInstruction } from "../analysis/start-command.js";
import { unusable } from "../errors.js";

/**
 * Rejects (exit 2) an exec-form start command whose program is a script from the build context that
 * the kernel cannot run: no `#!` line (execve fails with "exec format error"; Docker does not fall
 * back to a shell), or a `#!` line ending in a carriage return (the interpreter "/bin/sh\r" does not
 * exist). Not when a build step rewrites or generates the file.
 */
export function rejectUnrunnableStartScript(facts: Facts, context: BuildContext): void {
  const { keyword, line } = startInstruction(facts);
  const start = facts.entrypoint ?? facts.cmd;
  const program = start?.form === "exec" ? start.argv[0] : undefined;
  if (!program || !program.includes("/") || program.includes("$")) return;
  const path = posix.resolve(facts.finalWorkdir, program);
  const file = contextFileAt(facts, context, path);
  if (!file) return;
  const name = posix.basename(file);
  if (facts.body.some((e) => e.run?.segments.some((segment) => segment.argv[0] !== "chmod" && segment.text.includes(name)))) return;
  const head = (context.read(file) ?? "").slice(0, 200);
  if (head.startsWith("\u007fELF")) return;
  if (!head.startsWith("#!")) {
    throw unusable(`line ${line}: ${keyword} runs ${program}, a script with no #! line, which the container cannot execute ("exec format error"); add #!/bin/sh as its first line, or write ${keyword} ["sh", "${program}"]`);
  }
  if (/^#![^\n]*\r\n/.test(head)) {
    throw unusable(`line ${line}: ${keyword} runs ${program}, whose #! line ends in a carriage return (Windows line endings), so the interpreter it names does not exist and the container cannot start; convert ${file} to LF line endings`);
  }
}
