import { has, type BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import type { NodeProject } from "../node/project.js";
import { buildOutputDir, servedDirectory } from "./site.js";

/**
 * Rejects (exit 2) a static server told to serve a directory the front-end build never writes
 * (`serve -s build` after `vite build`, whose vite.config.js sets outDir: 'dist'): the original starts
 * and answers 404 to every path, and a runtime copying that directory would not build. Not when the
 * context has the directory, nor when a build step or script names it (`mv dist build`).
 */
export function rejectServedDirectoryNeverBuilt(facts: Facts, context: BuildContext, project: NodeProject, start: string[]): void {
  const served = servedDirectory(start);
  const built = buildOutputDir(context, project);
  if (!context.known || !served || !built || served.dir === built.dir || served.dir === "." || has(context, served.dir)) return;
  // a copy or move that makes it (`mv dist build`, `cp -r dist/. build`), or an output flag naming it
  const dir = served.dir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const named = new RegExp(`\\b(mv|cp|rsync|ln|rename|cpx|copyfiles|ncp)\\b[^;&|\\n]*[\\s/'"]\\.?/?${dir}/?(\\s|$|['"])|(-o|--out\\w*|--dest\\w*|--dist\\w*|--output\\w*)[= ]['"]?\\.?/?${dir}\\b`, "i");
  const scripts = Object.values(project.scripts).join("\n");
  if (named.test(scripts) || facts.body.some((e) => e.run && named.test(e.ins.text))) return;
  const line = facts.body.find((e) => e.ins.keyword === "CMD" || e.ins.keyword === "ENTRYPOINT");
  // a site built for a sub-path (`base: '/iare/'`) loads its assets from there: serving dist at / is not enough
  const base = ["vite.config.ts", "vite.config.js", "vite.config.mjs"].map((f) => /\bbase\s*:\s*["'`]([^"'`]+)["'`]/.exec(context.read(f) ?? "")?.[1]).find((b) => b !== undefined);
  const subPath = base !== undefined && !/^\.?\/?$/.test(base) ? `; the site is built for the path ${base}, so open it there or build with --base=/` : "";
  throw unusable(`${line ? `line ${line.ins.startLine + 1}: ` : ""}the image builds but serves nothing: ${served.why}/, which the build never writes (${built.why}: ${built.dir}/), so every request gets 404 (serve ${built.dir}, or set the build's output directory to ${served.dir}${subPath})`);
}
