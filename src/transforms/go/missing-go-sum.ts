import { goCommandWords, isGoBuild } from "../../analysis/commands.js";
import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { atLeast, type GoVersion } from "./toolchain.js";

/**
 * Rejects (exit 2) a module build whose go.mod requires other modules while the context has no
 * go.sum: from Go 1.16 build commands do not edit go.mod or go.sum (-mod=readonly), so `go build`
 * stops with "missing go.sum entry for module providing package …". Not when an earlier step makes
 * the sums (`go mod tidy`, `go get`, `go mod download` of named modules or `all`), the build may edit
 * them (-mod=mod), or the module is vendored. A bare `go mod download` makes them only before Go 1.17
 * (golang/go#45332): later it records go.mod hashes alone. Only for a context that is evidently the build's.
 */
export function rejectMissingGoSum(facts: Facts, context: BuildContext, version: GoVersion | undefined, goMod: string | undefined, moduleDir: string, firstBuild: number): void {
  if (goMod === undefined || !atLeast(version, 1, 16)) return;
  const prefix = moduleDir === "" ? "" : `${moduleDir}/`;
  if (context.kind(`${prefix}go.sum`) !== undefined || context.kind(`${prefix}vendor`) !== undefined) return;
  const local = new Set([...goMod.matchAll(/^\s*(?:replace\s+)?(\S+)(?:\s+v\S+)?\s*=>\s*\.{1,2}\//gm)].map((m) => m[1]!));
  const requires = [...goMod.matchAll(/^\s*require\s+(\S+)\s+v/gm), ...[...goMod.matchAll(/^require\s*\(([^)]*)\)/gm)].flatMap((b) => [...b[1]!.matchAll(/^\s*(\S+)\s+v/gm)])].map((m) => m[1]!).filter((r) => !local.has(r));
  if (requires.length === 0) return;
  if (/-mod=mod/.test(facts.variables["GOFLAGS"] ?? "")) return;
  let bareDownload = false;
  for (const [i, entry] of facts.body.entries()) {
    // the build's own RUN counts up to its build command (`go get -u && go mod tidy && go build`)
    let beforeBuild = i <= firstBuild;
    for (const segment of entry.run?.segments ?? []) {
      if (i === firstBuild && isGoBuild(segment.argv)) beforeBuild = false;
      const words = goCommandWords(segment.argv);
      if (words[0] !== "go") continue;
      if (beforeBuild && (words[1] === "get" || (words[1] === "mod" && (words[2] === "tidy" || (words[2] === "download" && downloadWritesSums(words, version)))) || words[1] === "work")) return;
      if (beforeBuild && words[1] === "mod" && words[2] === "download") bareDownload = true;
      if (words.some((w) => /^-mod=mod$/.test(w)) || /GOFLAGS=\S*-mod=mod/.test(segment.text)) return;
    }
  }
  const build = facts.body[firstBuild];
  if (!build) return;
  throw unusable(`line ${build.ins.startLine + 1}: the build cannot run: go.mod requires ${requires.length === 1 ? requires[0] : `${requires.length} modules`} and the build context has no go.sum${bareDownload ? " (go mod download without arguments records no sums from Go 1.17)" : ""}, so ${version!.source} stops with "missing go.sum entry" (commit go.sum, or run go mod tidy before building)`);
}

/** `go mod download` with module arguments (`all` included) records their sums; without, only before Go 1.17. */
function downloadWritesSums(words: string[], version: GoVersion | undefined): boolean {
  return words.slice(3).some((w) => !w.startsWith("-")) || !atLeast(version, 1, 17);
}
