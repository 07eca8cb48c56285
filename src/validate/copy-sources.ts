import { posix } from "node:path";
import type { BuildContext } from "../analysis/context.js";
import { dockerignore } from "../analysis/dockerignore.js";
import type { Facts } from "../analysis/facts.js";

export interface MissingSource {
  /** 1-based line of the COPY/ADD. */
  line: number;
  keyword: string;
  source: string;
  /** Present in the context but excluded by .dockerignore. */
  ignored: boolean;
}

export interface CopySourceCheck {
  missing: MissingSource[];
  /** Literal sources that the context does have: evidence that it is the context the build uses. */
  found: number;
}

const isRemote = (source: string) => /^(https?:\/\/|git@|git:\/\/)/.test(source);
// BuildKit allows a wildcard to match nothing (`COPY package-lock.json* ./`); variables are unknown here
const isPattern = (source: string) => /[*?[$]/.test(source);

/**
 * Literal COPY/ADD sources the build context lacks or .dockerignore excludes. COPY without --from reads
 * only the context, so no earlier step can produce such a source: BuildKit fails with "not found".
 */
export function checkCopySources(facts: Facts, context: BuildContext): CopySourceCheck {
  const result: CopySourceCheck = { missing: [], found: 0 };
  if (!context.known) return result;
  let ignored: ((path: string) => boolean) | undefined;
  for (const entry of facts.body) {
    const copy = entry.copy;
    if (!copy || copy.heredoc || copy.fromImage !== undefined || copy.flags.from !== undefined) continue;
    for (const source of copy.sources) {
      if (isRemote(source) || isPattern(source)) continue;
      const path = posix.normalize(source.replace(/^\/+/, "")).replace(/\/+$/, "");
      if (path === "." || path === "" || path.startsWith("..")) continue;
      const present = context.kind(path) !== undefined;
      ignored ??= dockerignore(context.read(".dockerignore"));
      const excluded = present && ignored(path);
      if (present && !excluded) {
        result.found++;
        continue;
      }
      result.missing.push({ line: entry.ins.startLine + 1, keyword: entry.keyword, source, ignored: excluded });
    }
  }
  return result;
}
