import { posix } from "node:path";
import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";

/** ENV names whose absolute value is a place the app writes: databases, uploads, logs, media. */
const writableEnvName = /(SQLITE|DATABASE|DB|UPLOAD|MEDIA|LOG|DATA|STORAGE)(_?(URL|URI|PATH|DIR|FOLDER|ROOT|FILE|NAME))?$/i;
const systemDirs = /^\/(usr|bin|sbin|lib|lib64|etc|proc|sys|dev|opt\/venv)(\/|$)/;

/**
 * Directories outside the application directory that the Python app writes to, as its ENV says
 * (`DATABASE_URL=sqlite:////data/app.db`, `LOG_DIR=/var/log/app`, `MEDIA_ROOT=/srv/media`): the
 * runtime creates them owned by the runtime user. The application directory itself is handed to
 * that user by the assembler.
 */
export function writablePaths(facts: Facts, _context: BuildContext, envDirs: string[]): string[] {
  const out: string[] = [];
  for (const [name, raw] of Object.entries(facts.variables)) {
    if (!writableEnvName.test(name) || !facts.envNames.includes(name)) continue;
    const value = raw.replace(/^sqlite(\+\w+)?:\/\/\//, "");
    if (!value.startsWith("/") || /\s|\$/.test(value)) continue;
    const dir = /\.(db|sqlite3?|log)$/.test(value) ? posix.dirname(value) : value;
    if (dir === "/" || systemDirs.test(dir) || envDirs.some((d) => dir === d || dir.startsWith(`${d}/`))) continue;
    if (facts.finalWorkdir !== "/" && (dir === facts.finalWorkdir || dir.startsWith(`${facts.finalWorkdir}/`))) continue;
    if (!out.includes(dir)) out.push(dir);
  }
  return out;
}
