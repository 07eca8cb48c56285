import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { compareVersions } from "./tool-rewrites.js";
import { requirementPins, type PythonStep } from "./tools.js";
import { imagePython } from "./uv-python.js";

/**
 * Rejects (exit 2) gunicorn before 21 with setuptools held before 66.1 on Python 3.12 or later:
 * gunicorn imports pkg_resources when it starts (util.py, until benoitc/gunicorn#2963), and the
 * pkg_resources of setuptools before 66.1 registers pkgutil.ImpImporter, which Python 3.12 removed
 * (pypa/setuptools#3685), so the server stops with "module 'pkgutil' has no attribute 'ImpImporter'".
 */
export function rejectOldPkgResourcesOnPython312(facts: Facts, steps: readonly PythonStep[], context: BuildContext): void {
  const python = imagePython(facts);
  if (!python || python.major !== 3 || python.minor < 12) return;
  for (const step of steps.filter((s) => s.kind === "deps")) {
    const gunicorn = requirementPins(facts, step, context, "gunicorn").find((p) => compareVersions(p.version, "21") < 0);
    const setuptools = requirementPins(facts, step, context, "setuptools").find((p) => compareVersions(p.version, "66.1") < 0);
    if (!gunicorn || !setuptools) continue;
    throw unusable(`line ${facts.body[step.index]!.ins.startLine + 1}: the image builds but cannot start: ${gunicorn.where} pins gunicorn ${gunicorn.version}, which imports pkg_resources when it starts, and ${setuptools.where} pins setuptools ${setuptools.version}, whose pkg_resources uses pkgutil.ImpImporter, removed in Python 3.12; on ${python.label} gunicorn stops with "module 'pkgutil' has no attribute 'ImpImporter'" (upgrade setuptools to 66.1 or later or gunicorn to 21 or later, or use a Python image before 3.12)`);
  }
}
