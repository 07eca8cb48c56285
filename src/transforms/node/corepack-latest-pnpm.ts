import { commandWords } from "../../analysis/commands.js";
import type { Facts, InstructionFacts } from "../../analysis/facts.js";
import { isOfficialImage } from "../../analysis/image-ref.js";
import { unusable } from "../../errors.js";
import type { NodeProject } from "./project.js";
import { officialNodeMajor } from "./yarn-present.js";

/** The first `pnpm` command that corepack serves with pnpm's latest release (no version named anywhere). */
export function firstLatestPnpmRun(facts: Facts, project: NodeProject): { entry: InstructionFacts; text: string } | undefined {
  if (project.packageManager.startsWith("pnpm@") || facts.variables["COREPACK_DEFAULT_TO_LATEST"] === "0") return undefined;
  let corepack = false;
  for (const entry of facts.body) {
    for (const segment of entry.run?.segments ?? []) {
      const words = commandWords(segment.argv);
      if (words[0] === "corepack") {
        if (words.some((w) => /^pnpm@\d/.test(w))) return undefined;
        if (words[1] === "enable" || words.some((w) => /^pnpm@(latest|next)?$/.test(w) || w === "pnpm")) corepack = true;
        continue;
      }
      if (corepack && words[0] === "pnpm") return { entry, text: segment.text.trim() };
    }
  }
  return undefined;
}

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
  const run = firstLatestPnpmRun(facts, project);
  if (!run) return;
  throw unusable(`line ${run.entry.ins.startLine + 1}: \`${run.text}\` cannot run: corepack fetches pnpm's latest release for it (package.json names no packageManager), and the corepack of ${facts.resolvedImage.raw} (Node.js ${major}) starts every pnpm from 6 on through bin/pnpm.cjs, which pnpm 11 and later no longer have, so it stops with MODULE_NOT_FOUND (add "packageManager": "pnpm@<version>" to package.json, or corepack prepare pnpm@<version> --activate)`);
}

/**
 * The Node.js release of an official node image whose corepack (0.28 to 0.30) verifies downloads
 * against npm's signing key of before January 2025 only: Node.js 22 before 22.14, 23 before 23.7
 * and 20.18 (nodejs/corepack#612, #627; nodejs/node#57041). `*-alpine3.19` tags stopped at such a
 * release when the images dropped Alpine 3.19 in December 2024 (docker-node#2174).
 */
function nodeWithOldNpmKeys(facts: Facts): string | undefined {
  const image = facts.resolvedImage;
  if (!isOfficialImage(image, "node") || image.raw.includes("$") || image.digest) return undefined;
  const version = /^(\d+)\.(\d+)/.exec(image.tag);
  if (version) {
    const [major, minor] = [Number(version[1]), Number(version[2])];
    return (major === 22 && minor < 14) || (major === 23 && minor < 7) || (major === 20 && minor === 18) ? `Node.js ${major}.${minor}` : undefined;
  }
  const frozen = /^(?:(lts|22|current|23|20)-)?alpine3\.19$/.exec(image.tag);
  if (!frozen) return undefined;
  const release = { lts: "22.12", "22": "22.12", current: "23.3", "23": "23.3", "20": "20.18" }[frozen[1] ?? "current"];
  return `Node.js ${release}, the last release built on Alpine 3.19`;
}

/**
 * Rejects (exit 2) pnpm through corepack with no version on a Node.js whose corepack knows only npm's
 * old signing key: pnpm releases since npm rotated its key (29 January 2025) are signed with the new
 * one, so fetching the latest stops with "Cannot find matching keyid".
 */
export function rejectCorepackOldNpmKeys(facts: Facts, project: NodeProject): void {
  const node = nodeWithOldNpmKeys(facts);
  if (node === undefined) return;
  const run = firstLatestPnpmRun(facts, project);
  if (!run) return;
  throw unusable(`line ${run.entry.ins.startLine + 1}: \`${run.text}\` cannot run: corepack fetches pnpm's latest release for it (package.json names no packageManager), and the corepack of ${facts.resolvedImage.raw} (${node}) knows only npm's signing key of before January 2025, so it stops with "Cannot find matching keyid" (nodejs/corepack#612; pin "packageManager": "pnpm@<version>" of 2024 or older, or use Node.js 22.14 or later)`);
}
