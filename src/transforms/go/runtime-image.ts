import type { ImageRef } from "../../analysis/image-ref.js";
import { familyOf } from "../common/base-images.js";
import type { GoVersion } from "./toolchain.js";

/** The C library release a Go builder image links against: a cgo binary needs the same (or newer) one at run time. */
export interface BuilderRelease {
  family: "debian" | "alpine" | "other";
  /** Debian codename or Alpine version. */
  release?: string;
  /** How msb knows: the tag names it, or the golang image of that Go version was built on it. */
  how: "tag" | "go version" | "assumed";
}

const debianNumber: Record<string, string> = { jessie: "8", stretch: "9", buster: "10", bullseye: "11", bookworm: "12", trixie: "13" };

/** The Debian release the official golang image of a Go version was last built on. */
function debianOfGo(version: GoVersion): string {
  if (version.minor <= 10) return "stretch";
  if (version.minor <= 15) return "buster";
  if (version.minor <= 18) return "bullseye";
  if (version.minor <= 23) return "bookworm";
  return "trixie";
}

/** The Alpine release the official golang:X.Y-alpine image was last built on. */
const alpineOfGo: Record<number, string> = { 13: "3.12", 14: "3.13", 15: "3.14", 16: "3.15", 17: "3.16", 18: "3.17", 19: "3.18", 20: "3.19", 21: "3.20", 22: "3.21", 23: "3.22" };

export function builderRelease(image: ImageRef, version: GoVersion | undefined): BuilderRelease {
  const family = familyOf(image);
  if (family === "alpine") {
    const explicit = /alpine(\d+\.\d+)/.exec(image.tag)?.[1] ?? (image.name === "alpine" && /^\d+\.\d+/.test(image.tag) ? /^\d+\.\d+/.exec(image.tag)![0] : undefined);
    if (explicit) return { family, release: explicit, how: "tag" };
    const known = version && image.name === "golang" ? alpineOfGo[version.minor] : undefined;
    return known ? { family, release: known, how: "go version" } : { family, how: "assumed" };
  }
  const codename = /(jessie|stretch|buster|bullseye|bookworm|trixie)/.exec(image.tag)?.[1];
  if (codename) return { family: "debian", release: codename, how: "tag" };
  if (image.name === "debian" && /^\d+/.test(image.tag)) {
    const number = /^\d+/.exec(image.tag)![0];
    const name = Object.entries(debianNumber).find(([, n]) => n === number)?.[0];
    if (name) return { family: "debian", release: name, how: "tag" };
  }
  if (image.name === "golang" && version) return { family: "debian", release: debianOfGo(version), how: "go version" };
  if (family === "debian" && image.name === "golang") return { family: "debian", release: "bookworm", how: "assumed" };
  return { family: family === "debian" ? "debian" : "other", how: "assumed" };
}

/** glibc runtime for a cgo binary: distroless base of the builder's Debian release (Debian 10 and newer). */
export function distrolessBaseFor(release: BuilderRelease): string | undefined {
  const number = release.release ? debianNumber[release.release] : undefined;
  if (!number || Number(number) < 10) return undefined;
  return `gcr.io/distroless/base-debian${number}:nonroot`;
}

export function debianSlimFor(release: BuilderRelease): string {
  return `debian:${release.release ?? "bookworm"}-slim`;
}

export function alpineFor(release: BuilderRelease): string {
  return `alpine:${release.release ?? "3.22"}`;
}
