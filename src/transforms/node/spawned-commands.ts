import type { BuildContext } from "../../analysis/context.js";
import { isRuntimeSource } from "./imported-dev-dependencies.js";

const maxScannedFiles = 2000;
// exec("sequelize db:seed:all"), execSync(`pm2 list`), spawn("prisma", [...]), execa("knex", …)
const spawnCall = /\b(?:exec|execSync|spawn|spawnSync|execFile|execFileSync|execa|execaSync|execaCommand|shell\.exec)\s*\(\s*(['"`])([\w@./-]+)/g;

/**
 * The programs the app's own code starts through child_process (or execa, shelljs): the first word of
 * a literal command. A global npm tool they name (`npm install -g sequelize-cli` for `exec("sequelize db:seed:all")`)
 * is needed at run time as much as one the start command runs.
 */
export function spawnedCommands(context: BuildContext): Set<string> {
  const found = new Set<string>();
  if (!context.known) return found;
  let scanned = 0;
  for (const path of context.list()) {
    if (!isRuntimeSource(path)) continue;
    if (++scanned > maxScannedFiles) break;
    const text = context.read(path) ?? "";
    if (!/child_process|execa|shelljs/.test(text)) continue;
    for (const m of text.matchAll(spawnCall)) found.add(m[2]!.split("/").pop()!);
  }
  return found;
}
