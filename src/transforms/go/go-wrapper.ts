import { posix } from "node:path";
import type { BuildContext } from "../../analysis/context.js";
import { unsupported } from "../../errors.js";

/**
 * `go-wrapper run ARGS` (golang images before 1.10): the script runs the binary `go-wrapper install`
 * put in $GOPATH/bin, named after the working directory. The runtime has no go tool to run the
 * script with, so the start command names that binary instead. An import comment or a `.godir`
 * file makes go-wrapper link the sources elsewhere in GOPATH first, which msb does not follow.
 */
export function goWrapperStart(start: readonly string[], workdir: string, context: BuildContext): string[] | undefined {
  if (start[0] !== "go-wrapper" || start[1] !== "run") return undefined;
  const importComment = context.list().some((p) => !p.includes("/") && p.endsWith(".go") && /^package\s+main\s*\/\/\s*import\s+"/m.test(context.read(p) ?? ""));
  if (context.kind(".godir") === "file" || importComment) {
    throw unsupported(`the start command is \`go-wrapper run\` and the sources name their import path (${importComment ? "an import comment" : ".godir"}): go-wrapper links them into GOPATH under that path first, which msb does not follow`);
  }
  return [posix.basename(workdir), ...start.slice(2)];
}
