import { posix } from "node:path";
import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { sourceLayout } from "./layout.js";
import type { GoSourceIndex } from "./sources.js";

export interface ModuleOfBuild {
  /** The go.mod nearest above the build's directory (`WORKDIR ./service` after `COPY . .`): its context directory, text and where it lands. */
  module?: { dir: string; text: string; root: string };
  /** Where the context's root lands in the image (`ADD . /go/src/example.com/app`), when some step copies it. */
  contextRoot?: string;
}

/** The module a Go build runs in, and where the context's root lands, from one mapping of the COPY steps. */
export function moduleOfBuild(facts: Facts, context: BuildContext, index: GoSourceIndex, paths: { gopath: string; gobin: string }, cwd: string): ModuleOfBuild {
  if (!context.known) return {};
  const mapped = sourceLayout(facts, context, index, { ...paths, moduleMode: true });
  const contextRoot = mapped.buildPathOf("");
  const landing = contextRoot !== undefined ? { contextRoot } : {};
  let dir = mapped.contextDirOf(cwd);
  while (dir) {
    const text = context.read(`${dir}/go.mod`);
    if (text !== undefined) {
      const root = mapped.buildPathOf(dir);
      return root ? { module: { dir, text, root }, ...landing } : landing;
    }
    // context paths are relative, but a COPY source written `/static` names the context root too
    const parent = dir.includes("/") ? posix.dirname(dir) : "";
    dir = parent === dir || parent === "/" ? "" : parent;
  }
  return landing;
}
