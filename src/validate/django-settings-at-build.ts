import { posix } from "node:path";
import { commandWords } from "../analysis/commands.js";
import type { BuildContext } from "../analysis/context.js";
import { dockerignore } from "../analysis/dockerignore.js";
import type { Facts } from "../analysis/facts.js";
import { unusable } from "../errors.js";
import { argsOf } from "../parser/document.js";
import { failureStopsRun } from "../parser/shell.js";

// `env("SECRET_KEY")`, `env.bool("DEBUG")` (django-environ) or `os.environ["SECRET_KEY"]`, with no default
const requiredRead = /\benv(?:\.(?:str|bool|int|float|list|tuple|dict|json|url|path|db|db_url|cache|email))?\(\s*["']([A-Za-z_]\w*)["']\s*\)|\bos\.environ\[\s*["']([A-Za-z_]\w*)["']\s*\]/g;
const envFileTemplate = /(example|sample|template|dist|tmpl)/i;

/** The settings file a manage.py names (`os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")`), as a context path. */
function settingsFile(context: BuildContext, managePy: string, facts: Facts): string | undefined {
  const module = facts.variables["DJANGO_SETTINGS_MODULE"] ?? /DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+)["']/.exec(context.read(managePy) ?? "")?.[1];
  if (!module) return undefined;
  const base = posix.join(posix.dirname(managePy), ...module.split("."));
  return [`${base}.py`, `${base}/__init__.py`].find((p) => context.kind(p) === "file");
}

/** The arguments of each `environ.Env(…)`, where `DEBUG=(bool, False)` gives a variable its default. */
function envSchemas(text: string): string[] {
  return [...text.matchAll(/\bEnv\(/g)].map((m) => {
    let depth = 1;
    let end = m.index + m[0].length;
    for (; end < text.length && depth > 0; end++) depth += text[end] === "(" ? 1 : text[end] === ")" ? -1 : 0;
    return text.slice(m.index + m[0].length, end - 1);
  });
}

/** Names the build's environment has: the Dockerfile's ENV and ARG names. */
function buildEnvironment(facts: Facts): Set<string> {
  const names = new Set(facts.envNames);
  for (const entry of facts.body) if (entry.keyword === "ARG") for (const word of argsOf(entry.ins).trim().split(/\s+/)) names.add(word.split("=")[0]!);
  return names;
}

/**
 * Rejects (exit 2) a `manage.py` command run by a build step (`collectstatic`, `compilemessages`) when
 * the settings it loads require a variable nothing sets at build time: a top-level `env("SECRET_KEY")`
 * or `os.environ["SECRET_KEY"]` without a default, no ENV or ARG of that name, no default in
 * `environ.Env(…)`, and no env file in the context for the settings to read. Django then stops with
 * ImproperlyConfigured or KeyError, and the build with it.
 */
export function rejectDjangoSettingsAtBuild(facts: Facts, context: BuildContext): void {
  for (const entry of facts.body) {
    const segments = entry.run?.segments ?? [];
    for (const [k, segment] of segments.entries()) {
      const words = commandWords(segment.argv);
      const script = /^python[\d.]*$/.test(words[0]?.split("/").pop() ?? "") ? words[1] : words[0];
      if (!script?.endsWith("manage.py") || !failureStopsRun(segments, k)) continue;
      // the context path of the manage.py the step runs, where the sources were copied from the context's top
      const managePy = posix.relative(entry.workdir, posix.resolve(segment.cwd, script));
      const candidates = [managePy, script.replace(/^\.\//, ""), "manage.py"].filter((p) => !p.startsWith("..") && context.kind(p) === "file");
      const manage = candidates[0];
      const settings = manage && settingsFile(context, manage, facts);
      if (!settings) continue;
      const text = context.read(settings) ?? "";
      const ignored = dockerignore(context.read(".dockerignore"));
      const readsEnvFile = /read_env|load_dotenv|dotenv_values|\.env\b/.test(text);
      if (readsEnvFile && context.list().some((p) => /(^|\/)\.env[\w.-]*$/.test(p) && !envFileTemplate.test(p) && !ignored(p))) continue;
      const defined = buildEnvironment(facts);
      for (const schema of envSchemas(text)) for (const d of schema.matchAll(/(\w+)\s*=\s*\(\s*\w+\s*,/g)) defined.add(d[1]!);
      for (const m of text.matchAll(/os\.environ(?:\.setdefault\(\s*|\[\s*)["'](\w+)["']\s*(?:,|\]\s*=[^=])/g)) defined.add(m[1]!);
      // a top-level statement runs when the settings are imported; code in functions and branches may not
      const topLevel = text.split(/\r?\n/).filter((line) => /^[A-Za-z_]/.test(line) && !/^(def|class|if|elif|else|try|except|with|for|while)\b/.test(line));
      for (const line of topLevel) {
        for (const m of line.matchAll(requiredRead)) {
          const name = m[1] ?? m[2]!;
          if (defined.has(name)) continue;
          const how = m[1] ? `env("${name}")` : `os.environ["${name}"]`;
          const template = context.list().find((p) => /(^|\/)(\.?env[\w.-]*|[\w.-]*\.env)$/.test(p) && envFileTemplate.test(p));
          throw unusable(`line ${entry.ins.startLine + 1}: \`${segment.text}\` loads ${settings}, which reads ${how} with no default, and no ENV, ARG or env file in the build context sets ${name}, so Django stops and the build fails${template ? ` (${template} suggests the .env the build expects)` : ""}`);
        }
      }
    }
  }
}
