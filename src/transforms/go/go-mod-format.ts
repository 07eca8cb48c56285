import type { ImageRef } from "../../analysis/image-ref.js";
import { unusable } from "../../errors.js";

/**
 * Rejects (exit 2) a go.mod the image's Go cannot parse: a three-part `go 1.22.3` line or a
 * `toolchain` line is "invalid go version … must match format 1.23" / an unknown directive before
 * Go 1.21, except the 1.19.11+ and 1.20.6+ releases that learned to read them. Go before 1.21 also
 * never switches toolchains, so the build stops at its first go command.
 */
export function rejectUnreadableGoMod(image: ImageRef, goMod: string | undefined): void {
  if (image.name !== "golang" || goMod === undefined) return;
  const tag = /^1\.(\d+)(?:\.(\d+))?(?:[-]|$)/.exec(image.tag);
  if (!tag) return;
  const minor = Number(tag[1]);
  const patch = tag[2] === undefined ? undefined : Number(tag[2]);
  // floating 1.19 / 1.20 tags hold the last patch release, which reads both forms
  const reads = minor >= 21 || (minor === 20 && (patch === undefined || patch >= 6)) || (minor === 19 && (patch === undefined || patch >= 11));
  if (reads) return;
  const threePart = /^go\s+(\d+\.\d+\.\d+)\s*$/m.exec(goMod);
  const toolchain = /^toolchain\s+(\S+)/m.exec(goMod);
  const found = threePart ? `go ${threePart[1]}` : toolchain ? `toolchain ${toolchain[1]}` : undefined;
  if (!found) return;
  const line = goMod.slice(0, (threePart ?? toolchain)!.index).split("\n").length;
  throw unusable(`go.mod line ${line}: \`${found}\` cannot be read by ${image.raw} (Go 1.${minor}${patch !== undefined ? `.${patch}` : ""}): Go before 1.21 (1.19.11, 1.20.6) accepts only \`go 1.N\` and no toolchain line, so its first go command fails; use a golang image of the version go.mod asks for`);
}
