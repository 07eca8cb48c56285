import type { Facts } from "../../analysis/facts.js";
import { goCommandWords } from "../../analysis/commands.js";
import { unusable } from "../../errors.js";

/**
 * Rejects (exit 2) `go run -o …`: -o belongs to go build and go test; go run takes only the build
 * flags and -exec, so it stops with "flag provided but not defined: -o" (checked with Go 1.19).
 */
export function rejectGoRunOutputFlag(facts: Facts): void {
  for (const entry of facts.body) {
    for (const segment of entry.run?.segments ?? []) {
      const words = goCommandWords(segment.argv);
      if (words[0] !== "go" || words[1] !== "run") continue;
      const firstArgument = words.findIndex((w, k) => k >= 2 && !w.startsWith("-"));
      const flags = words.slice(2, firstArgument < 0 ? words.length : firstArgument);
      if (!flags.some((w) => w === "-o" || w.startsWith("-o="))) continue;
      throw unusable(`line ${entry.ins.startLine + 1}: \`${segment.text.trim()}\` cannot run: go run has no -o flag (it belongs to go build), so it stops with "flag provided but not defined: -o" (use go build -o)`);
    }
  }
}
