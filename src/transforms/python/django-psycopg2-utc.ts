import type { Facts } from "../../analysis/facts.js";
import type { Report } from "../../report.js";
import type { Pins } from "./pip-inputs.js";
import { imagePython } from "./uv-python.js";
import { heldBelow } from "./version-bounds.js";

/**
 * Warns (the image builds and starts) when the requirements hold Django below 3.0 and let pip take
 * psycopg2 2.9 or later: 2.9 passes timezone offsets as timedelta, which Django 2.x's PostgreSQL
 * backend compares with 0, so reading a timestamp with USE_TZ stops with "database connection isn't
 * set to UTC" (psycopg/psycopg2#1293; Django did not fix 2.2). The original breaks the same way.
 */
export function warnDjango2WithPsycopg29(facts: Facts, pins: Pins | undefined, report: Report): void {
  const django = pins?.get("django");
  if (!django || !heldBelow(django, "3.0")) return;
  const name = ["psycopg2", "psycopg2-binary"].find((n) => pins?.has(n));
  if (!name || heldBelow(pins!.get(name)!, "2.9")) return;
  // psycopg2 2.9 needs Python 3.6 or later: an older one gets 2.8
  const python = imagePython(facts);
  if (python && (python.major < 3 || (python.major === 3 && python.minor < 6))) return;
  report.warn(`the requirements hold Django below 3.0 and let pip take ${name} 2.9 or later, whose timezone offsets Django 2.x's PostgreSQL backend rejects: with USE_TZ, reading a timestamp stops with "database connection isn't set to UTC" (psycopg/psycopg2#1293), in the original too; pin ${name}<2.9`);
}
