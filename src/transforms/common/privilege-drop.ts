import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { tokenize } from "../../parser/shell.js";
import { commandLine, startScripts } from "./runtime-text.js";

const switchesUser = /(^|[\s;&|(`])(gosu|su-exec|setpriv|runuser|s6-setuidgid|chpst|su|sudo)\s+(.*)$/;
/** su's options that take a value (`su -s /bin/bash app -c "python3 bot.py"`): the user is the first other word. */
const suValueOptions = new Set(["-s", "--shell", "-c", "--command", "--session-command", "-g", "--group", "-G", "--supp-group", "-w", "--whitelist-environment"]);

export interface PrivilegeDrop {
  /** Where the switch is: the start command, or the start script's path. */
  where: string;
  tool: string;
  /** The user it switches to, variables resolved; undefined when msb cannot tell. */
  user: string | undefined;
  /** The start script itself creates that user (`useradd -m app` before `exec su app …`), so no Dockerfile step has to. */
  createdAtStart: boolean;
  /** It switches to a numeric uid:gid, often from the environment (`gosu "$PUID:$PGID"`): no user has to exist. */
  numericIds?: string;
}

/** `gosu "$PUID:$PGID"`, `su-exec 1000:1000`: ids, not names (gosu and su-exec take ids no passwd entry has). */
function numericIds(tool: string, rest: string): string | undefined {
  if (tool !== "gosu" && tool !== "su-exec") return undefined;
  const word = rest.trim().split(/\s+/)[0]?.replace(/^["']|["']$/g, "");
  const id = String.raw`(\$\{?\w+\}?|\d+)`;
  return word && new RegExp(`^${id}(:${id})?$`).test(word) && !/^0(:|$)/.test(word) ? word : undefined;
}

/** The user a switching command names: `gosu app`, `su-exec app:app`, `chpst -u app`, `runuser -u app`, `setpriv --reuid=app`. */
function switchedUser(tool: string, rest: string, facts: Facts): string | undefined {
  const words = rest.split(/\s+/).map((w) => w.replace(/^["']|["']$/g, ""));
  let word: string | undefined;
  if (tool === "chpst" || tool === "runuser" || tool === "sudo") word = words.includes("-u") ? words[words.indexOf("-u") + 1] : undefined;
  else if (tool === "su") word = tokenize(rest).find((w, i, all) => !w.startsWith("-") && !suValueOptions.has(all[i - 1] ?? ""));
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
  const sources = [
    { where: "the start command", lines: [commandLine(facts.entrypoint), commandLine(facts.cmd)] },
    ...startScripts(facts, context).map((s) => ({ where: s.path.replace(/^\//, ""), lines: s.text.split(/\r?\n/) })),
  ];
  const found = sources.flatMap(({ where, lines }) => lines.flatMap((line) => {
    const m = switching(line);
    // chpst and setpriv also run programs without switching users; sudo without -u and su without a user stay root
    if (!m || (m[2] === "chpst" && !/(^|\s)-u\s/.test(m[3]!)) || (m[2] === "setpriv" && !/--reuid/.test(m[3]!))) return [];
    const user = switchedUser(m[2]!, m[3]!, facts);
    if ((m[2] === "su" || m[2] === "sudo") && user === undefined) return [];
    const creates = new RegExp(`(^|[\\s;&|])(useradd|adduser)\\s(.*\\s)?${(user ?? "").replace(/[.]/g, "\\.")}(\\s|$)`);
    const ids = user === undefined ? numericIds(m[2]!, m[3]!) : undefined;
    return [{ where, tool: m[2]!, user, createdAtStart: user !== undefined && lines.some((l) => !/^\s*#/.test(l) && creates.test(l)), ...(ids ? { numericIds: ids } : {}) }];
  }))[0];
  return found;
}
