import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { requirementPins, type PythonStep } from "./tools.js";
import { imagePython } from "./uv-python.js";

/**
 * Rejects (exit 2) Pillow 5.0 to 10.3 installed on Python 3.13 or newer: those releases have no wheels
 * for it, and their setup.py reads its version with `exec(…); return locals()["__version__"]`, which
 * Python 3.13's locals() no longer sees (PEP 667), so the source build stops with KeyError:
 * '__version__' (python-pillow/Pillow#8050; Pillow's tagged setup.py, fixed in 10.4.0).
 */
export function rejectPillowBeforePython313(facts: Facts, steps: readonly PythonStep[], context: BuildContext): void {
  const python = imagePython(facts);
  if (!python || python.major !== 3 || python.minor < 13) return;
  for (const step of steps.filter((s) => s.kind === "deps")) {
    for (const { version, where } of requirementPins(facts, step, context, "pillow")) {
      const [major, minor] = version.split(".").map(Number);
      if (major === undefined || minor === undefined || major < 5 || major > 10 || (major === 10 && minor >= 4)) continue;
      throw unusable(`line ${facts.body[step.index]!.ins.startLine + 1}: \`${step.s.text}\` cannot run: Pillow ${version} (${where}) has no wheel for ${facts.resolvedImage.raw}'s ${python.label}, and its source build stops with KeyError: '__version__' there; pin Pillow 10.4 or later, or a python:3.12 image`);
    }
  }
}
