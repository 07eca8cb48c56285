import { goCommandWords } from "../../analysis/commands.js";
import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { atLeast, type GoVersion } from "./toolchain.js";

/**
 * Rejects (exit 2) a build that copies go.mod into $GOPATH itself (`COPY . .` in the golang image's
 * default working directory, /go) and then runs go: in module mode Go 1.11 to 1.20 stop every command
 * with "$GOPATH/go.mod exists but should not" (proven with Go 1.19; newer releases only warn).
 */
export function rejectGoModInGopath(facts: Facts, context: BuildContext, version: GoVersion | undefined, gopath: string): void {
  // the Go that runs is known only from a golang tag; go.mod's go line is a minimum
  const fromTag = facts.resolvedImage.name === "golang" && /^\d+\.\d+/.test(facts.resolvedImage.tag);
  if (!fromTag || !version || !atLeast(version, 1, 11) || atLeast(version, 1, 21) || facts.variables["GO111MODULE"] === "off") return;
  let copiedAt: number | undefined;
  for (const [i, entry] of facts.body.entries()) {
    const copy = entry.copy;
    if (copiedAt === undefined && copy && !copy.fromImage && copy.flags["from"] === undefined && copy.destAbs.replace(/\/+$/, "") === gopath) {
      const bringsGoMod = copy.sources.some((s) => s.replace(/^\.\//, "") === "go.mod" || (/^\.\/?$/.test(s) && context.known && context.kind("go.mod") === "file"));
      if (bringsGoMod) copiedAt = i;
    }
    if (copiedAt === undefined) continue;
    for (const segment of entry.run?.segments ?? []) {
      const words = goCommandWords(segment.argv);
      if (words[0] !== "go" || /\bGO111MODULE=off\b/.test(segment.text)) continue;
      throw unusable(`line ${entry.ins.startLine + 1}: \`${segment.text}\` cannot run: line ${facts.body[copiedAt]!.ins.startLine + 1} copies go.mod into ${gopath}, which is $GOPATH, and ${version.source} (Go ${version.major}.${version.minor}) stops with "$GOPATH/go.mod exists but should not" (set a WORKDIR such as /src before copying)`);
    }
  }
}
