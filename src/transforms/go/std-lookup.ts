import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { quotedIn, type GoBuildStep } from "./binaries.js";

/**
 * Rejects (exit 2) `go build cmd/main` in module mode: a package path that is neither relative
 * (`./cmd/main`) nor under the module's path, and whose first element has no dot, is looked up in the
 * standard library, so the go command stops with "package cmd/main is not in std".
 */
export function rejectStandardLibraryLookup(facts: Facts, steps: { i: number; step: GoBuildStep; text: string }[], modulePath: string | undefined): void {
  if (!modulePath) return;
  for (const { i, step, text } of steps) {
    if (step.tool?.version) continue;
    for (const pkg of step.packages) {
      // quotes, brackets and the like are never in an import path: often the next instruction, continued onto a RUN line
      // an unquoted glob (`go build -o app cmd/web/*`) is the shell's: it expands to the files it matches
      if (/[*?[]/.test(pkg) && !/["'<>`|:\\]/.test(pkg) && !quotedIn(text, pkg)) continue;
      if (/["'*<>?`|[\]:\\]/.test(pkg) && !pkg.includes("$")) throw unusable(`line ${facts.body[i]!.ins.startLine + 1}: \`${text}\` cannot run: ${JSON.stringify(pkg)} is not a package path (go stops with "malformed import path")`);
      if (/^(\.|\/)/.test(pkg) || pkg.endsWith(".go") || pkg.includes("@") || pkg.includes("$") || pkg === "std" || pkg === "all") continue;
      if (pkg === modulePath || pkg.startsWith(`${modulePath}/`) || pkg.split("/")[0]!.includes(".")) continue;
      if (!pkg.includes("/") && !/^[a-z][\w-]*$/.test(pkg)) continue;
      throw unusable(`line ${facts.body[i]!.ins.startLine + 1}: \`${text}\` cannot run: "${pkg}" is not a relative path nor under the module ${modulePath}, so go looks it up in the standard library ("package ${pkg} is not in std"); write ./${pkg}`);
    }
  }
}
