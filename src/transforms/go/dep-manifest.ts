import type { Facts } from "../../analysis/facts.js";
import { commandWords } from "../../analysis/commands.js";
import { unusable } from "../../errors.js";

/**
 * Rejects (exit 2) `dep ensure` in a build context without a Gopkg.toml that no earlier `dep init`
 * writes: dep looks for the manifest from the working directory upwards and stops with "could not
 * find project Gopkg.toml, use dep init to initiate a manifest" (projects that moved to Go modules
 * often keep the old step). Only where the context is evidently the real one.
 */
export function rejectDepEnsureWithoutManifest(facts: Facts, contextEvident: boolean): void {
  if (!contextEvident || facts.context.list().some((p) => p === "Gopkg.toml" || p.endsWith("/Gopkg.toml"))) return;
  for (const entry of facts.body) {
    if (entry.copy && /Gopkg\.toml/.test(entry.ins.text)) return;
    for (const segment of entry.run?.segments ?? []) {
      const words = commandWords(segment.argv);
      if (words[0]?.split("/").pop() !== "dep") continue;
      const sub = words.slice(1).find((w) => !w.startsWith("-"));
      if (sub === "init") return;
      if (sub !== "ensure") continue;
      throw unusable(`line ${entry.ins.startLine + 1}: \`${segment.text.trim()}\` cannot run: the build context has no Gopkg.toml, so dep stops with "could not find project Gopkg.toml, use dep init to initiate a manifest"${facts.context.kind("go.mod") === "file" ? " (the project has moved to Go modules: go.mod)" : ""}`);
    }
  }
}
