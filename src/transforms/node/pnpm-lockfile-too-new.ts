import type { BuildContext } from "../../analysis/context.js";
import type { InstructionFacts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { pnpmLockfileVersion } from "./lockfile.js";

/** The newest pnpm-lock.yaml format each pnpm major reads (pnpm 7.24 and later also read format 6). */
const newestFormatRead: Record<number, number> = { 5: 5, 6: 5, 7: 6, 8: 6, 9: 9, 10: 9 };

/**
 * Rejects (exit 2) a frozen pnpm install (`--frozen-lockfile`, or CI=true) that the image's pnpm cannot
 * take from the lockfile as it is (each reproduced):
 * - a lockfile of a newer format than that pnpm reads: pnpm 8 takes a pnpm 9 lockfile for none and stops
 *   with ERR_PNPM_NO_LOCKFILE;
 * - a pnpm 8 lockfile (format 6) recording `autoInstallPeers: true`, pnpm 8's default, under pnpm 7, whose
 *   default is false: ERR_PNPM_LOCKFILE_CONFIG_MISMATCH, unless an .npmrc the install sees sets auto-install-peers=true.
 */
export function rejectPnpmLockfileTooNew(context: BuildContext, lockfile: string | undefined, pnpmMajor: number | undefined, install: { entry: InstructionFacts; text: string; frozen: boolean; npmrcSeen: boolean }): void {
  if (!lockfile?.endsWith("pnpm-lock.yaml") || pnpmMajor === undefined || !install.frozen) return;
  const text = context.read(lockfile) ?? "";
  const version = pnpmLockfileVersion(text);
  const newest = newestFormatRead[pnpmMajor];
  if (newest === undefined || !version) return;
  const { format } = version;
  const written = `${lockfile} is lockfileVersion ${version.written}`;
  const line = `line ${install.entry.ins.startLine + 1}: \`${install.text}\` cannot run`;
  if (format > newest) {
    throw unusable(`${line}: ${written}, written by a newer pnpm than the pnpm ${pnpmMajor} the image installs, which does not read it and stops with ERR_PNPM_NO_LOCKFILE under --frozen-lockfile; install the pnpm that wrote it, or drop --frozen-lockfile`);
  }
  const peersSetting = /^settings:\s*\n(?:[ \t]+.*\n)*?[ \t]+autoInstallPeers:\s*true\b/m.test(text);
  const npmrcAgrees = install.npmrcSeen && /^\s*auto-install-peers\s*=\s*true\b/m.test(context.read(".npmrc") ?? "");
  if (pnpmMajor === 7 && format === 6 && peersSetting && !npmrcAgrees) {
    throw unusable(`${line}: ${written}, written with auto-install-peers=true (pnpm 8's default), and pnpm 7 defaults to false, so it stops with ERR_PNPM_LOCKFILE_CONFIG_MISMATCH under --frozen-lockfile; add auto-install-peers=true to an .npmrc copied before the install, or install the pnpm that wrote the lockfile`);
  }
}
