import { posix } from "node:path";
import type { BuildContext } from "../../analysis/context.js";
import { composeBindMounts, composeNamedVolumeTargets } from "../../analysis/compose.js";
import { dockerignore } from "../../analysis/dockerignore.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { applicationSources, type PythonSource } from "./application-sources.js";

const fileHandler = /\b(?:logging\.(?:handlers\.)?)?(?:Rotating|TimedRotating|Watched)?FileHandler\b/;

/** Relative log files a logging configuration names: YAML/JSON `filename:` of a file handler, INI `args=('logs/app.log', …)`. */
function configuredLogFiles(context: BuildContext): { file: string; line: number; path: string }[] {
  const found: { file: string; line: number; path: string }[] = [];
  for (const file of context.list()) {
    if (!/\.(ya?ml|json|ini|conf|cfg)$/.test(file) || file.split("/").length > 3 || /(^|\/)(node_modules|\.git|tests?)\//.test(file)) continue;
    const text = context.read(file);
    if (!text || !fileHandler.test(text)) continue;
    text.split(/\r?\n/).forEach((line, k) => {
      const path = /^\s*["']?filename["']?\s*[:=]\s*["']?([^"'\s,#]+)/.exec(line)?.[1] ?? /^\s*args\s*=\s*\(\s*["']([^"']+)["']/.exec(line)?.[1];
      if (path) found.push({ file, line: k + 1, path });
    });
  }
  return found;
}

/** Relative log files the code opens itself: `logging.basicConfig(filename="logs/app.log")`, `FileHandler("logs/app.log")`. */
function codeLogFiles(sources: readonly PythonSource[]): { file: string; line: number; path: string }[] {
  return sources.flatMap((s) => s.code.split("\n").flatMap((line, k) => {
    // a whole string literal, not the start of a concatenation (`"logs/" + name + ".log"`)
    const path = /\bbasicConfig\s*\([^)]*\bfilename\s*=\s*["']([^"']+)["']\s*[,)]/.exec(line)?.[1] ?? /\b(?:Rotating|TimedRotating|Watched)?FileHandler\s*\(\s*(?:filename\s*=\s*)?["']([^"']+)["']\s*[,)]/.exec(line)?.[1];
    return path ? [{ file: s.path, line: k + 1, path }] : [];
  }));
}

/**
 * Rejects (exit 2) an app whose logging (a configuration file its code names and loads with dictConfig or
 * fileConfig, or a basicConfig or FileHandler in its code) opens a log
 * file in a relative directory that nothing makes in the image (`filename: logs/app.log`, and the checkout
 * has no logs/, git keeping no empty directory): the FileHandler's open fails with FileNotFoundError when
 * logging is configured, at start. Only when the whole context is copied into the WORKDIR, and no step,
 * start script, code or compose volume makes directories there.
 */
export function rejectLogFileDirectoryMissing(facts: Facts, context: BuildContext, runtimeText: string): void {
  const workdir = facts.finalWorkdir;
  const copiesContext = facts.body.some((e) => e.copy && !e.copy.fromImage && e.copy.flags["from"] === undefined && e.copy.destAbs.replace(/(.)\/$/, "$1") === workdir && e.copy.sources.some((s) => /^\.\/?$/.test(s)));
  if (!copiesContext) return;
  const sources = applicationSources(context);
  if (sources.some((s) => /\b(makedirs|mkdir)\s*\(/.test(s.code)) || /\bmkdir\b/.test(runtimeText) || facts.body.some((e) => e.run && /\bmkdir\b/.test(e.ins.text))) return;
  const ignored = dockerignore(context.read(".dockerignore"));
  const mounted = [...composeBindMounts(context).map((m) => m.target), ...composeNamedVolumeTargets(context)].map((t) => t.replace(/(.)\/$/, "$1"));
  const loadsConfiguration = sources.some((s) => /\b(dictConfig|fileConfig)\s*\(/.test(s.code));
  // a configuration the code names (`dictConfig(yaml.safe_load(open("app/logging.yaml")))`), not a spare one
  const configured = loadsConfiguration ? configuredLogFiles(context).filter((log) => sources.some((s) => s.code.includes(posix.basename(log.file)))) : [];
  for (const log of [...configured, ...codeLogFiles(sources)]) {
    if (log.path.startsWith("/") || log.path.includes("%") || log.path.includes("$") || log.path.includes("{") || !log.path.includes("/")) continue;
    const dir = posix.normalize(posix.dirname(log.path));
    if (dir.startsWith("..") || dir === ".") continue;
    const inImage = context.list().some((p) => p.startsWith(`${dir}/`) && !ignored(p));
    const abs = posix.join(workdir, dir);
    if (inImage || mounted.some((m) => m === abs || abs.startsWith(`${m}/`))) continue;
    const inCode = /\.py$/.test(log.file);
    throw unusable(`${log.file} line ${log.line}: the ${inCode ? "log file the code opens" : "logging configuration"} writes ${log.path}, and nothing makes ${dir}/ in the image (the checkout has no such directory, and no step, start script or code creates it), so ${inCode ? "opening it fails with FileNotFoundError" : "configuring logging fails (FileNotFoundError, which dictConfig reports as `Unable to configure handler`)"} when the app starts (add RUN mkdir -p ${abs}, or keep a placeholder file in ${dir}/)`);
  }
}
