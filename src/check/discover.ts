import { readdirSync, statSync, type Dirent } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { entryIsDirectory } from "../analysis/dirent.js";

const skipped = new Set(["node_modules", ".git", ".hg", ".svn"]);

/** File names msb treats as Dockerfiles when it walks a directory. */
export function isDockerfileName(name: string): boolean {
  return name === "Dockerfile" || /^Dockerfile\.[^/]+$/.test(name) || /\.[Dd]ockerfile$/.test(name) || name === "dockerfile";
}

export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*" && glob[i + 1] === "*") {
      re += glob[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += glob[i + 2] === "/" ? 2 : 1;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** Collects the files under `dir` whose names `wanted` accepts, keeping each directory's listing. */
function walk(dir: string, wanted: (name: string) => boolean, out: string[], ignored: (path: string) => boolean, listings: Map<string, Dirent[]>): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return;
  }
  listings.set(resolve(dir), entries);
  for (const entry of entries) {
    if (skipped.has(entry.name)) continue;
    const full = join(dir, entry.name);
    if (ignored(full)) continue;
    const isDir = entryIsDirectory(entry, full);
    if (isDir === undefined) continue;
    if (isDir) walk(full, wanted, out, ignored, listings);
    else if (wanted(entry.name)) out.push(full);
  }
}

/**
 * Files named directly are taken as they are (even with other names); directories are walked for
 * Dockerfile, *.Dockerfile and Dockerfile.* (skipping node_modules and .git); globs match paths.
 * Returns the files found and the arguments that matched nothing.
 */
export function discover(paths: string[], ignore: string[] = []): { files: string[]; unmatched: string[]; listings: Map<string, Dirent[]> } {
  const ignoreRes = ignore.map(globToRegExp);
  const ignored = (path: string) => {
    if (ignoreRes.length === 0) return false;
    const rel = relative(process.cwd(), path).split(sep).join("/");
    return ignoreRes.some((re) => re.test(rel) || re.test(`${rel}/`));
  };
  const files: string[] = [];
  const unmatched: string[] = [];
  /** Directory listings read while walking, so a build context need not read them again. */
  const listings = new Map<string, Dirent[]>();
  for (const path of paths) {
    if (/[*?]/.test(path)) {
      const base = path.split("/").slice(0, path.split("/").findIndex((p) => /[*?]/.test(p))).join("/") || ".";
      const re = globToRegExp(path.replace(/^\.\//, ""));
      const all: string[] = [];
      walk(base, () => true, all, ignored, listings);
      const hits = all.filter((f) => re.test(relative(".", f).split(sep).join("/")));
      if (hits.length === 0) unmatched.push(path);
      files.push(...hits);
      continue;
    }
    let stat;
    try {
      stat = statSync(path);
    } catch {
      unmatched.push(path);
      continue;
    }
    if (stat.isDirectory()) walk(path, isDockerfileName, files, ignored, listings);
    else if (!ignored(path)) files.push(path);
  }
  return { files: [...new Set(files)], unmatched, listings };
}
