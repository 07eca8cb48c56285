import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { familyOf } from "../common/base-images.js";
import { requirementPins, type PythonStep } from "./tools.js";
import { imagePythonVersion } from "./uv-python.js";

/** PyYAML releases whose sdist builds only with Cython < 3 (yaml/pyyaml#601), and the last Python X.Y they have glibc wheels for. */
const sdistNeedsOldCython: Record<string, number> = { "5.4": 9, "5.4.1": 9, "6.0": 11 };

/**
 * Rejects (exit 2) an install of PyYAML 5.4, 5.4.1 or 6.0 where no wheel of it exists (musl, or a
 * Python newer than its wheels): pip builds the sdist in an isolated environment with the newest
 * Cython, and since Cython 3 that stops with "AttributeError: cython_sources". Pins are read from
 * pip arguments, the requirement files pip reads, Pipfile.lock and poetry.lock. Not when the build
 * turns build isolation off or constrains Cython below 3.
 */
export function rejectUnbuildablePyYaml(facts: Facts, steps: readonly PythonStep[], context: BuildContext): void {
  const image = imagePythonVersion(facts);
  const musl = familyOf(facts.resolvedImage) === "alpine";
  if (!musl && !image) return;
  const allText = facts.body.map((e) => e.ins.text).join("\n");
  if (/no-build-isolation|PIP_NO_BUILD_ISOLATION|PIP_CONSTRAINT|cython\s*<\s*3/i.test(allText)) return;
  for (const step of steps.filter((s) => s.kind === "deps")) {
    for (const { version, where } of requirementPins(facts, step, context, "pyyaml")) {
      const lastWheel = sdistNeedsOldCython[version];
      if (lastWheel === undefined) continue;
      const noWheel = musl ? "musl (Alpine), which it has no wheels for" : image && image.major === 3 && image.minor > lastWheel ? `Python ${image.major}.${image.minor}, newer than its wheels` : undefined;
      if (!noWheel) continue;
      throw unusable(`line ${facts.body[step.index]!.ins.startLine + 1}: \`${step.s.text}\` cannot run: PyYAML ${version} (${where}) is built from source on ${facts.resolvedImage.raw}'s ${noWheel}, and its source build fails with Cython 3 ("AttributeError: cython_sources"); pin PyYAML 6.0.1 or later`);
    }
  }
}
