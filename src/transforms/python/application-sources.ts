import type { BuildContext } from "../../analysis/context.js";

/** Directories of a context that hold no application code: environments, tests, vendored trees. */
const notApplication = /(^|\/)(\.[^/]*|venv|env|site-packages|node_modules|tests?|__pycache__)\//;

/** More files than this are not scanned: rules read literal calls, which the first files of a project show. */
const scanLimit = 400;

export interface PythonSource {
  path: string;
  /** The file's text without its comment lines, so a commented-out call or import does not count. */
  code: string;
}

const scanned = new WeakMap<BuildContext, readonly PythonSource[]>();

/** The project's own Python files (environments, tests and vendored trees left out), read once per context. */
export function applicationSources(context: BuildContext): readonly PythonSource[] {
  let sources = scanned.get(context);
  if (!sources) {
    sources = context
      .list()
      .filter((path) => path.endsWith(".py") && !notApplication.test(path))
      .slice(0, scanLimit)
      .map((path) => ({ path, code: (context.read(path) ?? "").split(/\r?\n/).filter((line) => !/^\s*#/.test(line)).join("\n") }));
    scanned.set(context, sources);
  }
  return sources;
}
