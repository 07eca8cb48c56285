import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unsupported } from "../../errors.js";
import { projectFilePath } from "./project-file.js";
import type { PythonStep } from "./tools.js";
import { imagePythonVersion, someReleaseSatisfies, type Version } from "./uv-python.js";

/** What a python tag without X.Y (`python:3-slim`, `python:latest`) holds today, or soon. */
const floatingReleases: Version[] = [{ major: 3, minor: 13 }, { major: 3, minor: 14 }];

/**
 * Refuses (exit 3) a PDM install whose project's `requires-python` excludes the image's Python: PDM
 * then leaves the active environment alone and makes its own, with an interpreter it finds or
 * downloads into root's home, which msb does not follow into the runtime.
 */
export function refusePdmWithAnotherPython(facts: Facts, steps: readonly PythonStep[], context: BuildContext): void {
  if (facts.resolvedImage.name !== "python" || !steps.some((s) => s.tool === "pdm" && s.kind === "deps")) return;
  const specifier = /^\s*requires-python\s*=\s*["']([^"']+)["']/m.exec(context.read(projectFilePath(facts, context, "pyproject.toml")) ?? "")?.[1];
  if (!specifier) return;
  const pinned = imagePythonVersion(facts);
  const floating = !pinned && /^(\d+(-|$)|latest|slim|alpine|bookworm|trixie|$)/.test(facts.resolvedImage.tag);
  const candidates = pinned ? [pinned] : floating ? floatingReleases : [];
  if (candidates.length === 0 || !candidates.every((v) => someReleaseSatisfies(specifier, v) === false)) return;
  const image = pinned ? `Python ${pinned.major}.${pinned.minor}` : `Python (${facts.resolvedImage.raw} is the newest, 3.13 or later)`;
  throw unsupported(`the project's requires-python "${specifier}" excludes the image's ${image}, so pdm install makes its own environment with another interpreter (found or downloaded into root's home), which msb does not follow into the runtime; build FROM a python image that satisfies requires-python`);
}
