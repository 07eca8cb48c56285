import { posix } from "node:path";
import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";

/**
 * Where in the context the project file `name` comes from: a monorepo's image copies
 * `apps/api/pyproject.toml` (or the directory `apps/api/`) into its WORKDIR; otherwise the
 * context's top level.
 */
export function projectFilePath(facts: Facts, context: BuildContext, name: string): string {
  for (const entry of facts.body) {
    if (!entry.copy || entry.copy.fromImage) continue;
    for (const source of entry.copy.sources) {
      const path = source.replace(/^\.\//, "").replace(/\/$/, "");
      if (path === "" || path === ".") continue;
      if (posix.basename(path.replace(/\*$/, "")) === name && context.kind(path.replace(/\*$/, "")) === "file") return path.replace(/\*$/, "");
      if (context.kind(path) === "dir" && context.kind(`${path}/${name}`) === "file") return `${path}/${name}`;
    }
  }
  return name;
}
