import type { BuildContext } from "./context.js";

export interface DeploymentVariable {
  file: string;
  name: string;
  value: string;
}

const envFile = /^(\.env(\.(example|sample|dist|template|defaults?))?|(example|sample)\.env)$/;
const workflow = /^\.github\/workflows\/[^/]+\.ya?ml$/;

/**
 * Variables the project's deployment gives the container outside its Dockerfile: the `.env` files
 * beside it (or their examples: the real one is git-ignored) and the lines a CI workflow writes into
 * one (`echo CONFIG_PATH=./config/prod.yaml >> .env`). Values as written, quotes removed.
 */
export function deploymentVariables(context: BuildContext): DeploymentVariable[] {
  const found: DeploymentVariable[] = [];
  for (const file of context.list()) {
    if (envFile.test(file)) {
      for (const m of (context.read(file) ?? "").matchAll(/^\s*(?:export\s+)?([A-Za-z_]\w*)\s*=\s*["']?([^"'#\s]*)["']?\s*(?:#.*)?$/gm)) found.push({ file, name: m[1]!, value: m[2]! });
    } else if (workflow.test(file)) {
      for (const m of (context.read(file) ?? "").matchAll(/\becho\s+["']?([A-Za-z_]\w*)=([^"'\s>$][^"'\s>]*)["']?\s*>>?\s*\S*\.env\b/g)) found.push({ file, name: m[1]!, value: m[2]! });
    }
  }
  return found;
}
