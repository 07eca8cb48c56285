import { commandWords } from "../../analysis/commands.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { installedPoetryMajor } from "./poetry-installed.js";
import type { PythonStep } from "./tools.js";

/**
 * Rejects (exit 2) `poetry install --no-dev` under Poetry 2, which removed the option: the install
 * stops with `The option "--no-dev" does not exist` (checked with Poetry 2.1.2). An unpinned Poetry
 * is the newest, so a Dockerfile written for Poetry 1 no longer builds.
 */
export function rejectPoetryNoDevUnderPoetry2(facts: Facts, steps: PythonStep[]): void {
  const major = installedPoetryMajor(facts, steps);
  if (major === undefined || major < 2) return;
  for (const entry of facts.body) {
    for (const segment of entry.run?.segments ?? []) {
      const words = commandWords(segment.argv);
      if (words[0]?.split("/").pop() !== "poetry" || words[1] !== "install" || !words.includes("--no-dev")) continue;
      throw unusable(`line ${entry.ins.startLine + 1}: \`${segment.text}\` cannot run: the build installs Poetry ${major}, which removed --no-dev (it stops with: The option "--no-dev" does not exist); use --only main (or --without dev), with --no-root where the project's own package is not copied yet, or pin poetry<2`);
    }
  }
}
