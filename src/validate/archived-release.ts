import { onDockerHub } from "../analysis/image-ref.js";
import { commandWords } from "../analysis/commands.js";
import type { Facts } from "../analysis/facts.js";
import { unusable } from "../errors.js";
import { taggedNodeMajor } from "../transforms/common/base-images.js";

/** Debian releases deb.debian.org and security.debian.org no longer serve (moved to archive.debian.org). */
const archived: Record<string, string> = { "6": "squeeze", "7": "wheezy", "8": "jessie", "9": "stretch", "10": "buster" };
const archivedNames = new Set(Object.values(archived));

/** The archived Debian release a Docker Hub image's tag names (`python:3.8-slim-buster`, `debian:9`), if any. */
export function archivedDebianRelease(image: Facts["resolvedImage"]): string | undefined {
  if (!onDockerHub(image)) return undefined;
  const tag = image.tag ?? "";
  const named = tag.split(/[-.]/).find((part) => archivedNames.has(part));
  if (named) return named;
  if (image.name === "debian") return archived[/^(\d+)(?:[.-]|$)/.exec(tag)?.[1] ?? ""];
  return lastReleaseOfOldImage(image.name, tag);
}

/**
 * Official images whose versions stopped being built before bullseye became their default: every
 * tag of them (`golang:1.11`, `python:3.5`, `node:10`) is jessie, stretch or buster, all archived;
 * node 11–16 kept buster as the default to the end (bullseye only under its own tag). Variants
 * on another distribution (alpine, windowsservercore) are not Debian.
 */
function lastReleaseOfOldImage(name: string, tag: string): string | undefined {
  if (/alpine|windows|nanoserver|ubuntu|jessie|wheezy/.test(tag)) return undefined;
  if (name === "node") {
    // node 11–16 images default to buster (`16`, `16-slim`, `gallium`); their bullseye variants name it
    if (/bullseye|bookworm|trixie/.test(tag)) return undefined;
    const major = taggedNodeMajor(tag);
    return major === undefined || major > 16 ? undefined : major <= 10 ? "jessie, stretch or buster" : "buster";
  }
  const version = /^(\d+)(?:\.(\d+))?/.exec(tag);
  if (!version) return undefined;
  const major = Number(version[1]);
  const minor = version[2] === undefined ? undefined : Number(version[2]);
  const old =
    (name === "golang" && major === 1 && minor !== undefined && minor <= 15) ||
    (name === "python" && (major === 2 || (major === 3 && minor !== undefined && minor <= 5)));
  return old ? "stretch or buster" : undefined;
}

/**
 * Ubuntu releases archive.ubuntu.com no longer serves (moved to old-releases.ubuntu.com): every
 * interim release up to 24.10, and the LTS releases before 14.04, which stay while Canonical's
 * extended maintenance lasts.
 */
const archivedUbuntu: Record<string, string> = {
  "10.04": "lucid", "10.10": "maverick", "11.04": "natty", "11.10": "oneiric", "12.04": "precise", "12.10": "quantal", "13.04": "raring", "13.10": "saucy",
  "14.10": "utopic", "15.04": "vivid", "15.10": "wily", "16.10": "yakkety", "17.04": "zesty", "17.10": "artful", "18.10": "cosmic", "19.04": "disco",
  "19.10": "eoan", "20.10": "groovy", "21.04": "hirsute", "21.10": "impish", "22.10": "kinetic", "23.04": "lunar", "23.10": "mantic", "24.10": "oracular",
};
const archivedUbuntuNames = new Set(Object.values(archivedUbuntu));

/** The archived Ubuntu release an official ubuntu image's tag names (`ubuntu:17.10`, `ubuntu:artful-20180412`), if any. */
export function archivedUbuntuRelease(image: Facts["resolvedImage"]): string | undefined {
  if (!onDockerHub(image) || image.name !== "ubuntu") return undefined;
  const version = /^(\d+\.\d+)(?:[.-]|$)/.exec(image.tag)?.[1];
  if (version !== undefined) return archivedUbuntu[version] === undefined ? undefined : `${version} (${archivedUbuntu[version]})`;
  const name = image.tag.split("-")[0]!;
  return archivedUbuntuNames.has(name) ? name : undefined;
}

/**
 * Whether the Debian release under an image may be gone from deb.debian.org by the time it is built:
 * an archived release its tag names, bullseye (its LTS ended in 2026), or an official image of a version
 * whose images never had a newer release than bullseye (node ≤ 17 and 19, python 3.6, golang 1.16–1.19).
 */
export function mayBeArchivedDebianRelease(image: Facts["resolvedImage"]): boolean {
  if (archivedDebianRelease(image)) return true;
  if (!onDockerHub(image)) return false;
  if (image.tag.split(/[-.]/).includes("bullseye")) return true;
  if (image.name === "debian") return /^11([.-]|$)/.test(image.tag);
  if (/bookworm|trixie|alpine/.test(image.tag)) return false;
  // versions whose images stopped before bookworm became their default: their last tags are bullseye
  if (image.name === "python" && /^3\.6([.-]|$)/.test(image.tag)) return true;
  if (image.name === "golang" && /^1\.1[6-9]([.-]|$)/.test(image.tag)) return true;
  const nodeMajor = image.name === "node" ? taggedNodeMajor(image.tag) : undefined;
  return nodeMajor !== undefined && (nodeMajor <= 17 || nodeMajor === 19);
}

/**
 * Rejects (exit 2) an `apt-get update` on a Debian or Ubuntu release whose repositories are gone from the
 * mirrors the image's sources.list names: the original cannot build. A Dockerfile that rewrites its
 * sources (archive.debian.org, sources.list) first is left alone.
 */
export function rejectArchivedReleaseUpdate(facts: Facts): void {
  const debian = archivedDebianRelease(facts.resolvedImage);
  const ubuntu = debian ? undefined : archivedUbuntuRelease(facts.resolvedImage);
  if (!debian && !ubuntu) return;
  const where = debian
    ? `Debian ${debian} (${facts.resolvedImage.raw}), which deb.debian.org no longer serves (it moved to archive.debian.org), so the build fails here; use a newer base image or point /etc/apt/sources.list at archive.debian.org first`
    : `Ubuntu ${ubuntu} (${facts.resolvedImage.raw}), which archive.ubuntu.com no longer serves (it moved to old-releases.ubuntu.com), so the build fails here; use a supported release or point /etc/apt/sources.list at old-releases.ubuntu.com first`;
  for (const entry of facts.body) {
    if (/archive\.debian\.org|old-releases\.ubuntu\.com|sources\.list/.test(entry.ins.text)) return;
    for (const segment of entry.run?.segments ?? []) {
      const words = commandWords(segment.argv);
      if (["apt-get", "apt"].includes(words[0]?.split("/").pop() ?? "") && words.includes("update")) {
        throw unusable(`line ${entry.ins.startLine + 1}: apt-get update on ${where}`);
      }
    }
  }
}
