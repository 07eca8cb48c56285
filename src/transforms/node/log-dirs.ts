import { posix } from "node:path";
import type { BuildContext } from "../../analysis/context.js";
import { appSourceFiles } from "./source-read-paths.js";

const logDirectory = /\b(?:log_?s?_?dir(?:ectory)?|logs?_?path|dirname)\s*[:=]\s*["'`]((?:\.\.\/|\/)[\w.@-]+(?:\/[\w.@-]+)*)\/?["'`]/gi;
const systemDirs = /^\/(bin|boot|dev|etc|lib\w*|proc|root|run|sbin|sys|tmp|usr|var\/(lib|cache|run|tmp))(\/|$)/;

/**
 * Log directories a Node app names outside its WORKDIR (`const logDir = '../logs'` for winston's daily
 * rotate file, resolved from WORKDIR /app to /logs; `dirname: "/var/log/api"`): the library makes them
 * when the app starts, which the root-run original could and a non-root user cannot under `/`.
 */
export function logDirsOutsideWorkdir(context: BuildContext, workdir: string): { dir: string; file: string }[] {
  const found = new Map<string, string>();
  for (const file of appSourceFiles(context, "dist")) {
    for (const m of (context.read(file) ?? "").matchAll(logDirectory)) {
      const dir = posix.resolve(workdir, m[1]!);
      if (dir === "/" || dir === workdir || dir.startsWith(`${workdir}/`) || systemDirs.test(dir)) continue;
      if (!found.has(dir)) found.set(dir, file);
    }
  }
  return [...found].map(([dir, file]) => ({ dir, file }));
}
