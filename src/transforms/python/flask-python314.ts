import { posix } from "node:path";
import type { BuildContext } from "../../analysis/context.js";
import { contextFileAt } from "../../analysis/copied-file.js";
import type { Facts } from "../../analysis/facts.js";
import { startCommandWords, startInstruction } from "../../analysis/start-command.js";
import { unusable } from "../../errors.js";
import type { Pins } from "./pip-inputs.js";
import { compareVersions } from "./tool-rewrites.js";
import { pinnedVersion } from "./tools.js";
import { imagePython } from "./uv-python.js";

/** The last Flask release whose `Flask(__name__)` in a script run as __main__ falls back to pkgutil.get_loader (pallets/flask#5157 replaced it in 2.3.3). */
const lastWithGetLoader = "2.3.2";

/**
 * Rejects (exit 2) an app started as a script (`python app.py`) that makes `Flask(__name__)` with
 * Flask 1.0–2.3.2 pinned, on Python 3.14 or later: run as __main__, Flask finds the app's package with
 * pkgutil.get_loader, which Python 3.14 removed, so the container stops with "AttributeError: module
 * 'pkgutil' has no attribute 'get_loader'" before it serves.
 */
export function rejectOldFlaskScriptOnPython314(facts: Facts, pins: Pins | undefined, context: BuildContext): void {
  const python = imagePython(facts);
  if (!python || python.major !== 3 || python.minor < 14) return;
  const flask = (pins?.get("flask") ?? []).map(pinnedVersion).find((v): v is string => v !== undefined);
  if (!flask || !/^\d+(\.\d+)*$/.test(flask) || compareVersions(flask, "1") < 0 || compareVersions(flask, lastWithGetLoader) > 0) return;
  const words = startCommandWords(facts);
  const script = /^python[\d.]*$/.test(words[0]?.split("/").pop() ?? "") ? words.slice(1).find((w) => !w.startsWith("-")) : undefined;
  if (!script?.endsWith(".py")) return;
  const file = contextFileAt(facts, context, posix.resolve(facts.finalWorkdir, script));
  const code = file === undefined ? "" : context.read(file) ?? "";
  if (!/\bFlask\(\s*__name__\s*[,)]/.test(code) || /\binstance_path\s*=/.test(code)) return;
  throw unusable(`line ${startInstruction(facts).line}: the image builds but cannot start: ${script} makes Flask(__name__) and runs as __main__, where Flask ${flask} looks up the app's package with pkgutil.get_loader, which ${facts.resolvedImage.raw}'s ${python.label} removed, so it stops with "AttributeError: module 'pkgutil' has no attribute 'get_loader'" (pin Flask 2.3.3 or later with Werkzeug 2.3.7 or later, or use a python:3.13 image)`);
}

