import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import type { Pins } from "./pip-inputs.js";
import { applicationSources } from "./application-sources.js";
import type { PythonStep } from "./tools.js";
import { heldBelow } from "./version-bounds.js";
import { imagePython } from "./uv-python.js";

/** Names python-telegram-bot 20 removed from telegram.ext, as code written for 13 imports them: what the import stops with. */
const v13Imports: { pattern: RegExp; what: string; error: string }[] = [
  // `from telegram.ext import …, Filters` or `telegram.ext.Filters`: replaced by the `filters` module
  { pattern: /^\s*from\s+telegram\.ext\s+import\s+(?:\([^)]*\bFilters\b[^)]*\)|[^\n]*\bFilters\b)|\btelegram\.ext\.Filters\b/m, what: "imports Filters from telegram.ext, which python-telegram-bot 20 replaced with the filters module", error: "cannot import name 'Filters'" },
  // the Dispatcher and its module went with the Application that replaced them
  { pattern: /^\s*(?:from\s+telegram\.ext\.dispatcher\s+import|import\s+telegram\.ext\.dispatcher\b)/m, what: "imports telegram.ext.dispatcher, a module python-telegram-bot 20 removed with the Dispatcher", error: "No module named 'telegram.ext.dispatcher'" },
  { pattern: /^\s*from\s+telegram\.ext\s+import\s+(?:\([^)]*\bDispatcher\b[^)]*\)|[^\n]*\bDispatcher\b)/m, what: "imports Dispatcher from telegram.ext, which python-telegram-bot 20 replaced with Application", error: "cannot import name 'Dispatcher'" },
];

/**
 * Rejects (exit 2) a pip install that leaves python-telegram-bot unpinned (or at 20 or later) on a
 * Python 3.8+ image while the code imports what version 20 removed from telegram.ext (`Filters`, replaced by
 * the `filters` module; the Dispatcher and `telegram.ext.dispatcher`), so the bot stops at import.
 */
export function rejectTelegramBotV13Code(facts: Facts, steps: readonly PythonStep[], pins: Pins | undefined, context: BuildContext): void {
  const python = imagePython(facts);
  if (!python || python.major !== 3 || python.minor < 8) return;
  const specs = pins?.get("python-telegram-bot");
  if (!specs || specs.length === 0) return;
  if (heldBelow(specs, "20")) return;
  const sources = applicationSources(context);
  const found = v13Imports.map((i) => ({ ...i, file: sources.find((source) => i.pattern.test(source.code))?.path })).find((i) => i.file !== undefined);
  if (found === undefined) return;
  const step = steps.find((s) => s.kind === "deps" && s.tool === "pip")!;
  throw unusable(`line ${facts.body[step.index]!.ins.startLine + 1}: the image builds but cannot start: ${found.file} ${found.what}, and the requirements let pip take ${specs[0]!.includes("==") ? specs[0] : "its newest release"}, so the bot stops with "${found.error}" (pin python-telegram-bot<20, e.g. 13.15)`);
}
