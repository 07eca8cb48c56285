import { mkdirSync, statfsSync } from "node:fs";

/**
 * Free disk each suite needs where its images live, from peaks measured with overlay storage (README,
 * "Proof: real builds"), with room to spare: the stand-ins take 3.3 GB in buildah's storage (4.5 GB
 * while their root filesystems are made), as much again once loaded into Docker, and the builds up to
 * 2.5 GB more. A suite started short of it fails half-way with ENOSPC and takes the next suites down
 * with it; skipping says why instead.
 */
export const neededGb = { docker: 10, buildah: 8, self: 2 };

/** Why a suite cannot build its images under `dir` for lack of disk, or "" when there is enough. */
export function diskShortage(dir: string, gb: number): string {
  try {
    mkdirSync(dir, { recursive: true });
    const { bavail, bsize } = statfsSync(dir);
    const freeGb = (bavail * bsize) / 1e9;
    return freeGb < gb ? `only ${freeGb.toFixed(1)} GB free under ${dir}, the suite needs ${gb} GB; e2e skipped` : "";
  } catch {
    return "";
  }
}
