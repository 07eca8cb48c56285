import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { cgoModules, importsCgoModule } from "./cgo.js";
import type { GoFile } from "./sources.js";
import { atLeast, formatVersion, type GoVersion } from "./toolchain.js";

/** What in the built sources needs a C compiler: a file that imports "C", or a known cgo binding imported. */
function cgoSource(files: readonly GoFile[]): string | undefined {
  const own = files.find((f) => f.importsC);
  if (own) return `${own.path} imports "C"`;
  const imported = new Set(files.flatMap((f) => f.imports));
  const binding = cgoModules.find((m) => importsCgoModule(imported, m));
  return binding ? `the sources import ${binding.replace(/\/$/, "")}, a cgo binding` : undefined;
}

/**
 * Rejects (exit 2) a cgo build on an Alpine golang image older than Go 1.20 that installs no C compiler:
 * before 1.20, cgo stays on without one, and the build stops with `exec: "gcc": executable file not found
 * in $PATH` (checked with Go 1.19 and no gcc on PATH). From 1.20 cgo turns itself off there instead.
 */
export function rejectCgoWithoutCompiler(facts: Facts, version: GoVersion | undefined, alpineBuilder: boolean, files: readonly GoFile[], buildLine: number): void {
  if (!alpineBuilder || !version || atLeast(version, 1, 20)) return;
  if (facts.variables["CGO_ENABLED"] === "0" || facts.variables["CC"] !== undefined) return;
  if (facts.body.some((e) => e.run && /\b(gcc|g\+\+|build-base|alpine-sdk|clang|tcc)\b/.test(e.ins.text))) return;
  const needs = cgoSource(files);
  if (!needs) return;
  throw unusable(`line ${buildLine}: the build compiles cgo code (${needs}), and ${facts.resolvedImage.raw} has no C compiler, which ${formatVersion(version)} (before 1.20) still calls, so it stops with exec: "gcc": executable file not found in $PATH (add \`apk add --no-cache gcc musl-dev\` before it, or use the Debian-based golang image)`);
}
