import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";

/** The Go release a golang image tag names: `1.22-alpine` → 1.22 (patch undefined), `1.22.5` → 1.22.5. */
export function imageGoRelease(facts: Facts): { minor: number; patch: number | undefined } | undefined {
  const image = facts.resolvedImage;
  if (image.name !== "golang" || image.digest || image.raw.includes("$")) return undefined;
  const m = /^1\.(\d+)(?:\.(\d+))?(?:-|$)/.exec(image.tag);
  return m ? { minor: Number(m[1]), patch: m[2] === undefined ? undefined : Number(m[2]) } : undefined;
}

/**
 * Whether the go command may fetch a newer toolchain: the official golang images set GOTOOLCHAIN=local
 * from Go 1.21 (docker-library/golang#472, in the images built from 2023-09-23 on), so only a Dockerfile
 * that sets it otherwise lets it switch, or a 1.21.0 tag: superseded by 1.21.1 on 2023-09-06, its images
 * were never rebuilt with the variable and keep Go's default, auto.
 */
export function toolchainSwitchAllowed(facts: Facts): boolean {
  const image = imageGoRelease(facts);
  if (image?.minor === 21 && image.patch === 0 && facts.variables["GOTOOLCHAIN"] === undefined) return true;
  const set = facts.variables["GOTOOLCHAIN"];
  if (set !== undefined && set !== "local") return true;
  return facts.body.some((e) => e.run?.segments.some((s) => /(^|\s)GOTOOLCHAIN=(?!local(\s|$))\S/.test(s.text)) || (e.keyword === "ARG" && /\bGOTOOLCHAIN\b/.test(e.ins.text)));
}

/**
 * Rejects (exit 2) a go.mod whose `go` line asks for a newer Go than the golang image runs, from Go
 * 1.21 on: the go line is a minimum there, and with the image's GOTOOLCHAIN=local the first go command
 * stops with "go: go.mod requires go >= 1.23.0 (running go 1.22.12; GOTOOLCHAIN=local)".
 */
export function rejectGoModNewerThanImage(facts: Facts, goMod: string | undefined): void {
  const image = imageGoRelease(facts);
  if (!image || image.minor < 21 || goMod === undefined || toolchainSwitchAllowed(facts)) return;
  const go = /^go\s+1\.(\d+)(?:\.(\d+))?\s*$/m.exec(goMod);
  if (!go) return;
  const minor = Number(go[1]);
  const patch = go[2] === undefined ? 0 : Number(go[2]);
  // a tag without a patch release is that line's newest, which any patch of the same minor accepts
  const newer = minor > image.minor || (minor === image.minor && image.patch !== undefined && patch > image.patch);
  if (!newer) return;
  const line = goMod.slice(0, go.index).split("\n").length;
  throw unusable(`go.mod line ${line}: \`go 1.${go[1]}${go[2] === undefined ? "" : `.${go[2]}`}\` asks for a newer Go than ${facts.resolvedImage.raw} runs (Go 1.${image.minor}${image.patch === undefined ? "" : `.${image.patch}`}), and the official golang images set GOTOOLCHAIN=local, so the first go command stops with "go: go.mod requires go >= 1.${go[1]}…; GOTOOLCHAIN=local" (use a golang image of that version, or set GOTOOLCHAIN=auto)`);
}
