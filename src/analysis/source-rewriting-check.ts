import { commandWords, packageScript } from "./commands.js";
import { readJson, type BuildContext } from "./context.js";

// formatters and linters told to fix what they find: they rewrite the sources the build then reads
const rewrites = /(^|\s)(--fix|--write|-w)(\s|=|$)|\bprettier\s+(?:[^&|;]*\s)?-w\b/;

/**
 * Whether a command the recognisers call a test (`npm run lint`, `eslint --fix src`) rewrites the
 * sources: `prettier --write`, `eslint --fix`, directly or through the package.json script it runs
 * (one level of `npm run` nesting). Such a step is part of the build, not a check that can move to
 * a test stage after it: CRA fails a production build on lint errors that the fix would have removed.
 */
export function rewritesSources(argv: readonly string[], context: BuildContext): boolean {
  const words = commandWords(argv);
  if (rewrites.test(words.join(" "))) return true;
  const scripts = (readJson(context, "package.json")?.["scripts"] ?? {}) as Record<string, unknown>;
  const script = packageScript(words)?.script;
  const body = script === undefined ? undefined : scripts[script];
  if (typeof body !== "string") return false;
  if (rewrites.test(body)) return true;
  // `npm run lint` → "npm run lint:fix && tsc --noEmit" → "eslint --fix ."
  for (const [, name] of body.matchAll(/\b(?:npm run|yarn(?: run)?|pnpm(?: run)?)\s+([\w:.-]+)/g)) {
    const nested = scripts[name!];
    if (typeof nested === "string" && rewrites.test(nested)) return true;
  }
  return false;
}
