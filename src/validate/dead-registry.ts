import type { BuildContext } from "../analysis/context.js";
import { commandWords } from "../analysis/commands.js";
import type { Facts } from "../analysis/facts.js";
import { unusable } from "../errors.js";

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

/**
 * Rejects (exit 2) a package-manager command that names a registry that is gone (`npm install
 * --registry=https://registry.npm.taobao.org`, `npm config set registry …`, `yarn config set registry …`):
 * every fetch from it fails, so the original cannot build.
 */
export function rejectDeadRegistryCommand(facts: Facts): void {
  for (const entry of facts.body) {
    for (const segment of entry.run?.segments ?? []) {
      const program = commandWords(segment.argv)[0]?.split("/").pop() ?? "";
      if (!["npm", "yarn", "pnpm", "npx", "cnpm"].includes(program)) continue;
      const host = deadHosts.find((h) => segment.text.includes(`//${h}`));
      if (!host) continue;
      throw unusable(`line ${entry.ins.startLine + 1}: \`${segment.text}\` cannot run: ${host} no longer serves packages (the mirror moved to registry.npmmirror.com), so every fetch from it fails (use https://registry.npmmirror.com or the public registry)`);
    }
  }
}
