import type { Facts } from "../../analysis/facts.js";
import { startCommandWords } from "../../analysis/start-command.js";
import { composeLowPorts } from "../../analysis/compose.js";
import { isRootUser } from "./user.js";

/**
 * Ports the start command tells the server to listen on: `--port 80`, `--server.port=80`,
 * `--bind 0.0.0.0:80` / `-b :80` (gunicorn, hypercorn), `runserver 0.0.0.0:80` (Django).
 */
export function startCommandPorts(words: readonly string[]): string[] {
  const ports: string[] = [];
  for (const [k, word] of words.entries()) {
    const next = words[k + 1] ?? "";
    const flag = /^--?[\w.-]*port(?:=(\d+))?$/i.exec(word);
    if (flag) ports.push(...[flag[1] ?? next].filter((p) => /^\d+$/.test(p)));
    const bind = /^(?:--bind|-b)(?:=(.*))?$/.exec(word);
    if (bind) ports.push(...[/:(\d+)$/.exec(bind[1] ?? next)?.[1]].filter((p): p is string => p !== undefined));
    if (word === "runserver") ports.push(...[/^(?:.*:)?(\d+)$/.exec(next)?.[1]].filter((p): p is string => p !== undefined));
  }
  return ports;
}

/**
 * Ports below 1024, exposed or named by the start command, that a conversion to a non-root user makes privileged for the app: Docker
 * (20.10+) lets any user bind them inside a container (it sets net.ipv4.ip_unprivileged_port_start to 0 in
 * the container's network namespace), but Podman and Kubernetes leave it at 1024 by default; a capability
 * added to the container does not help, as a non-root process gets no ambient capabilities.
 */
export function privilegedPortsWarning(facts: Facts): string | undefined {
  if (facts.user !== undefined && !isRootUser(facts.user)) return undefined;
  const exposed = facts.exposedPorts.map((p) => /^(\d+)(\/(tcp|udp))?$/i.exec(p)?.[1]).filter((p): p is string => p !== undefined).filter((p) => Number(p) < 1024);
  const fromEnv = facts.variables["PORT"] !== undefined && /^\d+$/.test(facts.variables["PORT"]) ? [facts.variables["PORT"]] : [];
  const composed = composeLowPorts(facts.context);
  const listened = [...startCommandPorts(startCommandWords(facts)), ...fromEnv, ...composed.map((c) => c.port)].filter((p) => Number(p) < 1024);
  if (exposed.length === 0 && listened.length === 0) return undefined;
  const hostNetwork = composed.find((c) => c.hostNetwork);
  const limit = `Docker 20.10+ allows that, a runtime that keeps net.ipv4.ip_unprivileged_port_start at 1024 (Podman, Kubernetes and Amazon ECS by default${hostNetwork ? `, and ${hostNetwork.file}'s network_mode: host, which takes the host's limit and cannot change it per container` : ""}) needs that sysctl set to 0 for the container, or the app on a port of 1024 or more (adding NET_BIND_SERVICE does not reach a non-root user's process)`;
  // an EXPOSE alone does not say the program listens there (a mail client's EXPOSE 587)
  if (listened.length === 0) return `the original exposes port ${[...new Set(exposed)].join(", ")}, below 1024: if the program listens there, the non-root runtime does too, as the root original did: ${limit}`;
  const list = [...new Set([...exposed, ...listened])].join(", ");
  const where = composed.map((c) => `PORT=${c.port} in ${c.file} line ${c.line}`).join(", ");
  return `the non-root runtime listens on port ${list} (below 1024${where ? `: ${where}` : ""}), as the root original did: ${limit}`;
}
