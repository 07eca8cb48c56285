import { posix } from "node:path";
import type { BuildContext } from "./context.js";
import type { Facts } from "./facts.js";

/** What the steps before an install copied into its directory from the build context. */
export interface CopiedBefore {
  /** The whole context was copied into the directory (`COPY . .`). */
  wholeContext: boolean;
  /** Names of single files copied into the directory (`COPY pyproject.toml poetry.lock ./`). */
  files: Set<string>;
}

/**
 * The context files the copies before step `index` put into `dir`, or undefined when a copy there is
 * not understood (a stage's or image's files, a heredoc, an archive ADD unpacks, a subdirectory of
 * the context, a copy into a directory above).
 */
export function copiedBefore(facts: Facts, context: BuildContext, index: number, dir: string): CopiedBefore | undefined {
  let wholeContext = false;
  const files = new Set<string>();
  for (const entry of facts.body.slice(0, index)) {
    const copy = entry.copy;
    if (!copy) continue;
    const dest = normalized(copy.destAbs);
    if (!(dest === dir || dest === "/" || dest.startsWith(`${dir}/`) || dir.startsWith(`${dest}/`))) continue;
    // ADD of local files and directories copies them as COPY does; a URL or a local archive it unpacks is not judged
    if (copy.fromImage || copy.heredoc || (copy.isAdd && copy.sources.some((src) => /^[a-z]+:\/\/|\.(tar|tgz|gz|bz2|xz|zst|txz|tbz2?)$/i.test(src)))) return undefined;
    for (const source of copy.sources) {
      const path = source.replace(/^\.\//, "").replace(/\/$/, "");
      if (path === "." || path === "") {
        if (dest !== dir) return undefined;
        wholeContext = true;
      } else if (dest === dir && context.kind(path) === "file" && !/[*?[]/.test(path)) {
        files.add(posix.basename(path));
      } else if (dest === dir && /[*?[]/.test(path) && !path.includes("/")) {
        // `poetry.lock*`: what the pattern matches at the context's top level is what it copies
        const pattern = globPattern(path);
        for (const entry of context.list()) if (!entry.replace(/\/$/, "").includes("/") && pattern.test(entry.replace(/\/$/, ""))) files.add(entry.replace(/\/$/, ""));
      } else return undefined;
    }
  }
  return { wholeContext, files };
}

export function normalized(dir: string): string {
  return dir.length > 1 ? dir.replace(/\/$/, "") : dir;
}

/** A top-level COPY pattern (`poetry.lock*`, `requirements?.txt`) as a regular expression over one path element. */
function globPattern(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]");
  return new RegExp(`^${body}$`);
}
