import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { compareVersions } from "./tool-rewrites.js";
import { pipInstallArgs } from "../../analysis/commands.js";
import { requirementFileLines } from "./requirement-files.js";
import { pipRequirements, requirementName, requirementPins, type PythonStep } from "./tools.js";
import { heldBelow } from "./version-bounds.js";
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

/**
 * Rejects (exit 2) gunicorn before 21 on an official python image of 3.12 or later (or a floating tag)
 * unless setuptools is held below 82: gunicorn imports pkg_resources when it starts and requires
 * setuptools, those images have none, so pip installs the newest, and setuptools 82 (February 2026)
 * removed pkg_resources: the server stops with "No module named 'pkg_resources'".
 */
export function rejectGunicornPkgResourcesRemoved(facts: Facts, steps: readonly PythonStep[], context: BuildContext): void {
  const python = imagePython(facts);
  if (!python || facts.resolvedImage.name !== "python" || python.major !== 3 || python.minor < 12) return;
  const deps = steps.filter((s) => s.kind === "deps");
  // setuptools held below 82 anywhere the build installs from: a requirement (`setuptools<82`), a pip command or a pin
  const specs = deps.filter((s) => s.tool === "pip").flatMap((step) => [...pipRequirements(pipInstallArgs(step.words)), ...requirementFileLines(facts, step, context).lines.map((l) => l.spec)]).filter((s) => requirementName(s) === "setuptools");
  const setuptoolsHeld = heldBelow(specs, "82") || deps.some((step) => requirementPins(facts, step, context, "setuptools").some((p) => compareVersions(p.version, "82") < 0)) || facts.body.some((e) => e.run && /\bsetuptools\s*(<|==\s*(\d|[1-7]\d|8[01])\b)/.test(e.ins.text));
  if (setuptoolsHeld) return;
  for (const step of deps) {
    const gunicorn = requirementPins(facts, step, context, "gunicorn").find((p) => compareVersions(p.version, "21") < 0);
    if (!gunicorn) continue;
    throw unusable(`line ${facts.body[step.index]!.ins.startLine + 1}: the image builds but cannot start: ${gunicorn.where} pins gunicorn ${gunicorn.version}, which imports pkg_resources when it starts; ${python.label} has no setuptools, so pip installs the newest for gunicorn, and setuptools 82 removed pkg_resources ("No module named 'pkg_resources'") (upgrade gunicorn to 21 or later, or pin setuptools<82)`);
  }
}
