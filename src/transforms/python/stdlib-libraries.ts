import type { BuildContext } from "../../analysis/context.js";
import { applicationSources } from "./application-sources.js";

/**
 * Standard-library extension modules whose system libraries the slim python images drop: they keep
 * `_tkinter` but not libtk/libtcl (turtle imports tkinter too). When the app imports one, its
 * extension module joins the shared-library scan, so the runtime gets the package its release names.
 */
const modules: { imports: RegExp; extension: string }[] = [
  { imports: /^[ \t]*(?:import|from)[ \t]+(?:tkinter|turtle|_tkinter)\b/m, extension: "/usr/local/lib/python3*/lib-dynload/_tkinter*.so" },
];

/** Paths (shell globs) of the standard-library extensions the project's Python sources import that a slim image cannot load. */
export function importedStdlibExtensions(context: BuildContext): string[] {
  const sources = applicationSources(context);
  const found: string[] = [];
  for (const { imports, extension } of modules) {
    if (sources.some((source) => imports.test(source.code))) found.push(extension);
  }
  return found;
}
