import semver from "semver";
import type { BuildContext } from "../../analysis/context.js";
import type { Facts, InstructionFacts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { taggedNodeRelease } from "../common/base-images.js";
import type { NodeProject } from "./project.js";

/** The Node.js versions an official node tag can hold: `14.15` → `~14.15.0`, `14` → `^14.0.0`, `14.15.4` exactly. */
function tagRange(tag: string, nodeMajor: number): string {
  const { minor, patch } = taggedNodeRelease(tag);
  if (minor === undefined) return `^${nodeMajor}.0.0`;
  return patch === undefined ? `~${nodeMajor}.${minor}.0` : `${nodeMajor}.${minor}.${patch}`;
}

/**
 * Rejects (exit 2) a Yarn 1 install when package.json's own `engines.node` excludes the image's Node.js:
 * Yarn 1 checks the project's engines like its dependencies' and stops with `The engine "node" is
 * incompatible with this module` (reproduced with yarn 1.22), unless told to ignore engines.
 */
export function rejectYarnEnginesMismatch(facts: Facts, context: BuildContext, project: NodeProject, nodeMajor: number | undefined, install: { entry: InstructionFacts; text: string; flags: readonly string[] }): void {
  if (project.manager !== "yarn" || project.yarnBerry || !project.enginesNode || nodeMajor === undefined || !Number.isFinite(nodeMajor)) return;
  if (semver.validRange(project.enginesNode) === null || install.flags.includes("--ignore-engines")) return;
  if (/ignore-engines\s+true/.test(context.read(".yarnrc") ?? "") || /YARN_IGNORE_ENGINES/.test(install.text) || facts.variables["YARN_IGNORE_ENGINES"] !== undefined) return;
  const range = tagRange(facts.resolvedImage.tag, nodeMajor);
  if (semver.intersects(project.enginesNode, range)) return;
  const shown = range.startsWith("^") ? String(nodeMajor) : range.replace(/^~/, "").replace(/\.0$/, "");
  throw unusable(`line ${install.entry.ins.startLine + 1}: \`${install.text}\` cannot run: package.json's engines.node is "${project.enginesNode}", which ${facts.resolvedImage.raw} (Node.js ${shown}) does not satisfy, and Yarn 1 checks the project's own engines, so it stops with "The engine "node" is incompatible with this module" (use a node image that satisfies it, or pass --ignore-engines)`);
}
