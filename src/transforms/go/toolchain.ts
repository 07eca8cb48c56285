import type { ImageRef } from "../../analysis/image-ref.js";

export interface GoVersion {
  major: number;
  minor: number;
  /** Where the version was read: the base image tag or a go.mod line. */
  source: string;
}

/** A version newer than every gate msb knows: floating tags (`golang`, `golang:1`, `golang:latest`, `golang:alpine`) pull the newest Go. */
const newest = 99;

/**
 * The Go version the build runs: the golang image tag (`golang:1.21-alpine` → 1.21), else go.mod's
 * `toolchain` or `go` line (the minimum the module asks for). Undefined when nothing says.
 */
export function goVersion(image: ImageRef, goMod: string | undefined): GoVersion | undefined {
  if (image.name === "golang" && !image.raw.includes("$")) {
    const tag = image.tag;
    const exact = /^(\d+)\.(\d+)/.exec(tag);
    if (exact) return { major: Number(exact[1]), minor: Number(exact[2]), source: `${image.raw}` };
    // a tag naming an older distribution release (alpine3.11, buster) stopped at the last Go built on it: unknown here
    if (/^1(-|$)/.test(tag) || tag === "" || tag === "latest" || /^(alpine|bookworm|trixie)$/.test(tag)) {
      if (image.digest) return undefined;
      return { major: 1, minor: newest, source: `${image.raw} (floating tag: the newest Go)` };
    }
  }
  const toolchain = /^toolchain\s+go(\d+)\.(\d+)/m.exec(goMod ?? "");
  if (toolchain) return { major: Number(toolchain[1]), minor: Number(toolchain[2]), source: "the toolchain line of go.mod" };
  const go = /^go\s+(\d+)\.(\d+)/m.exec(goMod ?? "");
  if (go) return { major: Number(go[1]), minor: Number(go[2]), source: "the go line of go.mod" };
  return undefined;
}

/** Whether the version is known and at least major.minor. Unknown: false, so nothing version-dependent is added. */
export function atLeast(version: GoVersion | undefined, major: number, minor: number): boolean {
  if (!version) return false;
  return version.major > major || (version.major === major && version.minor >= minor);
}

export function formatVersion(version: GoVersion): string {
  return version.minor === newest ? "the newest Go" : `Go ${version.major}.${version.minor}`;
}

/**
 * Whether `go` builds in module mode in that directory: a go.mod in the sources, Go 1.11 or newer, and
 * GO111MODULE not off. Go 1.11 and 1.12 ignore go.mod inside $GOPATH/src unless GO111MODULE=on;
 * from Go 1.16 module mode is the default even without go.mod (the build then fails, so a Dockerfile
 * that builds without go.mod sets GO111MODULE=off or uses an older Go).
 */
export function moduleMode(version: GoVersion | undefined, hasGoMod: boolean, go111module: string | undefined, cwd: string, gopath: string, goModDir?: string): boolean {
  if (go111module === "off") return false;
  if (!hasGoMod) return false;
  if (version && !atLeast(version, 1, 11)) return false;
  if (version && !atLeast(version, 1, 13) && go111module !== "on" && (cwd === `${gopath}/src` || cwd.startsWith(`${gopath}/src/`))) return false;
  // before Go 1.16, GO111MODULE=auto looks for go.mod in the build's directory and its parents only
  // `COPY go.mod ./` lands it in "/app/": the directory is /app
  const modDir = goModDir?.replace(/(.)\/$/, "$1");
  if (version && !atLeast(version, 1, 16) && go111module !== "on" && modDir !== undefined && cwd !== modDir && !cwd.startsWith(`${modDir}/`)) return false;
  return true;
}
