import { pipInstallArgs } from "../../analysis/commands.js";
import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { pinnedVersion, pipRequirements, requirementName, type PythonStep } from "./tools.js";
import { tomlTable } from "./toml-table.js";
import { imagePythonVersion } from "./uv-python.js";

/** The oldest Python a floating tag (`python:3`, `python:slim`, untagged) can hold today. */
const floatingTagAtLeast = { major: 3, minor: 14 };

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
  const required = /^\s*python_version\s*=\s*["'](\d+)\.(\d+)["']/m.exec(tomlTable(context.read("Pipfile") ?? "", "requires") ?? "");
  if (!required) return;
  const want = { major: Number(required[1]), minor: Number(required[2]) };
  const tagged = imagePythonVersion(facts);
  const floating = tagged === undefined && facts.resolvedImage.name === "python" && facts.resolvedImage.digest === "" && /^(3(-[a-z0-9.-]+)?|[a-z]+[0-9.]*(-[a-z0-9.]+)?)?$/.test(facts.resolvedImage.tag);
  let has: string;
  if (tagged) {
    if (tagged.major !== 3 || tagged.minor < 9 || (tagged.major === want.major && tagged.minor === want.minor)) return;
    has = `Python ${tagged.major}.${tagged.minor}`;
  } else if (floating) {
    if (want.major !== 3 || want.minor >= floatingTagAtLeast.minor) return;
    has = `Python ${floatingTagAtLeast.major}.${floatingTagAtLeast.minor} or later (a floating tag)`;
  } else return;
  throw unusable(`line ${facts.body[deploy.index]!.ins.startLine + 1}: \`${deploy.s.text}\` cannot run: the Pipfile requires Python ${want.major}.${want.minor} and ${facts.image.raw} has ${has}, a mismatch on which pipenv --deploy stops (use a python:${want.major}.${want.minor} image, or update the Pipfile and its lock)`);
}

function installsNewestPipenv(steps: PythonStep[]): boolean {
  return steps.some((s) => s.kind === "tool-install" && pipRequirements(pipInstallArgs(s.words)).some((spec) => requirementName(spec) === "pipenv" && pinnedVersion(spec) === undefined && /^pipenv$/i.test(spec)));
}
