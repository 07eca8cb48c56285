import type { Facts } from "../../analysis/facts.js";
import { commandWords } from "../../analysis/commands.js";
import { unusable } from "../../errors.js";

/**
 * Rejects (exit 2) `go-wrapper` on a golang image of Go 1.10 or later: the official images dropped the
 * script with 1.10 (docker-library/golang#205), so the step stops with "go-wrapper: not found" (exit 127).
 * Any tag but an exact 1.9-or-older one pulls such an image today, frozen tags of ended releases too
 * (`golang:1-stretch` stopped at a later Go). Not when a step brings the script in.
 */
export function rejectGoWrapperOnNewGo(facts: Facts): void {
  const image = facts.resolvedImage;
  if (image.name !== "golang" || image.raw.includes("$")) return;
  if (/^1\.[0-9](\.|-|$)/.test(image.tag)) return;
  for (const entry of facts.body) {
    if (/go-wrapper/.test(entry.copy ? entry.ins.text : "")) return;
    for (const segment of entry.run?.segments ?? []) {
      if (/\b(curl|wget)\b[^|;&]*go-wrapper/.test(segment.text)) return;
      if (commandWords(segment.argv)[0]?.split("/").pop() !== "go-wrapper") continue;
      throw unusable(`line ${entry.ins.startLine + 1}: \`${segment.text.trim()}\` cannot run: ${image.raw} is Go 1.10 or later, whose images no longer have go-wrapper (docker-library/golang#205), so the step stops with "go-wrapper: not found" (use go build or go install, or a golang:1.9 image)`);
    }
  }
}
