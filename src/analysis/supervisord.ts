import { posix } from "node:path";
import { contextFileAt } from "./copied-file.js";
import type { Facts } from "./facts.js";

/** Daemons that bind privileged ports or switch users themselves: a non-root supervisord cannot run them. */
export const rootDaemons = /^(nginx|apache2|httpd|apache2ctl|cron|crond|sshd|postfix|rsyslogd|syslog-ng|dockerd|php-fpm[\d.]*)$/;

/** Paths a non-root process may write: the standard streams, /tmp, and the WORKDIR (the runtime user's). */
function writable(path: string, workdir: string): boolean {
  if (/^(\/dev\/(stdout|stderr|null|fd\/[12])|NONE|AUTO|syslog)$/i.test(path)) return true;
  if (!path.startsWith("/")) return true;
  return /^\/tmp(\/|$)/.test(path) || (workdir !== "/" && (path === workdir || path.startsWith(`${workdir}/`)));
}

interface Section {
  name: string;
  keys: Map<string, string>;
}

function sections(text: string): Section[] {
  const out: Section[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s);.*$/, "").trim();
    if (line === "" || line.startsWith("#")) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      out.push({ name: header[1]!.trim(), keys: new Map() });
      continue;
    }
    const pair = /^([\w.]+)\s*[=:]\s*(.*)$/.exec(line);
    if (pair && out.length > 0) out.at(-1)!.keys.set(pair[1]!.toLowerCase(), pair[2]!.trim());
  }
  return out;
}

/**
 * Why a supervisord start command cannot run as a non-root user, or undefined when it can: its
 * configuration, copied from the build context, runs no program as another user and no root
 * daemon, pulls in no other files, and writes its logs, pid file and socket only to the standard
 * streams, /tmp or the WORKDIR (supervisord's defaults: the working directory and the temp dir).
 */
export function supervisordRefusal(facts: Facts, argv: string[]): string | undefined {
  const context = facts.context;
  const at = argv.findIndex((w) => w === "-c" || w === "--configuration" || w.startsWith("--configuration="));
  const configPath = at < 0 ? undefined : argv[at]!.startsWith("--configuration=") ? argv[at]!.slice(16) : argv[at + 1];
  if (!configPath) return "it reads the configuration supervisord finds on its search path, which msb cannot see";
  const file = contextFileAt(facts, context, posix.resolve(facts.finalWorkdir, configPath));
  const text = file === undefined ? undefined : context.read(file);
  if (text === undefined) return `its configuration ${configPath} does not come from the build context (msb cannot see what it starts)`;
  const workdir = facts.finalWorkdir;
  for (const section of sections(text)) {
    const where = `${file} [${section.name}]`;
    if (section.name === "include") return `${where} pulls in more configuration files`;
    const user = section.keys.get("user");
    if (user !== undefined) return `${where} sets user=${user}, and only root can switch users`;
    if (section.name === "unix_http_server" && !writable(section.keys.get("file") ?? "/tmp/supervisor.sock", workdir)) return `${where} puts its socket at ${section.keys.get("file")}, where a non-root user cannot create it`;
    for (const key of ["logfile", "pidfile", "childlogdir", "stdout_logfile", "stderr_logfile"]) {
      const value = section.keys.get(key);
      if (value !== undefined && !writable(value, workdir)) return `${where} writes ${key} ${value}, where a non-root user cannot`;
    }
    const program = section.keys.get("command")?.split(/\s+/)[0]?.split("/").pop();
    if (section.name.startsWith("program:") && program !== undefined && rootDaemons.test(program)) return `${where} runs ${program}, a daemon that needs root`;
  }
  return undefined;
}
