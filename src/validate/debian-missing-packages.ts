import { commandWords } from "../analysis/commands.js";
import { isOfficialImage } from "../analysis/image-ref.js";
import type { Facts } from "../analysis/facts.js";
import { unusable } from "../errors.js";
import { failureStopsRun } from "../parser/shell.js";

type Release = "bookworm" | "trixie";

/**
 * Package names with no installation candidate in Debian's main archive for a release (neither a
 * package nor a virtual package with a single provider; checked against bookworm's and trixie's
 * amd64 Packages indexes, December 2026), with what replaces them there, if anything.
 */
const missing: Record<Release, Record<string, string | undefined>> = {
  bookworm: {
    netcat: "netcat-openbsd", "libssl1.1": "libssl3", libffi7: "libffi8", libtiff5: "libtiff6", libwebp6: "libwebp7",
    libavcodec58: "libavcodec59", libenchant1c2a: "libenchant-2-2", "python-pip": "python3-pip", "python-dev": "python3-dev",
    "libmysqlclient-dev": "default-libmysqlclient-dev", libreadline7: "libreadline8", "libevent-2.1-6": "libevent-2.1-7",
    "libmariadbclient-dev": "libmariadb-dev", libicu67: "libicu72",
  },
  trixie: {
    netcat: "netcat-openbsd", "libssl1.1": "libssl3t64", libffi7: "libffi8", libtiff5: "libtiff6", libwebp6: "libwebp7",
    libavcodec58: "libavcodec61", libavcodec59: "libavcodec61", libenchant1c2a: "libenchant-2-2", "python-pip": "python3-pip",
    "python-dev": "python3-dev", "libmysqlclient-dev": "default-libmysqlclient-dev", libreadline7: "libreadline8t64",
    "libevent-2.1-6": "libevent-2.1-7t64", "libmariadbclient-dev": "libmariadb-dev", libicu67: "libicu76", libicu72: "libicu76",
    "libgl1-mesa-glx": "libgl1", "software-properties-common": undefined, "python3-distutils": "python3-setuptools",
    "libatlas-base-dev": "libopenblas-dev", wkhtmltopdf: undefined, "libgdk-pixbuf2.0-0": "libgdk-pixbuf-2.0-0",
    libncurses5: "libncurses6", libtinfo5: "libtinfo6", "libgconf-2-4": undefined, libaio1: "libaio1t64",
    "libldap-2.5-0": "libldap2", "libpango1.0-0": "libpango-1.0-0", unoconv: undefined,
  },
};

/**
 * The Debian release an official image stands for today, where that is certain: a tag naming it
 * (`python:3.11-slim-bookworm`, `debian:12`), or a tag that follows the newest images of a version
 * line, which Docker's official python (3.9 on), golang (1.24 on) and debian images build on trixie
 * since August 2025 (`python:3.11-slim`, `golang:1.24`, `debian:stable`), or the last images of a finished
 * line (`python:3.7` and `3.8` ended on bookworm, docker-library/python's versions.json). Tags pinning a patch
 * release (`python:3.11.4`) keep the release they were built on and are not judged.
 */
export function debianReleaseToday(image: Facts["resolvedImage"]): Release | undefined {
  if (!isOfficialImage(image) || image.digest) return undefined;
  const tag = image.tag;
  const named = /(?:^|-)(bookworm|trixie)(?:-|$)/.exec(tag)?.[1] as Release | undefined;
  if (named) return named;
  if (/alpine|windows|nanoserver|bullseye|buster|stretch|jessie/.test(tag)) return undefined;
  if (image.name === "debian") return /^12([.-]|$)/.test(tag) ? "bookworm" : /^(13([.-]|$)|latest$|stable(-slim)?$|slim$|$)/.test(tag) ? "trixie" : undefined;
  // the last images of a finished version line stay on the release they ended on: 3.9 (October 2025) on trixie, 3.7 and 3.8 on bookworm
  if (image.name === "python") return /^(3\.(9|1\d)(-slim)?|3(-slim)?|slim|latest|)$/.test(tag) ? "trixie" : /^3\.[78](-slim)?$/.test(tag) ? "bookworm" : undefined;
  if (image.name === "golang") return /^(1\.(2[4-9])|1|latest|)$/.test(tag) ? "trixie" : undefined;
  return undefined;
}

/** Whether an earlier step changes where apt installs from (another release's sources, a PPA). */
function changesAptSources(facts: Facts, before: number): boolean {
  return facts.body.slice(0, before).some((e) => e.run && /sources\.list|add-apt-repository|\bdeb\s+https?:|extrepo/.test(e.ins.text));
}

/**
 * Rejects (exit 2) `apt-get install` of a package the image's Debian release has no installation
 * candidate for (`libgl1-mesa-glx` or `software-properties-common` on python:3.11-slim, trixie
 * today): apt stops with "Unable to locate package" or "has no installation candidate", and the
 * original cannot build. Not when a failure of the step is tolerated or the Dockerfile adds apt sources.
 */
export function rejectMissingDebianPackages(facts: Facts): void {
  const release = debianReleaseToday(facts.resolvedImage);
  if (!release) return;
  facts.body.forEach((entry, index) => {
    const segments = entry.run?.segments ?? [];
    for (const [k, segment] of segments.entries()) {
      const words = commandWords(segment.argv);
      if (!/^apt(-get)?$/.test(words[0]?.split("/").pop() ?? "") || !words.includes("install") || !failureStopsRun(segments, k)) continue;
      const gone = words.slice(words.indexOf("install") + 1).filter((w) => Object.hasOwn(missing[release], w));
      if (gone.length === 0 || changesAptSources(facts, index + 1)) continue;
      const replacements = gone.map((name) => (missing[release][name] ? `${name} → ${missing[release][name]}` : `${name}: none, pin a ${release === "trixie" ? "bookworm" : "older"} tag or do without it and what uses it`));
      throw unusable(`line ${entry.ins.startLine + 1}: apt-get install ${gone.join(", ")}: ${facts.resolvedImage.raw} is Debian ${release}, which has no installation candidate for ${gone.length > 1 ? "them" : "it"}, so the build fails here (${replacements.join("; ")})`);
    }
  });
}

/** Packages whose dependencies (without recommends) do not include adduser on trixie (checked against its amd64 index). */
const withoutAdduser = new Set(("gcc g++ make build-essential curl wget git ca-certificates libpq-dev libpq5 python3-dev pkg-config libffi-dev libssl-dev " +
  "unzip zip libjpeg-dev zlib1g-dev libxml2-dev libxslt1-dev ffmpeg tzdata locales netcat-openbsd procps vim nano " +
  "default-libmysqlclient-dev libmariadb-dev tesseract-ocr libgl1 graphviz iputils-ping jq less git-lfs openssl cmake gettext " +
  "libsqlite3-dev sqlite3 imagemagick ghostscript fonts-liberation xz-utils bzip2 file gfortran libopenblas-dev liblapack-dev " +
  "swig libcairo2-dev libgomp1 libsndfile1").split(" "));

/**
 * Rejects (exit 2) `adduser` run on a trixie-based slim image (`python:3.12-slim`, `debian:stable-slim`)
 * before any step installs it: Debian's images stopped carrying adduser with trixie (useradd, from
 * passwd, is still there), so the shell stops with "adduser: not found".
 */
export function rejectAdduserOnTrixieSlim(facts: Facts): void {
  const image = facts.resolvedImage;
  if (debianReleaseToday(image) !== "trixie" || !(image.name === "debian" || /(^|-)slim(-|$)/.test(image.tag))) return;
  for (const entry of facts.body) {
    const segments = entry.run?.segments ?? [];
    for (const [k, segment] of segments.entries()) {
      const words = commandWords(segment.argv);
      // an earlier install may bring adduser as a dependency (chromium, cron, openssh-client and 600 more do):
      // judged only after installs without recommends of packages known not to
      if (/^apt(-get)?$/.test(words[0]?.split("/").pop() ?? "") && words.includes("install")) {
        const packages = words.slice(words.indexOf("install") + 1).filter((w) => !w.startsWith("-"));
        if (!words.includes("--no-install-recommends") || packages.some((p) => !withoutAdduser.has(p))) return;
      }
      if (words[0] !== "adduser" || !failureStopsRun(segments, k)) continue;
      throw unusable(`line ${entry.ins.startLine + 1}: \`${segment.text}\` cannot run: ${image.raw} is Debian trixie, whose images no longer carry adduser, so the shell stops with "adduser: not found" (use \`useradd --create-home\`, run \`apt-get update && apt-get install -y adduser\` first, or pin a -bookworm tag)`);
    }
  }
}
