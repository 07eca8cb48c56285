import { commandWords } from "./commands.js";
import type { Facts, InstructionFacts } from "./facts.js";

/** Regex source for the ways a Dockerfile makes a package manager exist through npm: a global install or npx. */
export function npmProvides(tool: string): string {
  return `\\bnpm\\s+(?:[\\w-]+\\s+)*(?:install|i|add)\\s+(?:[^&|;]*\\s)?(?:-g|--global)\\b[^&|;]*\\b${tool}\\b|\\bnpm\\s+(?:-g|--global)\\s+(?:install|i|add)\\b[^&|;]*\\b${tool}\\b|\\bnpm\\s+(?:install|i|add)\\s+[^&|;]*\\b${tool}\\b[^&|;]*\\s(?:-g|--global)\\b|\\bnpx\\s+(?:--yes\\s+|-y\\s+)?${tool}`;
}

export interface UnprovidedUse {
  entry: InstructionFacts;
  program: string;
}

/**
 * The first RUN that runs one of `programs` before any step provides it: a RUN segment matching
 * `provides`, or a COPY whose text matches `copied` (a binary copied in).
 */
export function firstUseBeforeProvided(facts: Facts, programs: readonly string[], provides: RegExp, copied?: RegExp): UnprovidedUse | undefined {
  for (const entry of facts.body) {
    if (entry.copy && copied?.test(entry.ins.text)) return undefined;
    if (!entry.run) continue;
    // `RUN --mount=from=ghcr.io/astral-sh/uv,source=/uv,target=/bin/uv uv pip install …`: the mount brings the program
    const mountedPrograms = [...entry.run.flagsText.matchAll(/--mount=\S*?\btarget=([^,\s]+)/g)].map((m) => m[1]!.split("/").pop());
    for (const segment of entry.run.segments) {
      if (provides.test(segment.text)) return undefined;
      const program = commandWords(segment.argv)[0]?.split("/").pop();
      if (program !== undefined && mountedPrograms.includes(program)) return undefined;
      if (program !== undefined && programs.includes(program)) return { entry, program };
    }
  }
  return undefined;
}
