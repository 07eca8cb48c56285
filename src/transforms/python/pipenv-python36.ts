import { commandWords } from "../../analysis/commands.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { failureStopsRun } from "../../parser/shell.js";
import type { PythonStep } from "./tools.js";
import { installsNewestPipenv } from "./pipenv-python.js";
import { imagePythonVersion } from "./uv-python.js";

/**
 * Rejects (exit 2) an unpinned Pipenv run on Python 3.6: pip takes 2022.4.20, the last release that
 * declares Python 3.6, and that release dropped 3.6 (its vendored pip 22.0.4 imports dataclasses; pypa/pipenv#5072,
 * where the maintainers say it cannot be yanked), so every pipenv command that resolves or installs fails.
 */
export function rejectNewestPipenvOnPython36(facts: Facts, steps: readonly PythonStep[]): void {
  const python = imagePythonVersion(facts);
  if (!python || python.major !== 3 || python.minor !== 6) return;
  if (!installsNewestPipenv(steps)) return;
  for (const entry of facts.body) {
    const segments = entry.run?.segments ?? [];
    for (const [k, segment] of segments.entries()) {
      const words = commandWords(segment.argv);
      if (words[0]?.split("/").pop() !== "pipenv" || !["install", "sync", "lock", "update"].includes(words[1] ?? "") || !failureStopsRun(segments, k)) continue;
      throw unusable(`line ${entry.ins.startLine + 1}: \`${segment.text.trim()}\` cannot run: on Python 3.6 pip takes Pipenv 2022.4.20, the last release that declares Python 3.6, and that release no longer runs on it (its vendored pip 22.0.4 needs Python 3.7), so pipenv stops with a TypeError or "No module named 'dataclasses'" (pypa/pipenv#5072: pin pipenv==2022.4.8, or use a newer Python image)`);
    }
  }
}
