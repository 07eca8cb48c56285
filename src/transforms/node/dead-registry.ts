import type { BuildContext } from "../../analysis/context.js";
import { unusable } from "../../errors.js";

/**
 * Registry hosts that no longer serve packages: the old Taobao npm mirror (its certificate expired in
 * 2024; the mirror moved to registry.npmmirror.com) and its interim name. npm and Yarn fetch each
 * package from the `resolved` URL its lockfile records, so an install from such a lockfile fails.
 */
const deadHosts = ["registry.npm.taobao.org", "registry.nlark.com"];

/**
 * Rejects (exit 2) an install from a lockfile whose resolved URLs point at a registry that is gone.
 * Not when an .npmrc asks npm to replace every registry host (`replace-registry-host=always`).
 */
export function rejectDeadRegistryLockfile(context: BuildContext, lockfile: string | undefined, lockfileCopied: boolean, installLine: number): void {
  if (!lockfile || !lockfileCopied) return;
  if (/replace-registry-host\s*=\s*always/.test(context.read(".npmrc") ?? "")) return;
  const text = context.read(lockfile) ?? "";
  const host = deadHosts.find((h) => text.includes(`//${h}/`));
  if (!host) return;
  const count = new Set(text.match(new RegExp(`//${host.replace(/\./g, "\\.")}/[^"'\\s,]+`, "g"))).size;
  throw unusable(`line ${installLine}: the install cannot run: ${lockfile} resolves ${count} package${count === 1 ? "" : "s"} from ${host}, a registry that no longer serves them (the mirror moved to registry.npmmirror.com), and the install fetches each from the URL the lockfile records (regenerate the lockfile against a live registry)`);
}
