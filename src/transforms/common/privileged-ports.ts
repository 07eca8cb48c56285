import type { Facts } from "../../analysis/facts.js";
import { isRootUser } from "./user.js";

/**
 * Exposed ports below 1024 that a conversion to a non-root user makes privileged for the app: Docker
 * (20.10+) and Podman let any user bind them inside a container, but runtimes that leave
 * net.ipv4.ip_unprivileged_port_start at 1024 (Kubernetes by default) do not.
 */
export function privilegedPortsWarning(facts: Facts): string | undefined {
  if (facts.user !== undefined && !isRootUser(facts.user)) return undefined;
  const low = facts.exposedPorts.map((p) => /^(\d+)(\/(tcp|udp))?$/i.exec(p)?.[1]).filter((p): p is string => p !== undefined && Number(p) < 1024);
  if (low.length === 0) return undefined;
  const list = [...new Set(low)].join(", ");
  return `the non-root runtime listens on port ${list} (below 1024), as the root original did: Docker 20.10+ and Podman allow that, a runtime that keeps net.ipv4.ip_unprivileged_port_start at 1024 (Kubernetes by default) needs that sysctl set to 0 or the NET_BIND_SERVICE capability`;
}
