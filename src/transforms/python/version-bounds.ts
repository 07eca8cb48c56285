import { compareVersions } from "./tool-rewrites.js";
import { pinnedVersion } from "./tools.js";

/**
 * Whether a distribution's requirement lines keep pip below a version (`==1.5.2`, `<1.6`, `~=1.5.0`):
 * pip takes what all of them allow, so one such bound is enough.
 */
export function heldBelow(specs: readonly string[], version: string): boolean {
  return specs.some((spec) => {
    const pinned = pinnedVersion(spec);
    if (pinned !== undefined) return compareVersions(pinned, version) < 0;
    const upper = /<=?\s*([0-9][^,;\s]*)/.exec(spec)?.[1];
    // ~=1.5.0 allows up to 1.6, ~=1.7 up to 2
    const compatible = /~=\s*([0-9][^,;\s]*)/.exec(spec)?.[1]?.split(".").map(Number);
    const compatibleUpper = compatible && compatible.length > 1 ? [...compatible.slice(0, -2), compatible.at(-2)! + 1].join(".") : undefined;
    return [upper, compatibleUpper].some((bound) => bound !== undefined && compareVersions(bound, version) <= 0);
  });
}
