import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import type { Pins } from "./pip-inputs.js";
import { compareVersions } from "./tool-rewrites.js";
import { pinnedVersion, type PythonStep } from "./tools.js";

/**
 * Rejects (exit 2) a pip install pinning Celery 4.0.x or 4.1.0 without capping Kombu below 4.2 when the
 * start command runs a Celery worker: those Celery releases accept any Kombu below 5 and their worker
 * imports `kombu.async`, which Kombu 4.2 renamed to `kombu.asynchronous`, so pip takes Kombu 4.6 and the
 * worker stops at start with "AttributeError: async" or "No module named kombu.async" (celery/celery#4749,
 * #4753: Celery 4.1.0's requirements say kombu>=4.0.2,<5.0; Celery 4.1.1 fixed it).
 */
export function rejectCeleryWorkerWithNewKombu(facts: Facts, steps: readonly PythonStep[], pins: Pins | undefined, runtimeText: string): void {
  if (!/\bcelery\b[^\n]*\bworker\b/.test(runtimeText)) return;
  const celery = (pins?.get("celery") ?? []).map(pinnedVersion).find((v): v is string => v !== undefined);
  if (!pins || !celery) return;
  if (compareVersions(celery, "4") < 0 || compareVersions(celery, "4.1.0") > 0) return;
  const kombu = pins.get("kombu");
  // named at all: only an exact pin at 4.2 or later still breaks
  if (kombu && !kombu.some((spec) => { const v = pinnedVersion(spec); return v !== undefined && compareVersions(v, "4.2") >= 0; })) return;
  const step = steps.find((s) => s.kind === "deps")!;
  const taken = kombu ? `pinned at ${pinnedVersion(kombu.find((s) => pinnedVersion(s))!)}` : "unpinned, so pip takes Kombu 4.6, the newest Celery's kombu<5.0 allows";
  throw unusable(`line ${facts.body[step.index]!.ins.startLine + 1}: the image builds but cannot start: Celery ${celery} is pinned and Kombu is ${taken}; Kombu 4.2 renamed kombu.async to kombu.asynchronous, which Celery ${celery}'s worker imports, so the worker stops at start with "AttributeError: async" or "No module named kombu.async" (pin kombu<4.2, or Celery 4.1.1 or later)`);
}
