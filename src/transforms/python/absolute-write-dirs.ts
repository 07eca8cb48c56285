import { posix } from "node:path";
import type { BuildContext } from "../../analysis/context.js";
import { applicationSources } from "./application-sources.js";

/** Calls that write a file or make a directory at a literal absolute path, and whether the path is the directory itself. */
const writes: { re: RegExp; isDir: boolean }[] = [
  { re: /\bopen\(\s*[rRbBuUfF]?["'](\/[\w.@+-]+(?:\/[\w.@+-]+)*\/?)["']\s*,\s*(?:mode\s*=\s*)?["'][^"']*[wax+]/g, isDir: false },
  { re: /\b(?:Rotating|TimedRotating|Watched)?FileHandler\(\s*(?:filename\s*=\s*)?["'](\/[\w.@+-]+(?:\/[\w.@+-]+)*\/?)["']/g, isDir: false },
  { re: /\bsqlite3\.connect\(\s*["'](\/[\w.@+-]+(?:\/[\w.@+-]+)*\/?)["']/g, isDir: false },
  { re: /["']sqlite:\/\/\/(\/[\w.@+-]+(?:\/[\w.@+-]+)*)["']/g, isDir: false },
  { re: /\bos\.(?:makedirs|mkdir)\(\s*["'](\/[\w.@+-]+(?:\/[\w.@+-]+)*\/?)["']/g, isDir: true },
  { re: /\bPath\(\s*["'](\/[\w.@+-]+(?:\/[\w.@+-]+)*\/?)["']\s*\)\.mkdir\(/g, isDir: true },
  // `Path('/') / 'data'`: a directory under / that the program builds its paths from
  { re: /\bPath\(\s*["']\/["']\s*\)\s*\/\s*["']([\w.-]+)["']/g, isDir: true },
];

/** Directories the image's own files live in, or that every user can write already. */
const systemDirs = /^\/(tmp|dev|proc|sys|run|etc|usr|bin|sbin|lib|lib64|opt\/venv|var\/tmp|root|home|mnt|media)(\/|$)|^\/(var|var\/log|var\/lib|var\/cache|opt|srv)$/;

/**
 * Absolute directories outside the WORKDIR that the application's code writes into (a SQLite file, a log
 * file, a data directory it makes): the root-run original could create and write them anywhere; the
 * runtime makes them owned by its user. Found from literal paths in write calls, not from computed ones.
 */
export function absoluteWriteDirs(context: BuildContext, workdir: string): { dir: string; file: string }[] {
  const found = new Map<string, string>();
  for (const { path: file, code } of applicationSources(context)) {
    for (const { re, isDir } of writes) {
      for (const m of code.matchAll(re)) {
        const path = m[1]!.startsWith("/") ? m[1]! : `/${m[1]}`;
        const dir = posix.normalize(isDir ? path : posix.dirname(path)).replace(/(.)\/$/, "$1");
        if (dir === "/" || systemDirs.test(dir) || (workdir !== "/" && (dir === workdir || dir.startsWith(`${workdir}/`)))) continue;
        if (!found.has(dir)) found.set(dir, file);
      }
    }
  }
  return [...found.keys()].sort().map((dir) => ({ dir, file: found.get(dir)! }));
}

/** The same write calls with a relative literal path (`basicConfig(filename="logs.log")`, `open("out/report.csv", "a")`). */
const relativeWrites: RegExp[] = [
  /\bopen\(\s*[rRbBuUfF]?["']((?:\.\/)?[\w.@+-]+(?:\/[\w.@+-]+)*)["']\s*,\s*(?:mode\s*=\s*)?["'][^"']*[wax+]/g,
  /\b(?:Rotating|TimedRotating|Watched)?FileHandler\(\s*(?:filename\s*=\s*)?["']((?:\.\/)?[\w.@+-]+(?:\/[\w.@+-]+)*)["']/g,
  /\bbasicConfig\([^)]*\bfilename\s*=\s*["']((?:\.\/)?[\w.@+-]+(?:\/[\w.@+-]+)*)["']/g,
  /\bsqlite3\.connect\(\s*["']((?:\.\/)?[\w.@+-]+(?:\/[\w.@+-]+)*)["']/g,
  /["']sqlite:\/\/\/((?:\.\/)?[\w.@+-]+(?:\/[\w.@+-]+)*)["']/g,
];

const variableDefault = /\bos\.(?:getenv|environ\.get)\(\s*["']\w*(?:FILE|PATH|DIR|DB|LOG|STATE|DATA|FOLDER)\w*["']\s*,\s*["']((?:\.\/)?[\w.@+-]+(?:\/[\w.@+-]+)+)["']/g;
const relativeDirectories: RegExp[] = [
  variableDefault,
  /\bos\.(?:makedirs|mkdir)\(\s*["']((?:\.\/)?[\w.@+-]+(?:\/[\w.@+-]+)*)\/?["']/g,
];

/**
 * Files an application left in `/` (no WORKDIR, its pieces copied to the same paths) writes relative to
 * its working directory: `/` is root's, so the non-root runtime needs each made and handed to it (a
 * log file), or its directory (`logs/app.log` → `/logs`). Literal paths only.
 */
export function relativeWritesAtRoot(context: BuildContext): { files: string[]; dirs: string[] } {
  const files = new Set<string>();
  const dirs = new Set<string>();
  for (const { path } of relativeWritePaths(context)) {
    if (path.includes("/")) dirs.add(`/${path.split("/")[0]}`);
    else files.add(`/${path}`);
  }
  // a state file's directory under a variable's default (`os.getenv("STATE_FILE", "state/seen.json")`), or one it makes
  for (const { code } of applicationSources(context)) {
    for (const re of relativeDirectories) {
      for (const m of code.matchAll(re)) {
        const path = posix.normalize(m[1]!);
        if (!path.startsWith("..") && path !== "." && (re !== variableDefault || path.includes("/"))) dirs.add(`/${path.split("/")[0]}`);
      }
    }
  }
  return { files: [...files].sort(), dirs: [...dirs].sort().filter((d) => !systemDirs.test(d)) };
}

/** Literal paths the application's code writes relative to its working directory (`data/last_value.txt`), normalized, with the file that writes each. */
const writtenVariableDefault = /\bos\.(?:getenv|environ\.get)\(\s*["'](\w*(?:LOG|CACHE|DATA|DB|STATE|OUTPUT|UPLOAD|MEDIA|STORAGE)\w*)["']\s*,\s*["']((?:\.\/)?[\w.@+-]+(?:\/[\w.@+-]+)*)\/?["']/g;

/**
 * Relative paths the program writes by default where a variable does not say otherwise
 * (`os.getenv("CACHE_DIR", "./cache/")`, `os.getenv("LOG_FILE", "./logs/app.log")`): names of logs,
 * caches, data, databases, state, output, uploads, media or storage.
 */
export function relativeDefaultWritePaths(context: BuildContext): { path: string; file: string; variable: string }[] {
  const found: { path: string; file: string; variable: string }[] = [];
  for (const { path: file, code } of applicationSources(context)) {
    for (const m of code.matchAll(writtenVariableDefault)) {
      const path = posix.normalize(m[2]!);
      if (path.startsWith("..") || path === ".") continue;
      found.push({ path, file, variable: m[1]! });
    }
  }
  return found;
}

export function relativeWritePaths(context: BuildContext): { path: string; file: string }[] {
  const found: { path: string; file: string }[] = [];
  for (const { path: file, code } of applicationSources(context)) {
    for (const re of relativeWrites) {
      for (const m of code.matchAll(re)) {
        const path = posix.normalize(m[1]!);
        if (path.startsWith("..") || path === "." || /^:memory:$/.test(path)) continue;
        found.push({ path, file });
      }
    }
  }
  return found;
}
