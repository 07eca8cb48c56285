import { posix } from "node:path";
import { isDirectory, type BuildContext } from "../../analysis/context.js";
import { copiesIntoDirectory } from "../../analysis/copy-destination.js";
import { removedAfter } from "./written-paths.js";
import { globMatches } from "./manifest-first.js";
import type { Facts } from "../../analysis/facts.js";

/**
 * Absolute paths the original filled from the build context, outside the final WORKDIR
 * (e.g. /usr/local/bin/docker-entrypoint.sh). The runtime copies them from the build stage,
 * so modes set by later RUN steps (chmod +x) come along. Paths a later RUN deletes are left out.
 */
export function pathsOutsideWorkdir(facts: Facts, context: BuildContext): { paths: string[]; intoRoot: boolean } {
  const workdir = facts.finalWorkdir;
  const roots: string[] = [];
  let intoRoot = false;
  for (const [index, entry] of facts.body.entries()) {
    const copy = entry.copy;
    if (!copy || copy.fromImage) continue;
    const destIsDir = copiesIntoDirectory(facts, entry, context);
    const candidates: string[] = [];
    if (copy.heredoc) candidates.push(copy.destAbs);
    for (const source of copy.sources) {
      if (/^https?:\/\//.test(source) || /^git@/.test(source)) {
        candidates.push(destIsDir ? posix.join(copy.destAbs, posix.basename(source)) : copy.destAbs);
        continue;
      }
      const sourceIsDir = source === "." || source === "./" || source.endsWith("/") || isDirectory(context, source) || (!context.known && !/\.[a-z0-9]+$/i.test(source));
      // a pattern that matches only files of the context (`COPY app/* /`) puts each under its own name
      const matched = /[*?[]/.test(source) && destIsDir && context.known ? context.list().filter((p) => !p.endsWith("/") && globMatches(source, p)) : [];
      if (matched.length > 0 && matched.every((p) => context.kind(p) === "file")) candidates.push(...matched.map((p) => posix.join(copy.destAbs, posix.basename(p))));
      else if (sourceIsDir || /[*?[]/.test(source)) candidates.push(copy.destAbs.replace(/\/$/, "") || "/");
      else candidates.push(destIsDir ? posix.join(copy.destAbs, posix.basename(source)) : copy.destAbs);
    }
    for (const candidate of candidates) {
      const path = candidate.replace(/\/$/, "") || "/";
      if (path === "/") {
        intoRoot = true;
        continue;
      }
      if (workdir !== "/" && (path === workdir || path.startsWith(`${workdir}/`))) continue;
      if (removedAfter(facts, index, path)) continue;
      if (!roots.includes(path)) roots.push(path);
    }
  }
  const minimal = roots.filter((p) => !roots.some((q) => q !== p && p.startsWith(`${q}/`)));
  return { paths: minimal, intoRoot };
}
