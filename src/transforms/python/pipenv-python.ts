import { pipInstallArgs } from "../../analysis/commands.js";
import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { pinnedVersion, pipRequirements, requirementName, type PythonStep } from "./tools.js";
import { tomlTable } from "./toml-table.js";
import { imagePython } from "./uv-python.js";


/**
 * Rejects (exit 2) `pipenv install --deploy` when the Pipfile's `[requires] python_version` is not
 * the image's Python X.Y: current Pipenv stops with a DeployException on that mismatch (without
 * --deploy it only warns), also with --system. Checked only for a Pipenv installed unpinned (the
 * newest, which has that check) on an image whose Python is known: an X.Y tag from 3.9 on, or a
 * floating tag, which holds a release newer than any the Pipfile can name below 3.14.
 */
export function rejectPipenvDeployPythonMismatch(facts: Facts, steps: PythonStep[], context: BuildContext): void {
  const deploy = steps.find((s) => s.tool === "pipenv" && s.kind === "deps" && s.words.includes("--deploy"));
  if (!deploy || !installsNewestPipenv(steps)) return;
  const want = requiredPython(context);
  if (!want) return;
  const python = imagePython(facts);
  if (python && !python.floating && python.minor < 9) return;
  const has = mismatchedImagePython(facts, want);
  if (!has) return;
  throw unusable(`line ${facts.body[deploy.index]!.ins.startLine + 1}: \`${deploy.s.text}\` cannot run: the Pipfile requires Python ${want.major}.${want.minor} and ${facts.image.raw} has ${has}, a mismatch on which pipenv --deploy stops (use a python:${want.major}.${want.minor} image, or update the Pipfile and its lock)`);
}

/**
 * Rejects (exit 2) `pipenv install` or `pipenv sync` that makes its own virtualenv (no --system, no
 * --python, no virtualenv already active) for a Pipfile whose `python_version` the image lacks: Pipenv
 * looks for that interpreter, finds neither it nor pyenv/asdf, and exits 1 ("Python 3.8 was not found
 * on your system"; Pipenv 2022.12.19 on Python 3.11). Only on slim and Alpine python images, which have
 * no other interpreter (the full images also carry Debian's python3).
 */
export function rejectPipenvVirtualenvPythonMismatch(facts: Facts, steps: PythonStep[], context: BuildContext): void {
  const step = steps.find((s) => s.tool === "pipenv" && s.kind === "deps" && !s.words.some((w) => w === "--system" || w.startsWith("--python") || w === "--three"));
  if (!step || facts.variables["VIRTUAL_ENV"] !== undefined || facts.variables["PIPENV_PYTHON"] !== undefined) return;
  if (!/(^|-)(slim|alpine)/.test(facts.resolvedImage.tag)) return;
  const want = requiredPython(context);
  const has = want && mismatchedImagePython(facts, want);
  if (!want || !has) return;
  throw unusable(`line ${facts.body[step.index]!.ins.startLine + 1}: \`${step.s.text}\` cannot run: it makes a virtualenv with the Python ${want.major}.${want.minor} the Pipfile requires, and ${facts.image.raw} has ${has} only, so pipenv stops with "Python ${want.major}.${want.minor} was not found on your system" (use a python:${want.major}.${want.minor} image, or update the Pipfile and its lock)`);
}

function requiredPython(context: BuildContext): { major: number; minor: number } | undefined {
  const required = /^\s*python_version\s*=\s*["'](\d+)\.(\d+)["']/m.exec(tomlTable(context.read("Pipfile") ?? "", "requires") ?? "");
  return required ? { major: Number(required[1]), minor: Number(required[2]) } : undefined;
}

/** What the image has instead of the wanted X.Y (`Python 3.12`), or undefined when it matches or is unknown. */
function mismatchedImagePython(facts: Facts, want: { major: number; minor: number }): string | undefined {
  const python = imagePython(facts);
  if (!python || python.major !== 3) return undefined;
  // a floating tag holds a release no older than its floor: a wanted 3.x from the floor on, or another major, may not mismatch
  const matches = python.floating ? want.major !== 3 || want.minor >= python.minor : want.major === python.major && want.minor === python.minor;
  return matches ? undefined : python.label;
}

export function installsNewestPipenv(steps: readonly PythonStep[]): boolean {
  return steps.some((s) => s.kind === "tool-install" && pipRequirements(pipInstallArgs(s.words)).some((spec) => requirementName(spec) === "pipenv" && pinnedVersion(spec) === undefined && /^pipenv$/i.test(spec)));
}
