import { posix } from "node:path";
import type { BuildContext } from "./context.js";
import { copiesIntoDirectory } from "./copy-destination.js";
import type { Facts } from "./facts.js";

/** The context file a COPY puts at `path` in the image, if one does. */
export function contextFileAt(facts: Facts, context: BuildContext, path: string): string | undefined {
  for (const entry of [...facts.body].reverse()) {
    const copy = entry.copy;
    if (!copy || copy.fromImage || copy.flags["from"] !== undefined) continue;
    const dest = copy.destAbs;
    const intoDirectory = copiesIntoDirectory(facts, entry, context);
    for (const source of copy.sources) {
      const s = source.replace(/^\.\//, "").replace(/\/$/, "");
      if (s === "" || s === ".") {
        const inside = posix.relative(dest.replace(/\/$/, "") || "/", path);
        if (!inside.startsWith("..") && context.kind(inside) === "file") return inside;
        continue;
      }
      const kind = context.kind(s);
      if (kind === "file" && (dest === path || (intoDirectory && posix.join(dest, posix.basename(s)) === path))) return s;
      if (kind === "dir") {
        const inside = posix.relative(dest.replace(/\/$/, "") || "/", path);
        if (!inside.startsWith("..") && context.kind(posix.join(s, inside)) === "file") return posix.join(s, inside);
      }
    }
  }
  return undefined;
}

/**
 * Whether a COPY or ADD of the build context may bring `path` (a context path) into the image: a
 * source that is the path, a directory above it, or a pattern (read as covering it: unsure counts as copied).
 */
export function mayCopyContextPath(facts: Facts, path: string): boolean {
  return facts.body.some(({ copy }) => {
    if (!copy || copy.fromImage || copy.flags["from"] !== undefined) return false;
    return copy.sources.some((source) => {
      const s = source.replace(/^\.\//, "").replace(/\/$/, "");
      return s === "" || s === "." || /[*?[\\$]/.test(s) || /\.(tar|tgz|tar\.\w+)$/.test(s) || s === path || path.startsWith(`${s}/`);
    });
  });
}
