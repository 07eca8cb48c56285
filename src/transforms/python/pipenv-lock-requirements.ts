import { commandWords, pipInstallArgs } from "../../analysis/commands.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { failureStopsRun } from "../../parser/shell.js";
import { compareVersions } from "./tool-rewrites.js";
import { pinnedVersion, pipRequirements, requirementName, type PythonStep } from "./tools.js";
import { imagePython } from "./uv-python.js";

/** The Pipenv release that removed `pipenv lock -r` for `pipenv requirements` (pypa/pipenv#5253). */
const removedIn = "2022.8.13";

/**
 * Rejects (exit 2) `pipenv lock -r` / `--requirements` when pip installs a Pipenv that no longer has
 * the option: an unpinned install on Python 3.7 or later (2022.8.13 and later support it), or a pin
 * at 2022.8.13 or later. Pipenv stops with "No such option: -r". Not when a later `||`/`;` decides
 * the RUN's status.
 */
export function rejectPipenvLockRequirements(facts: Facts, steps: readonly PythonStep[]): void {
  const spec = steps.filter((s) => s.kind === "tool-install").flatMap((s) => pipRequirements(pipInstallArgs(s.words))).find((s) => requirementName(s) === "pipenv");
  if (spec === undefined) return;
  const pinned = pinnedVersion(spec);
  const python = imagePython(facts);
  const removed = pinned !== undefined ? compareVersions(pinned, removedIn) >= 0 : /^pipenv$/i.test(spec.trim()) && python !== undefined && (python.major > 3 || python.minor >= 7);
  if (!removed) return;
  for (const entry of facts.body) {
    const segments = entry.run?.segments ?? [];
    for (const [k, segment] of segments.entries()) {
      const words = commandWords(segment.argv);
      if (words[0]?.split("/").pop() !== "pipenv" || words[1] !== "lock") continue;
      const option = words.find((w) => w === "-r" || w === "--requirements");
      if (!option || !failureStopsRun(segments, k)) continue;
      const which = pinned !== undefined ? `Pipenv ${pinned}` : `today's Pipenv (${python!.label} takes ${removedIn} or later)`;
      throw unusable(`line ${entry.ins.startLine + 1}: \`${segment.text.trim()}\` cannot run: the build installs ${which}, which removed ${option} from pipenv lock in ${removedIn}, so it stops with "No such option: ${option}" (write pipenv requirements > requirements.txt, or pin pipenv<${removedIn})`);
    }
  }
}
