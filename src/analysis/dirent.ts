import { statSync, type Dirent } from "node:fs";

/** Whether a directory entry is a directory, following a symbolic link; undefined for a broken link. */
export function entryIsDirectory(entry: Dirent, fullPath: string): boolean | undefined {
  if (!entry.isSymbolicLink()) return entry.isDirectory();
  try {
    return statSync(fullPath).isDirectory();
  } catch {
    return undefined;
  }
}
