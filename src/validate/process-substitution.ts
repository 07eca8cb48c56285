import { onDockerHub } from "../analysis/image-ref.js";
import { Keyword } from "dockerfile-ast";
import type { Facts } from "../analysis/facts.js";
import { unusable } from "../errors.js";

const debianOfficial = new Set(["python", "node", "golang", "debian", "ubuntu", "buildpack-deps", "nginx"]);

/**
 * Whether an image's RUN steps run under dash: official Debian-based images (not their Alpine
 * variants, whose BusyBox ash has process substitution: BusyBox 1.35 runs `cat <(echo hi)`).
 */
function runsDash(image: Facts["resolvedImage"]): boolean {
  if (/alpine/.test(image.tag)) return false;
  return onDockerHub(image) && debianOfficial.has(image.name);
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
 * on an image whose /bin/sh is dash, which stops at the `(` with a syntax error (dash 0.5.12), so the
 * original cannot build. A SHELL instruction or a RUN that replaces /bin/sh leaves the shell unknown.
 */
export function rejectProcessSubstitution(facts: Facts): void {
  if (!runsDash(facts.resolvedImage)) return;
  for (const entry of facts.body) {
    if (entry.keyword === Keyword.SHELL) return;
    const run = entry.run;
    if (!run) continue;
    if (/\/bin\/sh\b/.test(run.command.shell) && /\bln\b/.test(run.command.shell)) return;
    if (run.form !== "shell" || /<<-?\s*['"]?\w/.test(run.command.shell)) continue;
    const at = processSubstitutionAt(run.command.shell);
    if (at < 0) continue;
    throw unusable(`line ${entry.ins.startLine + 1}: RUN uses process substitution (${excerptAt(run.command.shell, at)}), which ${facts.resolvedImage.raw}'s /bin/sh (dash) does not have: the build stops with a syntax error; run it with bash (SHELL ["/bin/bash", "-c"]) or write the output to a file first`);
  }
}
