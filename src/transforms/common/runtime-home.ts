import type { Facts } from "../../analysis/facts.js";
import type { RuntimeUser } from "../types.js";

/**
 * The runtime user's home, when the original pointed HOME at root's (`ENV HOME=/root`): programs that
 * keep state under $HOME (LibreOffice's profile, caches) cannot write /root (mode 0700) as another
 * user, as the root-run original could. Undefined when HOME is not /root or the user's home is unknown.
 */
export function runtimeHomeInsteadOfRoot(facts: Facts, user: RuntimeUser): string | undefined {
  if (!facts.envNames.includes("HOME") || facts.variables["HOME"]?.replace(/\/$/, "") !== "/root") return undefined;
  if (user.name === "node") return "/home/node";
  if (/^(65532|nonroot)(:|$)/.test(user.name)) return "/home/nonroot";
  if (user.create && /--create-home|\badduser\b(?![^&;]*\s-H\b)/.test(user.create) && /^[a-z_][\w-]*$/.test(user.name)) return `/home/${user.name}`;
  return undefined;
}
