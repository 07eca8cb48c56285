import { composeBindMounts, composeRootOnlyMounts, namesCheckout } from "../../analysis/compose.js";
import { isReadme, readmeBindMounts } from "../../analysis/documented-docker-runs.js";
import { topLevel, type BuildContext } from "../../analysis/context.js";
import { flyMounts } from "../../analysis/fly-commands.js";
import type { RuntimeUser } from "../types.js";
import { uidOf } from "./user.js";

/**
 * Compose bind mounts keep the host directory's owner, whatever the image prepares: the root original
 * could write into them, a non-root runtime only if the host directory lets its uid.
 */
export function bindMountsWarning(context: BuildContext, user: RuntimeUser, workdir: string, movedTo?: string): string | undefined {
  // a configuration file mounted for the program to read (`./config.yaml:/config.yaml`) needs no write access
  const mounts = [...composeBindMounts(context), ...readmeBindMounts(context)].filter((m) => !(movedTo && movedMount(context, m.target)) && !configurationFile.test(m.target.replace(/\/$/, "")));
  if (mounts.length === 0) return undefined;
  const named = mounts.slice(0, 3).map((m) => `${m.source} at ${m.target} (${m.file} line ${m.line})`).join(", ");
  const more = mounts.length > 3 ? ` and ${mounts.length - 3} more` : "";
  // a named volume is no way out: a mount point the image lacks is created root's
  const uid = uidOf(user);
  const chown = (what: string) => `chown -R ${what} on the host${uid ? ` to uid ${uid}` : ""}`;
  // handing one's own checkout to another uid is no remedy: the service runs as the developer instead
  // the checkout, or the part of it mounted over the application's directory (`./code:/app`): the developer's own sources
  const isCheckout = (m: { source: string; target: string }) => namesCheckout(m.source) || (m.target.replace(/(.)\/$/, "$1") === (movedTo ?? workdir) && holdsSources(context, m.source));
  const checkout = mounts.find(isCheckout);
  const rest = mounts.filter((m) => !isCheckout(m));
  const ownUid = checkout && isReadme(checkout.file) ? 'run it with --user "$(id -u):$(id -g)"' : "give the service `user:` your own uid:gid";
  const remedy = checkout ? `for the checkout itself (${checkout.source.replace(/^\.\/$/, ".")}), ${ownUid} rather than chowning it${rest.length > 0 ? `; ${chown("the others")}` : ""}` : chown("them");
  const who = mounts.every((m) => isReadme(m.file)) ? "the README's docker run bind-mounts" : "compose bind-mounts";
  return `${who} ${named}${more}: the runtime runs as ${user.name}, not root, so it can write there only if the host directory and the files in it allow that user (${remedy})`;
}

const configurationFile = /\.(ya?ml|json|toml|ini|conf|cfg|properties|xml)$/;

/** A directory of the build context holding program sources (`./code` with the app's .py files), not data. */
function holdsSources(context: BuildContext, source: string): boolean {
  const dir = source.replace(/^\.\//, "").replace(/\/$/, "");
  return dir !== "" && !dir.startsWith(".") && !dir.startsWith("/") && context.list().some((p) => p.startsWith(`${dir}/`) && /\.(py|js|mjs|cjs|ts|go|rb|php)$/.test(p));
}

/** A mount at `/app.py` or `/src`, a top-level entry of the build context the original copied into `/`. */
function movedMount(context: BuildContext, target: string): boolean {
  const name = /^\/([^/]+)\/?$/.exec(target)?.[1];
  return name !== undefined && topLevel(context).some((p) => p.replace(/\/$/, "") === name);
}

/**
 * Bind mounts of the application's own files at the place the original had them in `/`
 * (`./app.py:/app.py`): msb moved the application to `movedTo`, where the mount no longer reaches.
 */
export function movedMountsWarning(context: BuildContext, movedTo: string): string | undefined {
  const mounts = composeBindMounts(context).filter((m) => movedMount(context, m.target));
  if (mounts.length === 0) return undefined;
  const named = mounts.map((m) => `${m.source} at ${m.target} (${m.file} line ${m.line})`).join(", ");
  return `compose bind-mounts ${named}, where the original had the application; it now lives in ${movedTo}, so mount ${mounts.length > 1 ? "them" : "it"} at ${mounts.map((m) => `${movedTo}${m.target.replace(/\/$/, "")}`).join(", ")} instead`;
}

/** Mounts a non-root runtime cannot even read (Let's Encrypt's root-only key directories). */
export function rootOnlyMountsWarning(context: BuildContext, user: string): string | undefined {
  const mount = composeRootOnlyMounts(context)[0];
  if (!mount) return undefined;
  return `compose mounts ${mount.source} at ${mount.target} (${mount.file} line ${mount.line}): certbot keeps its live/ and archive/ directories readable by root only, so the runtime, running as ${user}, cannot read the keys (make them readable by that user's group on the host, or terminate TLS in a proxy)`;
}

/**
 * Fly.io mounts a volume (fly.toml `[mounts]`) with its root owned by root, and has no setting to change
 * that (superfly/flyctl#632): a root-run original writes there, a non-root runtime cannot. The refusal
 * reason, or undefined when fly.toml mounts nothing.
 */
export function flyVolumeRefusal(context: BuildContext, user: RuntimeUser): string | undefined {
  const mounts = flyMounts(context);
  if (mounts.length === 0) return undefined;
  const named = mounts.map((m) => `${m.source ? `the volume ${m.source}` : "a volume"} at ${m.destination} (fly.toml line ${m.line})`).join(", ");
  return `fly.toml mounts ${named}, and Fly.io mounts volumes owned by root with no option to change that: the root-run original writes there, the runtime user ${user.name} could not, so a non-root conversion would break the deployment`;
}

