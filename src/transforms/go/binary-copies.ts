import { posix } from "node:path";
import { commandWords } from "../../analysis/commands.js";
import type { Facts } from "../../analysis/facts.js";
import { substitute } from "../../analysis/image-ref.js";

/**
 * Built binaries a later RUN copies or moves elsewhere (`WORKDIR /dist` + `RUN cp /build/cli .`),
 * mapped to where they end up: the start command names that path, so the runtime takes the binary
 * from there. A destination that is `.`, ends in `/`, or is a WORKDIR of the Dockerfile is a directory.
 */
export function relocatedBinaries(facts: Facts, binaries: readonly string[], after: { i: number; j: number }): Map<string, string> {
  const moved = new Map<string, string>();
  const workdirs = new Set([...facts.body.map((e) => e.workdir), facts.finalWorkdir]);
  facts.body.forEach((entry, i) => {
    if (i < after.i) return;
    for (const [j, segment] of (entry.run?.segments ?? []).entries()) {
      if (i === after.i && j <= after.j) continue;
      const words = commandWords(segment.argv);
      if (!["cp", "mv", "install"].includes(words[0] ?? "")) continue;
      // `cp $BIN_PATH /usr/bin/`: the image's variables as the step sees them
      const variables = segment.variables ?? facts.variables;
      const operands = words.slice(1).filter((w) => !w.startsWith("-")).map((w) => substitute(w, variables));
      if (operands.length !== 2) continue;
      const source = posix.resolve(segment.cwd, operands[0]!);
      const current = [...moved.entries()].find(([, to]) => to === source)?.[0] ?? (binaries.includes(source) ? source : undefined);
      if (!current) continue;
      const target = operands[1]!;
      const resolved = posix.resolve(segment.cwd, target);
      const intoDirectory = target === "." || target.endsWith("/") || workdirs.has(resolved);
      moved.set(current, intoDirectory ? posix.join(resolved, posix.basename(source)) : resolved);
    }
  });
  return moved;
}
