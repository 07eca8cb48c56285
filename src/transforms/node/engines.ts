import semver from "semver";
import type { Report } from "../../report.js";

/** Warns when package.json `engines.node` excludes the Node.js major of the image. */
export function checkEngines(range: string, nodeMajor: number | undefined, report: Report): void {
  if (!range || nodeMajor === undefined || !Number.isFinite(nodeMajor)) return;
  if (semver.validRange(range) === null) return;
  if (!semver.intersects(range, `^${nodeMajor}.0.0`)) {
    report.warn(`package.json engines.node is "${range}", but the image runs Node.js ${nodeMajor}; the runtime keeps the image's version`);
  }
}
