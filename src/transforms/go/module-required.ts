import { commandWords } from "../../analysis/commands.js";
import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { atLeast, type GoVersion } from "./toolchain.js";
import type { GoBuildStep } from "./binaries.js";

const packageVerbs = new Set(["build", "install", "get", "vet", "test", "list"]);
const valueFlags = new Set(["-o", "-ldflags", "-gcflags", "-asmflags", "-tags", "-mod", "-modfile", "-p", "-pkgdir", "-buildmode", "-compiler", "-installsuffix", "-overlay", "-pgo", "-exec", "-toolexec", "-run", "-timeout"]);

/**
 * Rejects (exit 2) a build that cannot run: from Go 1.16 the go command works in module mode unless
 * GO111MODULE says otherwise, and in module mode a package pattern (`go build`, `./...`, `go get -d`)
 * needs a go.mod. Files named on the command line (`go build main.go`) and `go install pkg@version` do not.
 */
export function rejectPackagesWithoutModule(facts: Facts, context: BuildContext, version: GoVersion | undefined, hasGoMod: boolean): void {
  if (hasGoMod || !context.known || !atLeast(version, 1, 16)) return;
  if (/^(off|auto)$/.test(facts.variables["GO111MODULE"] ?? "")) return;
  if (context.list().some((p) => p === "go.mod" || p.endsWith("/go.mod"))) return;
  for (const entry of facts.body) {
    for (const segment of entry.run?.segments ?? []) {
      const words = commandWords(segment.argv);
      if (words[0] !== "go" || !packageVerbs.has(words[1] ?? "") || /\bGO111MODULE=(off|auto)\b/.test(segment.text)) continue;
      const args = words.slice(2).filter((w, i, all) => !w.startsWith("-") && !(valueFlags.has(all[i - 1] ?? "") && !(all[i - 1] ?? "").includes("=")));
      if (args.length > 0 && args.every((a) => a.endsWith(".go") || a.includes("@"))) continue;
      // Go 1.22 removed `go get` in GOPATH mode: GO111MODULE=off no longer rescues it
      const gopathMode = words[1] === "get" && atLeast(version, 1, 22) ? "" : " set GO111MODULE=off,";
      throw unusable(`line ${entry.ins.startLine + 1}: \`${segment.text}\` cannot run: ${version!.source} works in module mode and the build context has no go.mod (add one,${gopathMode} or pin a golang tag before 1.16)`);
    }
  }
}

/**
 * Rejects (exit 2) a module-mode `go build` or `go install` that runs outside the module: the context's
 * go.mod lands in `moduleRoot` (`COPY . service/`), the build runs in a directory neither at nor below it,
 * and Go stops with "go.mod file not found in current directory or any parent directory".
 */
export function rejectBuildOutsideModule(facts: Facts, steps: { i: number; cwd: string; text: string; step: GoBuildStep }[], moduleRoot: string): void {
  if (/-modfile\b/.test(facts.variables["GOFLAGS"] ?? "") || facts.variables["GOWORK"]) return;
  const root = moduleRoot.replace(/(.)\/+$/, "$1");
  const inside = (dir: string) => root === "/" || dir === root || dir.startsWith(`${root}/`);
  const outside = steps.filter((s) => !inside(s.cwd) && s.step.flags["C"] === undefined && s.step.flags["modfile"] === undefined && !s.step.packages.some((p) => p.endsWith(".go") || p.includes("@")));
  if (outside.length === 0 || outside.length < steps.length) return;
  const first = outside[0]!;
  throw unusable(`line ${facts.body[first.i]!.ins.startLine + 1}: \`${first.text}\` cannot run: the build context's go.mod is copied to ${root}, and the build runs in ${first.cwd}, outside that module (go: go.mod file not found in current directory or any parent directory)`);
}
