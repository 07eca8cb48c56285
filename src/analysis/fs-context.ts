import { readdirSync, readFileSync, statSync, type Dirent } from "node:fs";
import { join } from "node:path";
import type { BuildContext } from "./context.js";
import { entryIsDirectory } from "./dirent.js";

const skippedDirectories = new Set([".git", "node_modules", ".venv", "venv", "__pycache__", "vendor", ".next", "target"]);
const maxEntries = 5000;
const maxDepth = 10;
const maxFileBytes = 4 * 1024 * 1024;

/**
 * A lazily read, cached view of a directory on disk. Only the CLI creates one. `listings` holds
 * directory listings already read (by `msb check`'s walk), keyed by absolute path: reused, not re-read.
 */
export function directoryContext(root: string, listings?: ReadonlyMap<string, Dirent[]>): BuildContext {
  const topEntries = listings?.get(root);
  let listing: string[] | undefined;
  const cache = new Map<string, string | undefined>();
  const kinds = new Map<string, "file" | "dir" | undefined>();
  let topLevelKinds: Map<string, "file" | "dir" | undefined> | undefined;
  const statKind = (clean: string): "file" | "dir" | undefined => {
    try {
      const stat = statSync(join(root, clean));
      return stat.isDirectory() ? "dir" : stat.isFile() ? "file" : undefined;
    } catch {
      return undefined;
    }
  };
  /** What an already-read listing of the path's directory says: "none" when it is not there, null when no listing is at hand. */
  const listedKind = (clean: string): "file" | "dir" | "none" | undefined | null => {
    const slash = clean.lastIndexOf("/");
    const entries = listings?.get(join(root, clean.slice(0, slash)));
    if (!entries) return null;
    const entry = entries.find((e) => e.name === clean.slice(slash + 1));
    if (!entry) return "none";
    return entry.isDirectory() ? "dir" : entry.isFile() ? "file" : statKind(clean);
  };
  /** One readdir answers every top-level question (package.json, lockfiles, go.mod, …). */
  const topLevelKind = (name: string) => {
    if (!topLevelKinds) {
      topLevelKinds = new Map();
      let entries: Dirent[] = topEntries ?? [];
      if (!topEntries) {
        try {
          entries = readdirSync(root, { withFileTypes: true });
        } catch {
          /* unreadable context: nothing exists */
        }
      }
      for (const entry of entries) {
        topLevelKinds.set(entry.name, entry.isDirectory() ? "dir" : entry.isFile() ? "file" : entry.isSymbolicLink() ? statKind(entry.name) : undefined);
      }
    }
    return topLevelKinds.get(name);
  };
  return {
    known: true,
    list() {
      listing ??= walk(root, listings);
      return listing;
    },
    kind(path) {
      const clean = path.replace(/^\.\//, "").replace(/\/$/, "");
      if (clean.split("/").some((part) => part === "..")) return undefined;
      if (!clean.includes("/")) return topLevelKind(clean);
      if (!kinds.has(clean)) {
        const listed = listedKind(clean);
        kinds.set(clean, listed === null ? statKind(clean) : listed === "none" ? undefined : listed);
      }
      return kinds.get(clean);
    },
    read(path) {
      const clean = path.replace(/^\.\//, "");
      if (!clean.includes("/") && topLevelKind(clean) !== "file") return undefined;
      if (!cache.has(clean)) cache.set(clean, clean.includes("/") && listedKind(clean) === "none" ? undefined : readSmallFile(join(root, clean)));
      return cache.get(clean);
    },
  };
}

function walk(root: string, listings?: ReadonlyMap<string, Dirent[]>): string[] {
  const out: string[] = [];
  const visit = (dir: string, prefix: string, depth: number) => {
    let entries: Dirent[];
    try {
      entries = listings?.get(dir) ?? readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (out.length >= maxEntries) return;
      const name = entry.name;
      const full = join(dir, name);
      const isDir = entryIsDirectory(entry, full);
      if (isDir === undefined) continue;
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
    const buffer = readFileSync(path);
    return buffer.length > maxFileBytes ? undefined : decodeText(buffer);
  } catch {
    return undefined;
  }
}

/**
 * A file's text as the tools that read it decode it: pip and npm honour a byte-order mark (Windows
 * editors save requirements.txt as UTF-16), and drop a UTF-8 one; UTF-8 otherwise.
 */
function decodeText(buffer: Buffer): string {
  if (buffer[0] === 0xff && buffer[1] === 0xfe) return buffer.subarray(2).toString("utf16le");
  if (buffer[0] === 0xfe && buffer[1] === 0xff) return new TextDecoder("utf-16be").decode(buffer.subarray(2));
  if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) return buffer.subarray(3).toString("utf8");
  return buffer.toString("utf8");
}
