import { posix } from "node:path";
import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unsupported } from "../../errors.js";
import { projectFilePath } from "./project-file.js";
import type { PythonStep } from "./tools.js";
import { imagePythonVersion, requiresPython, someReleaseSatisfies, type Version } from "./uv-python.js";

/** What a python tag without X.Y (`python:3-slim`, `python:latest`) holds today, or soon. */
const floatingReleases: Version[] = [{ major: 3, minor: 13 }, { major: 3, minor: 14 }];

/** Where PDM installs the interpreter it downloads in the build stage (its global python.install_root): the runtime copies it. */
export const pdmPythonDir = "/opt/pdm-python";

/**
 * A PDM project whose `requires-python` excludes the image's Python: PDM then leaves an active
 * environment alone, installs a matching CPython into its `python.install_root` (root's home by
 * default) and makes the project's own `.venv` with it. msb points the install root at a directory
 * the runtime copies, beside that `.venv`. Refused (exit 3) when the project keeps its environment
 * elsewhere (`venv.in_project` off, `venv.location`, PEP 582). Undefined when the image's Python serves.
 */
export function pdmDownloadedPython(facts: Facts, steps: readonly PythonStep[], context: BuildContext): { step: PythonStep; venv: string; specifier: string } | undefined {
  const step = steps.find((s) => s.tool === "pdm" && s.kind === "deps");
  if (facts.resolvedImage.name !== "python" || !step) return undefined;
  const specifier = requiresPython(context.read(projectFilePath(facts, context, "pyproject.toml")));
  if (!specifier) return undefined;
  const pinned = imagePythonVersion(facts);
  const floating = !pinned && /^(\d+(-|$)|latest|slim|alpine|bookworm|trixie|$)/.test(facts.resolvedImage.tag);
  const candidates = pinned ? [pinned] : floating ? floatingReleases : [];
  if (candidates.length === 0 || !candidates.every((v) => someReleaseSatisfies(specifier, v) === false)) return undefined;
  const settings = facts.body.filter((e) => e.run).map((e) => e.ins.text).join("\n") + Object.keys(facts.variables).join(" ");
  if (/venv\.in_project|venv\.location|PDM_VENV_IN_PROJECT|__pypackages__|python\.use_venv|PDM_PYTHON\b|pdm use\b/.test(settings) || context.kind("__pypackages__") !== undefined) {
    throw unsupported(`the project's requires-python "${specifier}" excludes the image's Python, so pdm install makes its own environment with another interpreter, and this build configures where that environment lives; msb does not follow it: build FROM a python image that satisfies requires-python`);
  }
  return { step, venv: posix.join(step.s.cwd, ".venv"), specifier };
}
