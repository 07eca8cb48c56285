import { commandWords } from "../../analysis/commands.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import type { NodeProject } from "./project.js";
import { officialNodeMajor } from "./yarn-present.js";

/**
 * Rejects (exit 2) pnpm through corepack with no version (no packageManager field, no `corepack prepare
 * pnpm@8`) on Node.js 18.20+ or 21: their corepack (0.24 or later) fetches pnpm's latest release
 * (pnpm 11 and later ship bin/pnpm.mjs) but maps every pnpm from 6 on to bin/pnpm.cjs, so the first pnpm
 * command stops with MODULE_NOT_FOUND (reproduced with corepack 0.31). Node.js 20's last corepack
 * (0.34.6) maps pnpm 11+ to pnpm.mjs; older corepacks start a version of their own.
 */
export function rejectCorepackLatestPnpm(facts: Facts, project: NodeProject): void {
  const major = officialNodeMajor(facts);
  // corepack fetches the latest release by default from 0.24 on: Node.js 18.20 and 21's last releases; 20's maps pnpm 11+ right
  const minor = Number(/^\d+\.(\d+)/.exec(facts.resolvedImage.tag)?.[1] ?? NaN);
  if (!(major === 21 || (major === 18 && !(minor < 20)))) return;
  if (project.packageManager.startsWith("pnpm@") || facts.variables["COREPACK_DEFAULT_TO_LATEST"] === "0") return;
  let corepack = false;
  for (const entry of facts.body) {
    for (const segment of entry.run?.segments ?? []) {
      const words = commandWords(segment.argv);
      if (words[0] === "corepack") {
        if (words.some((w) => /^pnpm@\d/.test(w))) return;
        if (words[1] === "enable" || words.some((w) => /^pnpm@(latest|next)?$/.test(w) || w === "pnpm")) corepack = true;
        continue;
      }
      if (!corepack || words[0] !== "pnpm") continue;
      throw unusable(`line ${entry.ins.startLine + 1}: \`${segment.text.trim()}\` cannot run: corepack fetches pnpm's latest release for it (package.json names no packageManager), and the corepack of ${facts.resolvedImage.raw} (Node.js ${major}) starts every pnpm from 6 on through bin/pnpm.cjs, which pnpm 11 and later no longer have, so it stops with MODULE_NOT_FOUND (add "packageManager": "pnpm@<version>" to package.json, or corepack prepare pnpm@<version> --activate)`);
    }
  }
}
