import { isOfficialImage } from "../../analysis/image-ref.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { taggedNodeMajor } from "../common/base-images.js";
import { firstUseBeforeProvided, npmProvides } from "../../analysis/tool-provided.js";

/** Steps that make a `yarn` command exist: a global install, corepack, Yarn's installer, the OS package. */
const provides = new RegExp(`\\bcorepack\\b|${npmProvides("yarn")}|yarnpkg\\.com|\\b(?:apk\\s+add|apt-get\\s+install|apt\\s+install)\\b[^&|;]*\\byarn(?:pkg)?\\b`);

/** The newest Node.js major, which floating official tags (`node`, `node:alpine`, `node:lts`, `node:current`) hold today. */
const floatingNodeMajor = 26;

/** The node major of an official node image's tag: its number, an LTS codename's, or today's for a floating tag; undefined otherwise. */
export function officialNodeMajor(facts: Facts): number | undefined {
  const image = facts.resolvedImage;
  const official = isOfficialImage(image, "node") && !image.raw.includes("$");
  if (!official || image.digest) return undefined;
  const tagged = taggedNodeMajor(image.tag);
  if (tagged !== undefined) return tagged;
  return /^(latest|current|lts|alpine[\d.]*|slim|bookworm|bullseye|trixie|bookworm-slim|bullseye-slim|trixie-slim|current-\w+|lts-\w+)?$/.test(image.tag) ? floatingNodeMajor : undefined;
}

/**
 * Rejects (exit 2) a build on an official node image of Node.js 26 or later that runs `yarn` before any
 * step provides it: from Node.js 26 the images no longer bundle Yarn 1 (docker-node's README, "Yarn v1
 * Classic bundling"), and Node.js itself stopped shipping corepack, so `yarn` is not found.
 */
export function rejectMissingYarn(facts: Facts): void {
  const major = officialNodeMajor(facts);
  if (major === undefined || major < 26) return;
  const use = firstUseBeforeProvided(facts, ["yarn"], provides);
  if (!use) return;
  const floating = /^\d/.test(facts.resolvedImage.tag) ? "" : " (a floating tag: Node.js 26 today)";
  throw unusable(`line ${use.entry.ins.startLine + 1}: runs yarn, which ${facts.resolvedImage.raw}${floating} does not have: node images stopped bundling Yarn 1 with Node.js 26; add "RUN npm install -g yarn" before it, or pin node:24`);
}
