import type { Facts } from "../../analysis/facts.js";
import { firstUseBeforeProvided, npmProvides } from "../../analysis/tool-provided.js";
import { unusable } from "../../errors.js";
import { officialNodeMajor } from "./yarn-present.js";

const provides = new RegExp(npmProvides("corepack"));

/**
 * Rejects (exit 2) `corepack` run on an official node image of Node.js 25 or later before a step installs
 * it: Node.js stopped distributing Corepack with 25 (the TSC's vote of March 2025, nodejs/node#57825), so
 * `corepack enable` stops with "corepack: not found".
 */
export function rejectMissingCorepack(facts: Facts): void {
  const major = officialNodeMajor(facts);
  if (major === undefined || major < 25) return;
  const use = firstUseBeforeProvided(facts, ["corepack"], provides);
  if (!use) return;
  const floating = /^\d/.test(facts.resolvedImage.tag) ? "" : ` (a floating tag: Node.js ${major} today)`;
  throw unusable(`line ${use.entry.ins.startLine + 1}: runs corepack, which ${facts.resolvedImage.raw}${floating} does not have: Node.js no longer ships Corepack from version 25; add "RUN npm install -g corepack" before it, or pin node:24`);
}
