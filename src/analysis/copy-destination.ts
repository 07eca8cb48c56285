import { posix } from "node:path";
import { isDirectory, type BuildContext } from "./context.js";
import type { Facts, InstructionFacts } from "./facts.js";

/** Directories every Linux base image already has: a file copied or moved onto one lands inside it. */
export const baseImageDirectories = new Set([
  "/", "/bin", "/sbin", "/usr", "/usr/bin", "/usr/sbin", "/usr/lib", "/usr/share", "/usr/local", "/usr/local/bin",
  "/usr/local/sbin", "/usr/local/lib", "/usr/local/share", "/etc", "/opt", "/srv", "/var", "/var/lib", "/home", "/mnt", "/media",
  "/usr/src", "/var/www", "/var/log", "/var/run", "/var/opt", "/usr/local/etc", "/tmp", "/var/tmp",
  // present in every Debian, Ubuntu and Alpine image that trusts certificates (python, node and golang images do)
  "/etc/ssl", "/etc/ssl/certs", "/usr/local/share/ca-certificates", "/usr/share/ca-certificates",
]);

const ancestors = (path: string): string[] => {
  const out: string[] = [];
  for (let p = posix.dirname(path); p !== "/" && p !== "."; p = posix.dirname(p)) out.push(p);
  return out;
};

/**
 * Whether a COPY or ADD puts a single source inside its destination rather than at it. BuildKit copies
 * into a destination that ends in `/` or `.`, or that exists as a directory when the step runs: one every
 * base image has (`COPY requirements.txt /tmp` writes /tmp/requirements.txt), a WORKDIR, or one an
 * earlier COPY made. Several sources always go inside.
 */
export function copiesIntoDirectory(facts: Facts, entry: InstructionFacts, context: BuildContext): boolean {
  const copy = entry.copy;
  if (!copy) return false;
  if (copy.destAbs.endsWith("/") || /(^|\/)\.?$/.test(copy.dest) || copy.sources.length > 1) return true;
  const dest = copy.destAbs;
  if (baseImageDirectories.has(dest)) return true;
  for (const earlier of facts.body) {
    // each step's working directory exists, made by a WORKDIR before it
    if (earlier.workdir === dest || ancestors(earlier.workdir).includes(dest)) return true;
    if (earlier === entry) return false;
    const made = earlier.copy;
    if (!made || made.fromImage || made.heredoc) continue;
    const madeDest = made.destAbs.replace(/\/$/, "") || "/";
    if (ancestors(madeDest).includes(dest)) return true;
    if (madeDest === dest && (made.destAbs.endsWith("/") || made.sources.length > 1 || made.sources.some((s) => isDirectory(context, s)))) return true;
  }
  return false;
}
