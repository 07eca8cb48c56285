import { parseImageRef, type ImageRef } from "../../analysis/image-ref.js";
import { publishedSizeMb } from "./base-images.js";

export interface SizeEstimate {
  originalMb: number;
  runtimeMb: number;
  label: string;
}

function sizeKey(ref: ImageRef): string | undefined {
  if (ref.repository.includes("distroless")) return ref.repository.includes("static") ? "distroless-static" : "distroless-base";
  const variant = /alpine/.test(ref.tag) ? "-alpine" : /slim/.test(ref.tag) ? "-slim" : "";
  if (ref.name === "debian") return /slim/.test(ref.tag) ? "debian-slim" : "debian";
  const key = `${ref.name}${variant}`;
  return key in publishedSizeMb ? key : undefined;
}

/** Base image sizes before and after, from a small table of published compressed sizes. */
export function estimateSize(original: ImageRef, runtimeImage: string): SizeEstimate | undefined {
  const before = sizeKey(original);
  const after = sizeKey(parseImageRef(runtimeImage));
  if (!before || !after) return undefined;
  return { originalMb: publishedSizeMb[before]!, runtimeMb: publishedSizeMb[after]!, label: "estimate from published compressed base image sizes" };
}
