import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unsupported } from "../../errors.js";
import { commandLine, startScripts } from "./runtime-text.js";

const switchesUser = /(^|[\s;&|(`])(gosu|su-exec|setpriv|runuser|s6-setuidgid|chpst\s+-u)\s/;

/**
 * A start command that drops privileges itself (`exec gosu app "$@"` after chowning a volume) has to
 * start as root: under a USER the switch fails ("operation not permitted") and the container exits.
 * Refused (exit 3): the conversion would have to keep root, and the user the script switches to,
 * which msb does not carry from the build.
 */
export function refusePrivilegeDropStart(facts: Facts, context: BuildContext): void {
  const switching = (line: string) => !/^\s*#/.test(line) && switchesUser.exec(` ${line} `)?.[2];
  const direct = [commandLine(facts.entrypoint), commandLine(facts.cmd)].map(switching).find(Boolean);
  for (const { where, tool } of [
    ...(direct ? [{ where: "the start command", tool: direct }] : []),
    ...startScripts(facts, context).map((s) => ({ where: `${s.path}, which the start command runs,`, tool: s.text.split(/\r?\n/).map(switching).find(Boolean) })),
  ]) {
    if (!tool) continue;
    throw unsupported(`${where} drops privileges itself with ${tool.split(/\s/)[0]}, so the container must start as root; msb cannot run it under a non-root USER (the switch would fail) and does not carry the user it switches to into the runtime`);
  }
}
