import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import type { Pins } from "./pip-inputs.js";
import { pinnedVersion, type PythonStep } from "./tools.js";
import { imagePython } from "./uv-python.js";

/**
 * Rejects (exit 2) Celery pinned at 5.2.x when the start command runs the celery command on Python 3.12
 * or later: its `celery/bin/celery.py` calls `entry_points().get('celery.commands', [])` at import, and
 * Python 3.12's importlib.metadata returns EntryPoints, which has no `get`, so every celery command
 * stops with "AttributeError: 'EntryPoints' object has no attribute 'get'" (Celery 5.3 selects by group).
 */
export function rejectCelery52OnPython312(facts: Facts, steps: readonly PythonStep[], pins: Pins | undefined, runtimeText: string): void {
  if (!/(^|[\s"'[,/])celery["']?\s*,?\s*["']?\s*(-A|--app|worker|beat|flower|-b)\b/m.test(runtimeText)) return;
  const python = imagePython(facts);
  if (!python || python.major !== 3 || python.minor < 12) return;
  const celery = (pins?.get("celery") ?? []).map(pinnedVersion).find((v): v is string => v !== undefined);
  if (!celery || !/^5\.2(\.|$)/.test(celery)) return;
  const step = steps.find((s) => s.kind === "deps");
  if (!step) return;
  throw unusable(`line ${facts.body[step.index]!.ins.startLine + 1}: the image builds but cannot start: Celery ${celery} is pinned, whose celery command calls entry_points().get(…) at import, and ${python.label} returns EntryPoints without get, so the worker stops with "AttributeError: 'EntryPoints' object has no attribute 'get'" (pin Celery 5.3 or later, or use a Python image before 3.12)`);
}
