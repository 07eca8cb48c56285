import { posix } from "node:path";
import { segmentKindsWritingNoSources } from "../../analysis/commands.js";
import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import type { GoBuildStep } from "./binaries.js";
import type { SourceLayout } from "./layout.js";

export type BuildStepAt = { i: number; step: GoBuildStep; text: string; cwd: string };

/**
 * Rejects (exit 2) `go build DIR` / `go install DIR` when DIR is a directory of the build context
 * that holds files but no buildable Go file, and `go build FILE.go` when the context has no such
 * file, and no earlier step could have generated one: the go command stops with "no Go files in DIR"
 * or "no such file or directory". Only for a context evidently the build's.
 */
export function rejectPackageWithoutGoFiles(facts: Facts, context: BuildContext, layout: SourceLayout, steps: BuildStepAt[]): void {
  for (const { i, text, cwd, pattern } of relativePackagesBeforeGeneration(facts, steps)) {
    if (pattern.includes("...") || /[*?[]/.test(pattern)) continue;
    const abs = posix.resolve(cwd, pattern);
    if (pattern.endsWith(".go")) {
      const file = layout.contextDirOf(abs);
      if (file === undefined || (context.kind(file) === "file" && !layout.ignored(file))) continue;
      const why = context.kind(file) === undefined ? `${file} is not in the build context` : `.dockerignore leaves ${file} out of the build context`;
      throw unusable(`line ${facts.body[i]!.ins.startLine + 1}: \`${text}\` cannot run: ${why}, so no step puts ${abs} there`);
    }
    const dir = layout.contextDirOf(abs);
    if (dir === undefined || layout.index.dirs.includes(dir)) continue;
    const prefix = dir === "" ? "" : `${dir}/`;
    const files = context.list().filter((p) => p.startsWith(prefix) && !p.slice(prefix.length).includes("/") && !layout.ignored(p));
    if (files.length === 0) continue;
    throw unusable(`line ${facts.body[i]!.ins.startLine + 1}: \`${text}\` cannot run: ${abs} has no Go files to build (nor has ${dir === "" ? "the build context's root" : `${dir}/ in the build context`})`);
  }
}

/**
 * Rejects (exit 2) `go build` / `go install` of a relative package when no earlier step put anything
 * where it builds: nothing copied at, above or below that directory, and no RUN step that could have
 * fetched or generated sources. The go command would find no Go files (or no go.mod) there.
 */
export function rejectBuildWithoutSources(facts: Facts, steps: BuildStepAt[]): void {
  for (const { i, text, cwd, pattern } of relativePackagesBeforeGeneration(facts, steps)) {
    const abs = posix.resolve(cwd, pattern.endsWith(".go") ? posix.dirname(pattern) : pattern.replace(/\/?\.\.\.$/, "") || ".");
    const filled = facts.body.slice(0, i).some((e) => {
      if (!e.copy) return false;
      const dest = e.copy.destAbs.replace(/(.)\/$/, "$1");
      return dest === "/" || dest === abs || dest.startsWith(`${abs}/`) || abs.startsWith(`${dest}/`);
    });
    if (!filled) throw unusable(`line ${facts.body[i]!.ins.startLine + 1}: \`${text}\` cannot run: no earlier step puts Go sources in ${abs}`);
  }
}

/**
 * The relative package patterns (`.`, `./cmd/app`, `./...`) of application builds, in order, up to
 * the first build that an earlier RUN step could have generated sources for.
 */
export function relativePackagesBeforeGeneration(facts: Facts, steps: BuildStepAt[]): (BuildStepAt & { pattern: string })[] {
  const out: (BuildStepAt & { pattern: string })[] = [];
  for (const at of steps) {
    if (at.step.tool) continue;
    const generated = facts.body.slice(0, at.i + 1).some((e, k) => e.run?.segments.some((s) => !segmentKindsWritingNoSources.has(s.kind) && !(k === at.i && s.text === at.text)));
    if (generated) break;
    for (const pattern of at.step.packages.length > 0 ? at.step.packages : ["."]) {
      // a package directory (`.`, `./cmd/app`, `./...`) or a file named relative to the working directory (`main.go`)
      if ((/^\.{1,2}(\/|$)/.test(pattern) && !pattern.endsWith(".go")) || (pattern.endsWith(".go") && !pattern.startsWith("/") && !pattern.includes("$"))) out.push({ ...at, pattern });
    }
  }
  return out;
}
