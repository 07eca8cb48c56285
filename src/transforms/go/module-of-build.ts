import { posix } from "node:path";
import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { sourceLayout } from "./layout.js";
import type { GoSourceIndex } from "./sources.js";

/** A go.mod in a context subdirectory above the build's directory (`WORKDIR ./service` after `COPY . .`), with where it lands. */
export function moduleOfBuild(facts: Facts, context: BuildContext, index: GoSourceIndex, paths: { gopath: string; gobin: string }, cwd: string): { dir: string; text: string; root: string } | undefined {
  if (!context.known) return undefined;
  const mapped = sourceLayout(facts, context, index, { ...paths, moduleMode: true });
  let dir = mapped.contextDirOf(cwd);
  while (dir) {
    const text = context.read(`${dir}/go.mod`);
    if (text !== undefined) {
      const root = mapped.buildPathOf(dir);
      return root ? { dir, text, root } : undefined;
    }
    // context paths are relative, but a COPY source written `/static` names the context root too
    const parent = dir.includes("/") ? posix.dirname(dir) : "";
    dir = parent === dir || parent === "/" ? "" : parent;
  }
  return undefined;
}
