import { commandWords } from "../analysis/commands.js";
import { composeServiceHosts } from "../analysis/compose.js";
import type { BuildContext } from "../analysis/context.js";
import { dockerignore } from "../analysis/dockerignore.js";
import type { Facts } from "../analysis/facts.js";
import { unusable } from "../errors.js";
import { failureStopsRun } from "../parser/shell.js";

/** Database migration commands: they connect to the database they migrate. */
function isMigration(words: readonly string[]): boolean {
  const program = words[0]?.split("/").pop() ?? "";
  // `python -m alembic upgrade`, `python manage.py migrate`: the module or script is the tool
  const python = /^python[\d.]*$/.test(program);
  const args = python ? words.slice(words[1] === "-m" ? 3 : 2) : words.slice(1);
  const tool = python ? (words[1] === "-m" ? words[2] : words[1]?.split("/").pop()) : program;
  if (tool === "alembic") return args.includes("upgrade");
  if (tool === "manage.py" || tool === "django-admin") return args[0] === "migrate";
  if (tool === "flask") return args.includes("db") && args.includes("upgrade");
  if (["npx", "yarn", "pnpm"].includes(program)) return isMigration(words.slice(1).filter((w) => !w.startsWith("-")));
  if (tool === "prisma") return args[0] === "migrate" && args[1] === "deploy";
  if (tool === "sequelize" || tool === "sequelize-cli") return args[0] === "db:migrate";
  if (tool === "knex") return args[0] === "migrate:latest";
  return false;
}

const databaseVariable = /(DB|DATABASE|POSTGRES|PG|MYSQL|MARIADB|MONGO)/i;
const hostVariable = /(^|_)(HOST|HOSTNAME|SERVER|ADDR)$|^PGHOST$/i;
const databaseUrl = /^(?:postgres(?:ql)?|mysql|mariadb|mongodb)(?:\+\w+)?:\/\/(?:[^@/\s]*@)?([\w.-]+)/i;

/** Database hosts the build's settings name: `.env` (when the build copies it) and the Dockerfile's ENV. */
function databaseHosts(facts: Facts, context: BuildContext): { host: string; where: string }[] {
  const settings: { name: string; value: string; where: string }[] = Object.entries(facts.variables).map(([name, value]) => ({ name, value, where: `ENV ${name}` }));
  const ignored = dockerignore(context.read(".dockerignore"));
  const copiesContext = facts.body.some((e) => e.copy && !e.copy.fromImage && e.copy.flags["from"] === undefined && e.copy.sources.some((s) => s === "." || s === "./" || s === ".env"));
  if (copiesContext && !ignored(".env")) {
    for (const line of (context.read(".env") ?? "").split(/\r?\n/)) {
      const m = /^\s*(?:export\s+)?([A-Za-z_]\w*)\s*=\s*["']?([^"'#\s]*)/.exec(line);
      if (m) settings.push({ name: m[1]!, value: m[2]!, where: `.env's ${m[1]}` });
    }
  }
  return settings.flatMap(({ name, value, where }) => {
    const host = databaseUrl.exec(value)?.[1] ?? (databaseVariable.test(name) && hostVariable.test(name) ? value : undefined);
    return host ? [{ host, where }] : [];
  });
}

/**
 * Rejects (exit 2) a database migration run by a build step (`alembic upgrade head`, `manage.py
 * migrate`, `prisma migrate deploy`…) when the database's host, as `.env` or the Dockerfile's ENV
 * names it, is a compose service: a build runs outside the project's network, where that name does
 * not resolve, so the step fails. Not when a failure of the step is tolerated (`|| true`).
 */
export function rejectBuildTimeMigration(facts: Facts, context: BuildContext): void {
  const services = composeServiceHosts(context);
  if (services.length === 0) return;
  for (const entry of facts.body) {
    const segments = entry.run?.segments ?? [];
    for (const [k, segment] of segments.entries()) {
      if (!isMigration(commandWords(segment.argv)) || !failureStopsRun(segments, k)) continue;
      for (const { host, where } of databaseHosts(facts, context)) {
        const service = services.find((s) => s.name === host);
        if (!service) continue;
        throw unusable(`line ${entry.ins.startLine + 1}: \`${segment.text}\` migrates the database while the image builds, but ${where} names its host ${host}, a service of ${service.file}, which a build cannot reach (it runs outside compose's network); migrate when the container starts instead`);
      }
    }
  }
}
