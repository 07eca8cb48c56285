import { commandWords } from "../analysis/commands.js";
import type { Facts } from "../analysis/facts.js";
import { unusable } from "../errors.js";

/** Debian releases deb.debian.org and security.debian.org no longer serve (moved to archive.debian.org). */
const archived: Record<string, string> = { "6": "squeeze", "7": "wheezy", "8": "jessie", "9": "stretch", "10": "buster" };
const archivedNames = new Set(Object.values(archived));

/** The archived Debian release a Docker Hub image's tag names (`python:3.8-slim-buster`, `debian:9`), if any. */
export function archivedDebianRelease(image: Facts["resolvedImage"]): string | undefined {
  if (!["", "docker.io", "index.docker.io"].includes(image.registry)) return undefined;
  const tag = image.tag ?? "";
  const named = tag.split(/[-.]/).find((part) => archivedNames.has(part));
  if (named) return named;
  if (image.name === "debian") return archived[/^(\d+)(?:[.-]|$)/.exec(tag)?.[1] ?? ""];
  return lastReleaseOfOldImage(image.name, tag);
}

/**
 * Official images whose versions stopped being built before bullseye became their default: every
 * tag of them (`golang:1.11`, `python:3.5`, `node:10`) is stretch or buster, both archived. Variants
 * on another distribution (alpine, windowsservercore) are not Debian.
 */
function lastReleaseOfOldImage(name: string, tag: string): string | undefined {
  if (/alpine|windows|nanoserver|ubuntu|jessie|wheezy/.test(tag)) return undefined;
  const version = /^(\d+)(?:\.(\d+))?/.exec(tag);
  if (!version) return undefined;
  const major = Number(version[1]);
  const minor = version[2] === undefined ? undefined : Number(version[2]);
  const old =
    (name === "golang" && major === 1 && minor !== undefined && minor <= 15) ||
    (name === "python" && (major === 2 || (major === 3 && minor !== undefined && minor <= 5))) ||
    (name === "node" && major <= 10);
  return old ? "stretch or buster" : undefined;
}

/**
 * Whether the Debian release under an image may be gone from deb.debian.org by the time it is built:
 * an archived release its tag names, bullseye (its LTS ended in 2026), or an official node image of a
 * major whose images never had a newer release than bullseye (node ≤ 16).
 */
export function mayBeArchivedDebianRelease(image: Facts["resolvedImage"]): boolean {
  if (archivedDebianRelease(image)) return true;
  if (!["", "docker.io", "index.docker.io"].includes(image.registry)) return false;
  if (image.tag.split(/[-.]/).includes("bullseye")) return true;
  if (image.name === "debian") return /^11([.-]|$)/.test(image.tag);
  const nodeMajor = image.name === "node" ? /^(\d+)/.exec(image.tag)?.[1] : undefined;
  return nodeMajor !== undefined && Number(nodeMajor) <= 16;
}

/**
 * Rejects (exit 2) an `apt-get update` on a Debian release whose repositories are gone from the
 * mirrors the image's sources.list names: the original cannot build. A Dockerfile that rewrites its
 * sources (archive.debian.org, sources.list) first is left alone.
 */
export function rejectArchivedReleaseUpdate(facts: Facts): void {
  const release = archivedDebianRelease(facts.resolvedImage);
  if (!release) return;
  for (const entry of facts.body) {
    if (/archive\.debian\.org|sources\.list/.test(entry.ins.text)) return;
    for (const segment of entry.run?.segments ?? []) {
      const words = commandWords(segment.argv);
      if (["apt-get", "apt"].includes(words[0]?.split("/").pop() ?? "") && words.includes("update")) {
        throw unusable(`line ${entry.ins.startLine + 1}: apt-get update on Debian ${release} (${facts.resolvedImage.raw}), which deb.debian.org no longer serves (it moved to archive.debian.org), so the build fails here; use a newer base image or point /etc/apt/sources.list at archive.debian.org first`);
      }
    }
  }
}
