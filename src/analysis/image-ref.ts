/** A container image reference split into the parts msb reasons about; `raw` keeps variables as written. */
export interface ImageRef {
  raw: string;
  /** Registry host (with port) or "" for Docker Hub. */
  registry: string;
  /** Repository path without registry, e.g. "library/node" or "node". */
  repository: string;
  /** Last path element: "node", "python", "golang". */
  name: string;
  tag: string;
  digest: string;
}

export function parseImageRef(raw: string): ImageRef {
  let rest = raw;
  let digest = "";
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const parts = rest.split("/");
  let registry = "";
  if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0] ?? "") && !(parts[0] ?? "").startsWith("$")) {
    registry = parts.shift() ?? "";
  }
  let last = parts.pop() ?? "";
  let tag = "";
  const colon = last.lastIndexOf(":");
  if (colon >= 0 && !/[}]/.test(last.slice(colon))) {
    tag = last.slice(colon + 1);
    last = last.slice(0, colon);
  } else if (colon >= 0) {
    const beforeBrace = last.lastIndexOf(":", last.indexOf("$") >= 0 ? last.indexOf("$") : colon);
    if (beforeBrace >= 0) {
      tag = last.slice(beforeBrace + 1);
      last = last.slice(0, beforeBrace);
    }
  }
  parts.push(last);
  return { raw, registry, repository: parts.join("/"), name: last.toLowerCase(), tag, digest };
}

export function formatImageRef(ref: Pick<ImageRef, "registry" | "repository" | "tag" | "digest">): string {
  const base = `${ref.registry ? `${ref.registry}/` : ""}${ref.repository}`;
  return `${base}${ref.tag ? `:${ref.tag}` : ""}${ref.digest ? `@${ref.digest}` : ""}`;
}

/** Substitutes `$X`, `${X}`, `${X:-d}` from `values`; unknown variables are left as written. */
export function substitute(text: string, values: Record<string, string | undefined>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-+]([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? "";
    const value = values[name];
    if (value !== undefined && value !== "") return value;
    if (fallback !== undefined && whole.includes(":-")) return fallback;
    return whole;
  });
}

/** Whether the image is pulled from Docker Hub (no registry, or Docker Hub's own host names). */
export function onDockerHub(image: ImageRef): boolean {
  return ["", "docker.io", "index.docker.io"].includes(image.registry);
}

/** Whether the image is a Docker Official Image (`name` or `library/name` on Docker Hub), optionally the one named. */
export function isOfficialImage(image: ImageRef, name?: string): boolean {
  return onDockerHub(image) && /^(library\/)?[^/]+$/.test(image.repository) && (name === undefined || image.name === name);
}
