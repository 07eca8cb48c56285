import { onDockerHub } from "../analysis/image-ref.js";
import { commandWords } from "../analysis/commands.js";
import type { Facts } from "../analysis/facts.js";
import { unusable } from "../errors.js";

/** Python 2 package names Alpine dropped in 3.12 (`python2`, then `python3`): apk stops with "no such package". */
const goneSinceAlpine312 = new Set(["python", "python-dev"]);

/**
 * The lowest Alpine release a Docker Hub image's tag can stand for, when that is known: an explicit
 * `alpineX.Y`, `alpine:X.Y`, or an official python/node alpine tag whose images reached 3.12 or later
 * (python 3.5 on, node 12 and 14 on; floating `alpine` tags are newer still).
 */
export function alpineAtLeast(image: Facts["resolvedImage"]): number | undefined {
  if (!onDockerHub(image)) return undefined;
  const explicit = /alpine(\d+)\.(\d+)/.exec(image.tag) ?? (image.name === "alpine" ? /^(\d+)\.(\d+)/.exec(image.tag) : null);
  if (explicit) return Number(explicit[1]) * 100 + Number(explicit[2]);
  if (image.name === "alpine") return /^(latest|edge)?$/.test(image.tag) ? 312 : undefined;
  if (!/(^|-)alpine$/.test(image.tag)) return undefined;
  const version = /^(\d+)(?:\.(\d+))?/.exec(image.tag);
  if (image.name === "python") return !version || (Number(version[1]) === 3 && (version[2] === undefined || Number(version[2]) >= 5)) ? 312 : undefined;
  if (image.name === "node") return !version || /^(lts|current)/.test(image.tag) || Number(version[1]) === 12 || Number(version[1]) >= 14 ? 312 : undefined;
  return undefined;
}

/**
 * Rejects (exit 2) `apk add` of a package the image's Alpine release no longer has (`python-dev`
 * on python:3.7-alpine, which is Alpine 3.18): the original cannot build.
 */
export function rejectRemovedAlpinePackages(facts: Facts): void {
  const release = alpineAtLeast(facts.resolvedImage);
  if (release === undefined || release < 312) return;
  for (const entry of facts.body) {
    for (const segment of entry.run?.segments ?? []) {
      const words = commandWords(segment.argv);
      if (words[0]?.split("/").pop() !== "apk" || !words.includes("add")) continue;
      const gone = words.slice(words.indexOf("add") + 1).filter((w) => goneSinceAlpine312.has(w));
      if (gone.length === 0) continue;
      throw unusable(`line ${entry.ins.startLine + 1}: apk add ${gone.join(", ")}: Alpine has had no such package since 3.12 (Python 2 was renamed python2, then dropped), and ${facts.resolvedImage.raw} is Alpine 3.12 or later, so the build fails here; use ${gone.map((name) => name.replace("python", "python3")).join(" and ")}`);
    }
  }
}
