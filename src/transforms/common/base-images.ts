import { formatImageRef, isOfficialImage, type ImageRef } from "../../analysis/image-ref.js";
import type { Report } from "../../report.js";

/** Images msb chooses itself (not derived from the user's tag). One table, no scattered literals. */
export const chosenImages = {
  distrolessStatic: "gcr.io/distroless/static-debian13:nonroot",
  distrolessBase: "gcr.io/distroless/base-debian12:nonroot",
  alpine: "alpine:3.22",
  debianSlim: "debian:bookworm-slim",
  nginx: "nginx:stable-alpine",
} as const;

/** Published compressed sizes (MB) of common images, for the estimate in the report only. */
export const publishedSizeMb: Record<string, number> = {
  "node": 380, "node-slim": 75, "node-alpine": 45,
  "python": 370, "python-slim": 45, "python-alpine": 20,
  "golang": 280, "golang-alpine": 80,
  "distroless-static": 2, "distroless-base": 9, "alpine": 4, "debian": 49, "debian-slim": 28, "nginx-alpine": 20,
};

export type Family = "debian" | "alpine" | "distroless" | "unknown";

/**
 * Programs the full official images (node:18, python:3.11, golang:1.22) ship that their slim and alpine
 * variants lack, by the runtime family's package that brings each back: buildpack-deps' curl, wget, git,
 * ssh, gpg, procps' tools, unzip, bzip2, xz and ImageMagick's convert; ping too on Debian 10 and older.
 * Alpine's busybox already has wget, ps, ping, unzip, bzip2 and xz.
 */
export function fullImageTools(runtimeFamily: Family, debianTenOrOlder: boolean): Record<string, string> {
  const imagemagick = { convert: "imagemagick", identify: "imagemagick", mogrify: "imagemagick" };
  if (runtimeFamily === "alpine") return { curl: "curl", git: "git", ssh: "openssh-client", ...imagemagick };
  const procps = { ps: "procps", free: "procps", top: "procps", pgrep: "procps", pkill: "procps" };
  return {
    curl: "curl", wget: "wget", git: "git", ssh: "openssh-client", scp: "openssh-client", gpg: "gnupg", ...procps,
    unzip: "unzip", bzip2: "bzip2", xz: "xz-utils", ...imagemagick, ...(debianTenOrOlder ? { ping: "iputils-ping" } : {}),
  };
}

/**
 * The distribution of an image, from its name and tag; for another publisher's image that names none
 * (`surnet/alpine-python-wkhtmltopdf:3.8.5`), from the package manager the Dockerfile runs in it.
 */
export function familyOf(ref: ImageRef, packageManager?: string): Family {
  if (ref.repository.includes("distroless")) return "distroless";
  if (/alpine/.test(ref.tag) || ref.name === "alpine") return "alpine";
  if (["debian", "ubuntu"].includes(ref.name) || /bookworm|bullseye|buster|slim|jammy|focal|noble/.test(ref.tag)) return "debian";
  if (["node", "python", "golang", "nginx"].includes(ref.name)) return "debian";
  if (packageManager === "apk" || (packageManager === undefined && /(^|[-_/])alpine([-_/]|$)/.test(ref.repository))) return "alpine";
  if (packageManager === "apt") return "debian";
  return "unknown";
}

const codename = /-(bookworm|bullseye|buster|stretch|trixie)(?=$|-)/;

/**
 * How much of a tag fixes the language version a build links against: a node major (native addons
 * follow the ABI of a major), a Python minor (site-packages live under pythonX.Y). A tag without it
 * (`latest`, `lts`, `current`, `3`, none, a digest alone) floats: two images pulled at different
 * times may run different versions.
 */
const versionTag: Record<string, RegExp> = { python: /^\d+\.\d+/, node: /^(?:lts-)?(\d+|argon|boron|carbon|dubnium|erbium|fermium|gallium|hydrogen|iron|jod|krypton)(?=$|[-.])/ };

/** The node major an LTS codename tag (`node:boron`, `node:hydrogen-slim`) stands for: each names one major line. */
export const nodeCodenames: Record<string, number> = { argon: 4, boron: 6, carbon: 8, dubnium: 10, erbium: 12, fermium: 14, gallium: 16, hydrogen: 18, iron: 20, jod: 22, krypton: 24 };

/** The Node.js major a node image's tag names: its leading number (`18-alpine`) or an LTS codename's (`hydrogen`, `iron-slim`, `lts-hydrogen`). */
export function taggedNodeMajor(tag: string): number | undefined {
  const number = /^(\d+)/.exec(tag)?.[1];
  if (number !== undefined) return Number(number);
  // `lts-hydrogen` names the same line as `hydrogen`
  const codename = tag.replace(/^lts-/, "").split("-")[0]!;
  return Object.hasOwn(nodeCodenames, codename) ? nodeCodenames[codename] : undefined;
}

/** The minor and patch release a node image's tag names (`14.15-alpine` → 15, `14.15.4` → 15 and 4); none for `14` or `lts`. */
export function taggedNodeRelease(tag: string): { minor?: number; patch?: number } {
  const m = /^\d+\.(\d+)(?:\.(\d+))?(?=-|$)/.exec(tag);
  return m ? { minor: Number(m[1]), ...(m[2] !== undefined ? { patch: Number(m[2]) } : {}) } : {};
}
const anyVersion = /^\d+/;

/**
 * The slim variant of an official debian image whose tag names a release (`debian:11` → `debian:11-slim`,
 * `debian:bookworm-20240110` → `debian:bookworm-20240110-slim`): the same release without documentation
 * files. Undefined for slim, floating (`latest`, `stable`, `testing`, `sid`) and digest-pinned references.
 */
export function debianSlimVariant(original: ImageRef): string | undefined {
  if (!isOfficialImage(original, "debian") || original.digest || /slim|\$/.test(original.tag)) return undefined;
  if (!/^(\d+(\.\d+)?|bookworm|bullseye|trixie|forky)(-\d{8})?$/.test(original.tag)) return undefined;
  return formatImageRef({ ...original, tag: `${original.tag}-slim`, digest: "" });
}

/** Whether a tag fixes the version of the image's language runtime (a tag from a build argument counts: both stages read the same value). */
export function pinsVersion(ref: ImageRef): boolean {
  if (/\$/.test(ref.tag)) return true;
  return (versionTag[ref.name] ?? anyVersion).test(ref.tag);
}

/**
 * The smaller variant of an official language image in the same version line: `node:18` → `node:18-slim`,
 * `python:3.11-bookworm` → `python:3.11-slim-bookworm`, `node:18-alpine` unchanged. A reference that
 * does not fix the version (`python`, `node:latest`, `node:lts`, `python@sha256:…`) is reused as it is:
 * a floating runtime tag could run another version than the build.
 */
export function smallerVariant(original: ImageRef, resolved: ImageRef, variant: "slim" | "alpine", report: Report): string {
  const tag = original.tag;
  const resolvedTag = resolved.tag;
  if (/(^|-)(slim|alpine)/.test(resolvedTag) || resolved.name === "alpine") {
    return formatImageRef({ ...original, digest: original.digest });
  }
  // `python:stretch`, `python:buster`: no longer built since their Debian release ended, so frozen together with their slim twin
  if (original.name === "python" && isOfficialImage(original) && !original.digest && /^(stretch|buster)$/.test(tag)) {
    return formatImageRef({ ...original, tag: `slim-${tag}`, digest: "" });
  }
  if (!pinsVersion(/\$/.test(tag) ? original : resolved)) {
    report.warn(`${original.raw} does not fix the ${original.name} version; the runtime reuses the same image so build and runtime run the same version (no smaller runtime: it gains only the build tools left behind, and a non-root user where one can run it). Pin a version tag such as ${original.name}:${exampleVersion[original.name] ?? "<version>"} for a ${variant} runtime`);
    return formatImageRef({ ...original, digest: original.digest });
  }
  if (/(^|-)(jessie|wheezy)($|-)/.test(resolvedTag)) {
    // jessie's apt cannot install from archive.debian.org (its archive keys expired, its os-release names no codename): a slim runtime could not get back what it lacks
    report.warn(`${original.raw} is Debian ${/wheezy/.test(resolvedTag) ? "wheezy" : "jessie"}, whose packages apt can no longer install; the runtime reuses the same full image, compilers included, so nothing it had must be installed again (no smaller runtime: the gains are a non-root user and leaving the build's own downloads and caches behind)`);
    return formatImageRef({ ...original, digest: original.digest });
  }
  if (original.digest) report.warn(`the runtime image cannot reuse the digest pin of ${original.raw}; pin the runtime tag yourself`);
  let newTag: string;
  // `lts-hydrogen` has no variants of its own: the LTS line's codename tag has them (`hydrogen-alpine`)
  if (original.name === "node" && /^lts-[a-z]+$/.test(tag)) return formatImageRef({ registry: original.registry, repository: original.repository, tag: `${tag.slice(4)}-${variant}`, digest: "" });
  if (codename.test(tag)) {
    if (variant === "alpine") return smallerVariant(original, resolved, "slim", report);
    newTag = original.name === "python" ? tag.replace(codename, "-slim-$1") : `${tag}-slim`;
  } else {
    newTag = `${tag}-${variant}`;
  }
  return formatImageRef({ registry: original.registry, repository: original.repository, tag: newTag, digest: "" });
}

const exampleVersion: Record<string, string> = { node: "20", python: "3.12" };
