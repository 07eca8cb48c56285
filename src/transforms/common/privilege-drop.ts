import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { commandLine, startScripts } from "./runtime-text.js";

const switchesUser = /(^|[\s;&|(`])(gosu|su-exec|setpriv|runuser|s6-setuidgid|chpst)\s+(.*)$/;

export interface PrivilegeDrop {
  /** Where the switch is: the start command, or the start script's path. */
  where: string;
  tool: string;
  /** The user it switches to, variables resolved; undefined when msb cannot tell. */
  user: string | undefined;
}

/** The user a switching command names: `gosu app`, `su-exec app:app`, `chpst -u app`, `runuser -u app`, `setpriv --reuid=app`. */
function switchedUser(tool: string, rest: string, facts: Facts): string | undefined {
  const words = rest.split(/\s+/).map((w) => w.replace(/^["']|["']$/g, ""));
  let word: string | undefined;
  if (tool === "chpst" || tool === "runuser") word = words[words.indexOf("-u") + 1] ?? undefined;
  else if (tool === "setpriv") word = /--reuid[= ](\S+)/.exec(rest)?.[1]?.replace(/^["']|["']$/g, "");
  else word = words[0];
  if (!word) return undefined;
  const resolved = word.replace(/\$\{?(\w+)\}?/g, (m, name: string) => facts.variables[name] ?? m);
  const name = resolved.split(":")[0]!;
  return /^[a-z_][\w.-]*$/i.test(name) && !/^(root|0)$/.test(name) ? name : undefined;
}

/**
 * A start command that drops privileges itself (`exec gosu app "$@"` after chowning a volume): it has
 * to start as root, since under a USER the switch fails ("operation not permitted") and the container exits.
 */
export function privilegeDrop(facts: Facts, context: BuildContext): PrivilegeDrop | undefined {
  const switching = (line: string) => (/^\s*#/.test(line) ? null : switchesUser.exec(` ${line} `));
  const found = [
    { where: "the start command", lines: [commandLine(facts.entrypoint), commandLine(facts.cmd)] },
    ...startScripts(facts, context).map((s) => ({ where: s.path.replace(/^\//, ""), lines: s.text.split(/\r?\n/) })),
  ].flatMap(({ where, lines }) => lines.flatMap((line) => {
    const m = switching(line);
    // chpst and setpriv also run programs without switching users
    if (!m || (m[2] === "chpst" && !/(^|\s)-u\s/.test(m[3]!)) || (m[2] === "setpriv" && !/--reuid/.test(m[3]!))) return [];
    return [{ where, tool: m[2]!, user: switchedUser(m[2]!, m[3]!, facts) }];
  }))[0];
  return found;
}
