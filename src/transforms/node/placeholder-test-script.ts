import { packageScript } from "../../analysis/commands.js";
import { readJson, type BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";

// what `npm init` writes: a test script that fails on purpose
const placeholder = /no test specified["'\\\s]*&&\s*exit 1\s*$/;

/** Rejects (exit 2) a build step that runs `npm init`'s placeholder test script, which always exits 1. */
export function rejectPlaceholderTestScript(facts: Facts, context: BuildContext): void {
  const test = (readJson(context, "package.json")?.["scripts"] as Record<string, unknown> | undefined)?.["test"];
  if (typeof test !== "string" || !placeholder.test(test)) return;
  for (const entry of facts.body) {
    for (const segment of entry.run?.segments ?? []) {
      if (packageScript(segment.argv)?.script !== "test") continue;
      throw unusable(`line ${entry.ins.startLine + 1}: runs the test script ${JSON.stringify(test)}, npm init's placeholder that always exits 1, so the build fails here`);
    }
  }
}
