import { commandWords } from "../analysis/commands.js";
import type { Facts } from "../analysis/facts.js";
import { isOfficialImage } from "../analysis/image-ref.js";
import { unusable } from "../errors.js";
import { failureStopsRun } from "../parser/shell.js";
import { taggedNodeMajor } from "../transforms/common/base-images.js";

const sourcesList = "/etc/apt/sources.list";
const olderReleases = /(^|[-.])(bullseye|buster|stretch|jessie|wheezy|alpine|windowsservercore|nanoserver|ubuntu|focal|jammy|noble)([-.]|$)/;

/**
 * Whether an official image is Debian 12 (bookworm) or later, whose images keep their sources in
 * /etc/apt/sources.list.d/debian.sources and have no /etc/apt/sources.list: a tag that names such a
 * release, or a floating tag of a version whose images have been bookworm or later since June 2023
 * (python 3.7+, node 18 and 20+, golang 1.20+, debian 12+). Tags pinning a patch release are only
 * counted for versions first published after bookworm (python 3.12, node 21, golang 1.21 and later).
 */
export function hasDeb822SourcesOnly(image: Facts["resolvedImage"]): boolean {
  if (!isOfficialImage(image)) return false;
  const tag = image.tag;
  if (/(^|[-.])(bookworm|trixie|forky)([-.]|$)/.test(tag)) return true;
  if (olderReleases.test(tag)) return false;
  const floating = tag === "" || tag === "latest" || /^(slim|stable|stable-slim)$/.test(tag);
  const version = /^(\d+)(?:\.(\d+))?(\.\d+)?(?=$|-)/.exec(tag);
  const patch = version?.[3] !== undefined;
  switch (image.name) {
    case "debian":
      return floating || /^(stable|testing|sid|unstable)([-.]|$)/.test(tag) || (version !== null && Number(version[1]) >= 12);
    case "python": {
      if (floating || /^3(-slim)?$/.test(tag)) return true;
      const minor = version && version[1] === "3" && version[2] !== undefined ? Number(version[2]) : undefined;
      return minor !== undefined && (patch ? minor >= 12 : minor >= 7);
    }
    case "node": {
      if (floating || /^(lts|current)(-slim)?$/.test(tag)) return true;
      const major = taggedNodeMajor(tag);
      if (major === undefined) return false;
      return patch || version?.[2] !== undefined ? major >= 21 : major === 18 || major >= 20;
    }
    case "golang": {
      if (floating) return true;
      const minor = version && version[1] === "1" && version[2] !== undefined ? Number(version[2]) : undefined;
      return minor !== undefined && (patch ? minor >= 21 : minor >= 20);
    }
    default:
      return false;
  }
}

/**
 * Rejects (exit 2) a RUN whose step fails because it edits or copies /etc/apt/sources.list on an image
 * that has none (`sed -i 's/deb.debian.org/mirrors.aliyun.com/g' /etc/apt/sources.list` on bookworm:
 * "sed: can't read /etc/apt/sources.list: No such file or directory", exit 2). Not when an earlier step
 * writes the file, or when a later command of the same RUN decides its status (`; apt-get update`, `|| true`).
 */
export function rejectMissingSourcesList(facts: Facts): void {
  if (!hasDeb822SourcesOnly(facts.resolvedImage)) return;
  for (const entry of facts.body) {
    if (entry.copy && entry.copy.destAbs.startsWith("/etc/apt")) return;
    const segments = entry.run?.segments ?? [];
    for (const [k, segment] of segments.entries()) {
      if (new RegExp(`>>?\\s*${sourcesList}(\\s|$)`).test(segment.text) || /\btee\b.*\/etc\/apt\/sources\.list(\s|$)/.test(segment.text)) return;
      const words = commandWords(segment.argv);
      const program = words[0]?.split("/").pop() ?? "";
      const reads = (program === "sed" && words.some((w) => /^-[a-zA-Z]*i/.test(w) || w.startsWith("--in-place"))) || ((program === "cp" || program === "mv") && words.slice(1, -1).includes(sourcesList));
      if (!reads || !words.slice(1).includes(sourcesList)) continue;
      if (!failureStopsRun(segments, k)) continue;
      throw unusable(`line ${entry.ins.startLine + 1}: \`${segment.text}\` fails: ${facts.resolvedImage.raw} is Debian 12 (bookworm) or later, whose images have no ${sourcesList} (their sources are in /etc/apt/sources.list.d/debian.sources), so ${program} stops with "No such file or directory" (edit debian.sources instead)`);
    }
  }
}
