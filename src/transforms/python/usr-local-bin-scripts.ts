import { composeCommands } from "../../analysis/compose.js";
import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";

/** What an official python image has in /usr/local/bin itself: the interpreter, pip and their tools. */
const imageOwn = /^(python|pip|idle|pydoc|2to3|wheel|easy_install)/;

/** Shell scripts read for the paths they run: entrypoints beside the Dockerfile, bounded in number. */
const scriptLimit = 20;

/**
 * Console scripts that commands run by the path the original's pip installed them to
 * (`CMD ["/usr/local/bin/gunicorn", …]`, an entrypoint script's `exec /usr/local/bin/celery`):
 * installed into a virtualenv they live in its bin, so the runtime links the old path to them.
 * Names the Dockerfile itself puts in /usr/local/bin (a COPY, a download) are left alone.
 */
export function usrLocalBinScripts(facts: Facts, context: BuildContext): string[] {
  // a COPY of a directory into /usr/local/bin puts names there that only the context knows
  if (facts.body.some((e) => e.copy !== undefined && /^\/usr\/local\/bin\/?$/.test(e.copy.destAbs) && e.copy.sources.some((s) => !/\.\w+$/.test(s)))) return [];
  const texts = [facts.entrypoint, facts.cmd, facts.healthcheck].flatMap((c) => (c ? [c.form === "exec" ? c.argv.join(" ") : c.shell] : []));
  texts.push(...composeCommands(context).map((c) => c.text));
  const scripts = context.list().filter((p) => /\.sh$/.test(p) && !p.includes("node_modules/")).slice(0, scriptLimit);
  for (const script of scripts) texts.push(context.read(script) ?? "");
  const dockerfileWrites = facts.body.filter((e) => e.run || e.copy).map((e) => e.ins.text).join("\n");
  const copiedThere = new Set(facts.body.flatMap((e) => (e.copy && /^\/usr\/local\/bin\/?$/.test(e.copy.destAbs) ? e.copy.sources.map((s) => s.split("/").pop()!) : [])));
  const names = new Set<string>();
  for (const text of texts) {
    for (const m of text.matchAll(/(?<![\w/.-])\/usr\/local\/bin\/([\w][\w.-]*)/g)) {
      const name = m[1]!;
      if (imageOwn.test(name) || copiedThere.has(name) || dockerfileWrites.includes(`/usr/local/bin/${name}`)) continue;
      names.add(name);
    }
  }
  return [...names].sort();
}
