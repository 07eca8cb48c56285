import { formatImageRef, type ImageRef } from "../../analysis/image-ref.js";
import type { Report } from "../../report.js";

/** Images msb chooses itself (not derived from the user's tag). One table, no scattered literals. */
export const chosenImages = {
  distrolessStatic: "gcr.io/distroless/static-debian12:nonroot",
  distrolessBase: "gcr.io/distroless/base-debian12:nonroot",
  alpine: "alpine:3.20",
  debianSlim: "debian:bookworm-slim",
  nginx: "nginx:stable-alpine",
} as const;

/** Published compressed sizes (MB) of common images, for the estimate in the report only. */
export const publishedSizeMb: Record<string, number> = {
  "node": 380, "node-slim": 75, "node-alpine": 45,
  "python": 370, "python-slim": 45, "python-alpine": 20,
  "golang": 280, "golang-alpine": 80,
  "distroless-static": 2, "distroless-base": 9, "alpine": 4, "debian-slim": 28, "nginx-alpine": 20,
};

export type Family = "debian" | "alpine" | "distroless" | "unknown";

export function familyOf(ref: ImageRef): Family {
  if (ref.repository.includes("distroless")) return "distroless";
  if (/alpine/.test(ref.tag) || ref.name === "alpine") return "alpine";
  if (["debian", "ubuntu"].includes(ref.name) || /bookworm|bullseye|buster|slim|jammy|focal|noble/.test(ref.tag)) return "debian";
  if (["node", "python", "golang", "nginx"].includes(ref.name)) return "debian";
  return "unknown";
}

const codename = /-(bookworm|bullseye|buster|stretch|trixie)(?=$|-)/;

/**
 * The smaller variant of an official language image in the same version line: `node:18` → `node:18-slim`,
 * `python:3.11-bookworm` → `python:3.11-slim-bookworm`, `node:18-alpine` unchanged. Digests cannot carry over.
 */
export function smallerVariant(original: ImageRef, resolved: ImageRef, variant: "slim" | "alpine", report: Report): string {
  const tag = original.tag;
  const resolvedTag = resolved.tag;
  if (/(^|-)(slim|alpine)/.test(resolvedTag) || resolved.name === "alpine") {
    return formatImageRef({ ...original, digest: original.digest });
  }
  if (original.digest) report.warn(`the runtime image cannot reuse the digest pin of ${original.raw}; pin the runtime tag yourself`);
  let newTag: string;
  if (tag === "" || resolvedTag === "latest") {
    newTag = variant;
    report.assume(`${original.raw} has no version tag; the runtime uses the "${variant}" tag of the same image`);
  } else if (codename.test(tag)) {
    if (variant === "alpine") return smallerVariant(original, resolved, "slim", report);
    newTag = original.name === "python" ? tag.replace(codename, "-slim-$1") : `${tag}-slim`;
  } else {
    newTag = `${tag}-${variant}`;
  }
  return formatImageRef({ registry: original.registry, repository: original.repository, tag: newTag, digest: "" });
}
