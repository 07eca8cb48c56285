import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import type { SourceLayout } from "./layout.js";
import { relativePackagesBeforeGeneration, type BuildStepAt } from "./package-without-files.js";

/**
 * Rejects (exit 2) a build of a package directory in which more than one file a linux build compiles
 * declares `func main()`: the go command stops with "main redeclared in this block". Files excluded by
 * build constraints, test files and other systems' files do not count. Only for a context evidently the build's.
 */
export function rejectDuplicateMain(facts: Facts, layout: SourceLayout, steps: BuildStepAt[]): void {
  for (const { i, text, cwd, pattern } of relativePackagesBeforeGeneration(facts, steps)) {
    if (pattern.endsWith(".go") || pattern.includes("...")) continue;
    for (const main of layout.mainPackages(pattern, cwd)?.mains ?? []) {
      if (main.dir === undefined) continue;
      const declaring = layout.index.files(main.dir).filter((f) => f.packageName === "main" && f.declaresMain).map((f) => f.path);
      if (declaring.length < 2) continue;
      throw unusable(`line ${facts.body[i]!.ins.startLine + 1}: \`${text}\` cannot run: ${declaring.slice(0, 3).join(", ")}${declaring.length > 3 ? ` and ${declaring.length - 3} more` : ""} each declare func main in one package, so the go command stops with "main redeclared in this block"`);
    }
  }
}
