import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { lockedVersion } from "./locked-version.js";
import type { NodeProject } from "./project.js";

/**
 * Rejects (exit 2) node-sass 4.x installed on Node.js 16 or newer: node-sass 4 ships bindings up to
 * Node 14 (4.14; 4.13 up to 13…), so the install falls back to compiling with node-gyp 3, which needs
 * Python 2 and fails against a newer Node's headers. node-sass's own table: Node 16 needs 6.0+.
 * The version is the lockfile's, else the package.json range's major (an unlocked ^4 resolves to 4.14.1).
 */
export function rejectNodeSassTooOld(facts: Facts, context: BuildContext, project: NodeProject, nodeMajor: number, installLine: number, productionOnly: boolean): void {
  if (!Number.isFinite(nodeMajor) || nodeMajor < 16) return;
  const range = project.dependencies["node-sass"] ?? (productionOnly ? undefined : project.devDependencies["node-sass"]);
  if (range === undefined) return;
  const version = lockedVersion(context, project, "node-sass") ?? (/^[\^~]?4\./.test(range) ? "4.x" : undefined);
  if (!version?.startsWith("4.")) return;
  const minor = Number(/^4\.(\d+)/.exec(version)?.[1] ?? 14);
  const newest = minor >= 14 || version === "4.x" ? 14 : minor >= 12 ? minor : minor >= 10 ? 11 : 10;
  const node = /^\d/.test(facts.resolvedImage.tag) ? `Node.js ${nodeMajor}` : `a floating tag, Node.js ${nodeMajor} or newer`;
  throw unusable(`line ${installLine}: the install builds node-sass ${version}, whose newest bindings are for Node.js ${newest}, on ${facts.resolvedImage.raw} (${node}): its fallback compile (node-gyp 3, Python 2) fails there; use node-sass 6+ (or sass), or a node:${newest} image`);
}
