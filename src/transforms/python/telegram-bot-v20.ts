import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import type { Pins } from "./pip-inputs.js";
import { applicationSources } from "./application-sources.js";
import type { PythonStep } from "./tools.js";
import { heldBelow } from "./version-bounds.js";
import { imagePython } from "./uv-python.js";

/** `from telegram.ext import …, Filters` or `telegram.ext.Filters`: the class python-telegram-bot 20 replaced by the `filters` module. */
const importsFilters = /^\s*from\s+telegram\.ext\s+import\s+(?:\([^)]*\bFilters\b[^)]*\)|[^\n]*\bFilters\b)|\btelegram\.ext\.Filters\b/m;

/**
 * Rejects (exit 2) a pip install that leaves python-telegram-bot unpinned (or at 20 or later) on a
 * Python 3.8+ image while the code imports `Filters` from telegram.ext: version 20 replaced it with the
 * `filters` module, so the bot stops at import with "cannot import name 'Filters'".
 */
export function rejectTelegramBotV13Code(facts: Facts, steps: readonly PythonStep[], pins: Pins | undefined, context: BuildContext): void {
  const python = imagePython(facts);
  if (!python || python.major !== 3 || python.minor < 8) return;
  const specs = pins?.get("python-telegram-bot");
  if (!specs || specs.length === 0) return;
  if (heldBelow(specs, "20")) return;
  const file = applicationSources(context).find((source) => importsFilters.test(source.code))?.path;
  if (file === undefined) return;
  const step = steps.find((s) => s.kind === "deps" && s.tool === "pip")!;
  throw unusable(`line ${facts.body[step.index]!.ins.startLine + 1}: the image builds but cannot start: ${file} imports Filters from telegram.ext, which python-telegram-bot 20 replaced with the filters module, and the requirements let pip take ${specs[0]!.includes("==") ? specs[0] : "its newest release"}, so the bot stops with "cannot import name 'Filters'" (pin python-telegram-bot<20, e.g. 13.15)`);
}
