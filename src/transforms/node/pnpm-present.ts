import { isOfficialImage } from "../../analysis/image-ref.js";
import { firstUseBeforeProvided, npmProvides } from "../../analysis/tool-provided.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";

/** Steps that make a `pnpm` command exist: corepack, a global install, pnpm's installer, a copied binary. */
const provides = new RegExp(`\\bcorepack\\b|${npmProvides("pnpm")}|\\byarn\\s+global\\s+add\\b[^&|;]*\\bpnpm\\b|get\\.pnpm\\.io|pnpm\\/pnpm`);

/**
 * Rejects (exit 2) a build on an official node image that runs `pnpm` before any step provides it:
 * those images ship npm and yarn 1 only (corepack is there but not enabled), so the original cannot build.
 */
export function rejectMissingPnpm(facts: Facts): void {
  const image = facts.resolvedImage;
  const official = isOfficialImage(image, "node");
  if (!official) return;
  const use = firstUseBeforeProvided(facts, ["pnpm", "pnpx"], provides, /pnpm/);
  if (!use) return;
  throw unusable(`line ${use.entry.ins.startLine + 1}: runs ${use.program}, which ${image.raw} does not have (official node images ship npm and yarn 1; corepack is present but not enabled): add "RUN corepack enable" or "RUN npm install -g pnpm" before it`);
}
