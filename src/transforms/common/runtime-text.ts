import { posix } from "node:path";
import { makefileShellRun } from "../../analysis/documented-docker-runs.js";
import { composeCommands, composeInteractiveShell } from "../../analysis/compose.js";
import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import type { CommandForm } from "../../parser/instruction-text.js";

export function commandLine(command: CommandForm | undefined): string {
  if (!command) return "";
  return command.form === "exec" ? command.argv.join(" ") : command.shell;
}

/** Scripts in the context that the start command or healthcheck names, by path or file name. */
export function startScripts(facts: Facts, context: BuildContext): { path: string; text: string }[] {
  const words = [facts.entrypoint, facts.cmd, facts.healthcheck].flatMap((c) => commandLine(c).split(/\s+/));
  const found: { path: string; text: string }[] = [];
  for (const word of words) {
    if (!/\.(sh|bash)$|entrypoint|docker-/.test(word)) continue;
    const name = word.split("/").pop() ?? word;
    const direct = word.replace(/^\.\//, "");
    const path = context.kind(direct) === "file" ? direct : renamedByCopy(facts, context, word) ?? context.list().find((f) => !f.endsWith("/") && f.split("/").pop() === name);
    const text = path ? context.read(path) : undefined;
    if (path && text !== undefined && !found.some((f) => f.path === path)) found.push({ path, text });
  }
  return found;
}

/** The context file a COPY/ADD put at the script's path under another name (`ADD compose/backend.sh entrypoint.sh`). */
function renamedByCopy(facts: Facts, context: BuildContext, word: string): string | undefined {
  // a bare name (`ENTRYPOINT ["app-entrypoint"]`) is found through PATH
  const pathDirs = word.includes("/") ? [] : (facts.variables["PATH"] ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").split(":").filter((d) => d.startsWith("/"));
  const candidates = [posix.resolve(facts.finalWorkdir, word), ...pathDirs.map((d) => posix.join(d, word))];
  for (const entry of [...facts.body].reverse()) {
    const copy = entry.copy;
    if (!copy || copy.fromImage || copy.flags["from"] !== undefined || copy.sources.length !== 1 || copy.destAbs.endsWith("/")) continue;
    const source = copy.sources[0]!.replace(/^\.\//, "");
    if (candidates.includes(copy.destAbs) && context.kind(source) === "file") return source;
  }
  return undefined;
}

/**
 * Everything the image runs after the build: start command, healthcheck, the scripts they call, and
 * the commands and healthchecks compose files in the context run in it (a compose healthcheck's curl).
 */
export function runtimeCommandText(facts: Facts, context: BuildContext): string {
  return [commandLine(facts.entrypoint), commandLine(facts.cmd), commandLine(facts.healthcheck), ...startScripts(facts, context).map((s) => s.text), ...composeCommands(context).map((c) => c.text)].join("\n");
}

/** Whether the start command needs a shell in the runtime image. */
export function needsShell(facts: Facts, context: BuildContext): { needed: boolean; bash: boolean; why?: string } {
  const scripts = startScripts(facts, context);
  const bash = scripts.some((s) => /^#!.*\bbash\b/.test(s.text));
  if (scripts.length > 0) return { needed: true, bash, why: `the start command runs the script ${scripts[0]!.path}` };
  // compose runs the image with `command: ["sh", "-c", "export CONFIG_PATH=… && ./main"]`
  const composeShell = composeCommands(context).map((c) => ({ c, shell: c.key === "test" ? undefined : /^\[?\s*["']?((?:\/bin\/|\/usr\/bin\/)?(sh|bash|ash))["']?(?=[\s,\]]|$)/.exec(c.text)?.[1] })).find((x) => x.shell);
  if (composeShell) return { needed: true, bash: composeShell.shell!.endsWith("bash"), why: `${composeShell.c.file} line ${composeShell.c.line} runs the image with ${composeShell.shell}` };
  const makeShell = makefileShellRun(context);
  if (makeShell) return { needed: true, bash: makeShell.shell.endsWith("bash"), why: `${makeShell.file} line ${makeShell.line} runs the image with ${makeShell.shell} -c` };
  const interactive = facts.entrypoint === undefined && facts.cmd === undefined ? composeInteractiveShell(context) : undefined;
  if (interactive) return { needed: true, bash, why: `${interactive.file} line ${interactive.line} keeps the container open at the image's shell (${interactive.key}: true, no command:) to start the program with docker exec` };
  if (facts.entrypoint?.form === "shell") return { needed: true, bash, why: "ENTRYPOINT is in shell form" };
  if (facts.cmd?.form === "shell" && facts.entrypoint === undefined) return { needed: true, bash, why: "CMD is in shell form" };
  if (facts.healthcheck?.form === "shell") return { needed: true, bash, why: "HEALTHCHECK is in shell form" };
  const argv0 = facts.entrypoint?.argv[0] ?? facts.cmd?.argv[0] ?? "";
  if (/(^|\/)(sh|bash|ash)$/.test(argv0) || /\.sh$/.test(argv0)) return { needed: true, bash: argv0.endsWith("bash"), why: `the start command runs ${argv0}` };
  const probe = healthcheckTools(facts, context)[0];
  if (probe) return { needed: true, bash, why: `${probe.where} runs ${probe.tool}` };
  return { needed: false, bash };
}

/** HTTP and shell tools health checks run inside the container (`test: ["CMD", "wget", "--spider", …]`). */
function healthcheckTools(facts: Facts, context: BuildContext): { tool: string; where: string }[] {
  const checks = [
    ...(facts.healthcheck ? [{ text: commandLine(facts.healthcheck), where: "HEALTHCHECK" }] : []),
    ...composeCommands(context).filter((c) => c.key === "test").map((c) => ({ text: c.text, where: `the healthcheck of ${c.file} line ${c.line}` })),
  ];
  return checks.flatMap(({ text, where }) => {
    const words = text.replace(/[[\],"']/g, " ").split(/\s+/).filter((w) => w !== "" && !/^(CMD|CMD-SHELL|NONE)$/.test(w));
    const tool = words.find((w) => /^(\/\S*\/)?(curl|wget|nc|sh|bash)$/.test(w));
    return tool ? [{ tool: tool.split("/").pop()!, where }] : [];
  });
}
