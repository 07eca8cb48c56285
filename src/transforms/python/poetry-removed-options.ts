import { commandWords } from "../../analysis/commands.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { failureStopsRun } from "../../parser/shell.js";
import { installedPoetryMajor } from "./poetry-installed.js";
import type { PythonStep } from "./tools.js";

/**
 * Rejects (exit 2) a Poetry command the installed Poetry no longer has, so the build stops at it:
 * - `poetry config settings.virtualenvs.create …`: Poetry 1.0 dropped the `settings.` prefix and
 *   stops with "Setting settings.virtualenvs.create does not exist" (console/commands/config.py);
 * - `poetry source add --default` / `--secondary`: Poetry 2.0 removed both options for `--priority`
 *   (console/commands/source/add.py), so Poetry stops with 'The "--default" option does not exist'.
 */
export function rejectRemovedPoetryOptions(facts: Facts, steps: PythonStep[]): void {
  const major = installedPoetryMajor(facts, steps);
  if (major === undefined || major < 1) return;
  for (const entry of facts.body) {
    const segments = entry.run?.segments ?? [];
    for (const [k, segment] of segments.entries()) {
      const words = commandWords(segment.argv);
      if (words[0]?.split("/").pop() !== "poetry") continue;
      if (!failureStopsRun(segments, k)) continue;
      const args = words.slice(1).filter((w) => !w.startsWith("-"));
      const line = entry.ins.startLine + 1;
      const installed = `the build installs Poetry ${major}.x`;
      if (args[0] === "config" && args[1]?.startsWith("settings.")) {
        throw unusable(`line ${line}: \`${segment.text.trim()}\` cannot run: ${installed}, which dropped the "settings." prefix in 1.0, so it stops with "Setting ${args[1]} does not exist" (write ${args[1].slice("settings.".length)}, or pin poetry<1.0)`);
      }
      const removed = words.find((w) => w === "--default" || w === "--secondary");
      if (major >= 2 && args[0] === "source" && args[1] === "add" && removed) {
        throw unusable(`line ${line}: \`${segment.text.trim()}\` cannot run: ${installed}, which removed ${removed} from poetry source add, so it stops with 'The "${removed}" option does not exist' (use --priority=${removed === "--default" ? "primary" : "supplemental"}, or pin poetry<2)`);
      }
    }
  }
}
