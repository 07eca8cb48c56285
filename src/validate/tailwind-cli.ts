import { commandWords, isGlobalNodeInstall, nodeInstall } from "../analysis/commands.js";
import type { BuildContext } from "../analysis/context.js";
import type { Facts } from "../analysis/facts.js";
import { unusable } from "../errors.js";

/**
 * Rejects (exit 2) a global install of tailwindcss left unpinned (`npm install -g tailwindcss`) followed
 * by a `tailwindcss` command (in a RUN, or in the Makefile a later `make` runs): tailwindcss 4 has no
 * command-line program any more (its package.json has no bin; the CLI moved to @tailwindcss/cli), so the
 * build stops with "tailwindcss: not found".
 */
export function rejectTailwindCliFromV4(facts: Facts, context: BuildContext): void {
  let install: { line: number; text: string } | undefined;
  for (const entry of facts.body) {
    for (const segment of entry.run?.segments ?? []) {
      const words = commandWords(segment.argv);
      if (isGlobalNodeInstall(segment.argv)) {
        const specs = words[0] === "yarn" && words[1] === "global" ? words.slice(3).filter((w) => !w.startsWith("-")) : nodeInstall(segment.argv)?.packages ?? [];
        if (specs.some((s) => s === "tailwindcss" || s === "tailwindcss@latest")) install = { line: entry.ins.startLine + 1, text: segment.text.trim() };
        else if (specs.some((s) => /^tailwindcss@|^@tailwindcss\/cli/.test(s))) install = undefined;
        continue;
      }
      if (!install) continue;
      const runsCli = words[0] === "tailwindcss" || (words[0] === "make" && /^\t[@+-]*tailwindcss\s/m.test(context.read("Makefile") ?? context.read("makefile") ?? ""));
      if (runsCli) throw unusable(`line ${install.line}: \`${install.text}\` takes tailwindcss 4, which has no command-line program (its CLI moved to @tailwindcss/cli), so the \`tailwindcss\` that line ${entry.ins.startLine + 1} runs is not found (install @tailwindcss/cli, or pin tailwindcss@3)`);
    }
  }
}
