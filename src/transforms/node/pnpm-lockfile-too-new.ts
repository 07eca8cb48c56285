import type { BuildContext } from "../../analysis/context.js";
import type { InstructionFacts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";

/** The newest pnpm-lock.yaml format each pnpm major reads. */
const newestFormatRead: Record<number, number> = { 5: 5, 6: 5, 7: 5, 8: 6, 9: 9, 10: 9 };

/**
 * Rejects (exit 2) a frozen pnpm install (`--frozen-lockfile`, or CI=true) whose pnpm major is older than
 * the lockfile's format: pnpm 7 with a pnpm 8 lockfile (lockfileVersion '6.0') stops with
 * ERR_PNPM_LOCKFILE_CONFIG_MISMATCH (reproduced with pnpm 7.33.7), pnpm 8 with a pnpm 9 lockfile with
 * ERR_PNPM_LOCKFILE_BREAKING_CHANGE; neither may rewrite a frozen lockfile.
 */
export function rejectPnpmLockfileTooNew(context: BuildContext, lockfile: string | undefined, pnpmMajor: number | undefined, install: { entry: InstructionFacts; text: string; frozen: boolean }): void {
  if (!lockfile?.endsWith("pnpm-lock.yaml") || pnpmMajor === undefined || !install.frozen) return;
  const newest = newestFormatRead[pnpmMajor];
  const version = /^lockfileVersion:\s*['"]?(\d+)(\.\d+)?/m.exec(context.read(lockfile) ?? "");
  if (newest === undefined || !version || Number(version[1]) <= newest) return;
  throw unusable(`line ${install.entry.ins.startLine + 1}: \`${install.text}\` cannot run: ${lockfile} is lockfileVersion ${version[1]}${version[2] ?? ""}, written by a newer pnpm than the pnpm ${pnpmMajor} the image installs, which cannot read it and may not rewrite a frozen lockfile (ERR_PNPM_LOCKFILE_CONFIG_MISMATCH); install the pnpm that wrote it, or drop --frozen-lockfile`);
}
