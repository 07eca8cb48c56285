import { Keyword } from "dockerfile-ast";
import type { Facts } from "../analysis/facts.js";
import { unusable } from "../errors.js";

const debianOfficial = new Set(["python", "node", "golang", "debian", "ubuntu", "buildpack-deps", "nginx"]);

/** The /bin/sh an image's RUN steps use, where the image says: BusyBox ash on Alpine, dash on Debian and Ubuntu. */
function plainShell(image: Facts["resolvedImage"]): string | undefined {
  if (/(^|[-_./])alpine/.test(image.tag) || /(^|[-_/])alpine($|[-_])/.test(image.name)) return "BusyBox ash";
  if (["", "docker.io", "index.docker.io"].includes(image.registry) && debianOfficial.has(image.name)) return "dash";
  return undefined;
}

/** Offset of the first `<(` or `>(` outside quotes and arithmetic `$((…))`, or -1. */
export function processSubstitutionAt(command: string): number {
  let quote: "'" | '"' | null = null;
  let arithmetic = 0;
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === "\\") { i++; continue; }
    if (c === "'" || c === '"') { quote = c; continue; }
    if (command.startsWith("$((", i)) { arithmetic++; i += 2; continue; }
    if (arithmetic > 0) {
      if (command.startsWith("))", i)) { arithmetic--; i++; }
      continue;
    }
    if ((c === "<" || c === ">") && command[i + 1] === "(" && command[i - 1] !== c) return i;
  }
  return -1;
}

/** `<(…)` as written when short, else its first words. */
function excerptAt(command: string, at: number): string {
  const inner = command.slice(at + 2).split(")")[0]!.trim();
  return `${command.slice(at, at + 2)}${inner.length <= 40 ? inner : `${inner.slice(0, 40).replace(/\s+\S*$/, "")} …`})`;
}

/**
 * Rejects (exit 2) a shell-form RUN that uses bash's process substitution (`pip install -r <(uv export)`)
 * on an image whose /bin/sh is dash or BusyBox ash: both stop at the `(` with a syntax error, so the
 * original cannot build. A SHELL instruction or a RUN that replaces /bin/sh leaves the shell unknown.
 */
export function rejectProcessSubstitution(facts: Facts): void {
  const shell = plainShell(facts.resolvedImage);
  if (!shell) return;
  for (const entry of facts.body) {
    if (entry.keyword === Keyword.SHELL) return;
    const run = entry.run;
    if (!run) continue;
    if (/\/bin\/sh\b/.test(run.command.shell) && /\bln\b/.test(run.command.shell)) return;
    if (run.form !== "shell" || /<<-?\s*['"]?\w/.test(run.command.shell)) continue;
    const at = processSubstitutionAt(run.command.shell);
    if (at < 0) continue;
    throw unusable(`line ${entry.ins.startLine + 1}: RUN uses process substitution (${excerptAt(run.command.shell, at)}), which ${facts.resolvedImage.raw}'s /bin/sh (${shell}) does not have: the build stops with a syntax error; run it with bash (SHELL ["/bin/bash", "-c"]) or write the output to a file first`);
  }
}
