import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { BuildContext } from "./context.js";

const skippedDirectories = new Set([".git", "node_modules", ".venv", "venv", "__pycache__", "vendor", ".next", "target"]);
const maxEntries = 5000;
const maxDepth = 5;
const maxFileBytes = 4 * 1024 * 1024;

/** A lazily read, cached view of a directory on disk. Only the CLI creates one. */
export function directoryContext(root: string): BuildContext {
  let listing: string[] | undefined;
  const cache = new Map<string, string | undefined>();
  return {
    known: true,
    list() {
      listing ??= walk(root);
      return listing;
    },
    read(path) {
      const clean = path.replace(/^\.\//, "");
      if (!cache.has(clean)) cache.set(clean, readSmallFile(join(root, clean)));
      return cache.get(clean);
    },
  };
}

function walk(root: string): string[] {
  const out: string[] = [];
  const visit = (dir: string, prefix: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (out.length >= maxEntries) return;
      const full = join(dir, name);
      let isDir = false;
      try {
        isDir = statSync(full).isDirectory();
      } catch {
        continue;
      }
      if (isDir) {
        if (skippedDirectories.has(name)) {
          out.push(`${prefix}${name}/`);
          continue;
        }
        out.push(`${prefix}${name}/`);
        if (depth < maxDepth) visit(full, `${prefix}${name}/`, depth + 1);
      } else {
        out.push(`${prefix}${name}`);
      }
    }
  };
  visit(root, "", 0);
  return out.sort();
}

function readSmallFile(path: string): string | undefined {
  try {
    const stat = statSync(path);
    if (!stat.isFile() || stat.size > maxFileBytes) return undefined;
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}
