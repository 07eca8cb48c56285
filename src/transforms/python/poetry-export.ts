import { commandWords } from "../../analysis/commands.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { installedPoetryMajor, installsExportPlugin } from "./poetry-installed.js";
import type { PythonStep } from "./tools.js";

/**
 * Rejects (exit 2) `poetry export` under Poetry 2 when the build does not add poetry-plugin-export:
 * Poetry 2.0 stopped bundling it, and the command stops with "The requested command export does not
 * exist" (checked with Poetry 2.1.2).
 */
export function rejectPoetryExportWithoutPlugin(facts: Facts, steps: PythonStep[]): void {
  const major = installedPoetryMajor(facts, steps);
  if (major === undefined || major < 2 || installsExportPlugin(facts, steps)) return;
  for (const entry of facts.body) {
    for (const segment of entry.run?.segments ?? []) {
      const words = commandWords(segment.argv);
      if (words[0]?.split("/").pop() !== "poetry" || words[1] !== "export") continue;
      throw unusable(`line ${entry.ins.startLine + 1}: \`${segment.text}\` cannot run: Poetry ${major} no longer includes the export command ("The requested command export does not exist"); install poetry-plugin-export beside Poetry, or pin poetry<2`);
    }
  }
}
