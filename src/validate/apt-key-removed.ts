import { commandWords } from "../analysis/commands.js";
import type { Facts } from "../analysis/facts.js";
import { unusable } from "../errors.js";
import { failureStopsRun } from "../parser/shell.js";
import { debianReleaseToday } from "./debian-missing-packages.js";

/**
 * Rejects (exit 2) `apt-key` on an image that is Debian trixie today (`python:3.11`, `golang:1.24`,
 * `debian:stable`): trixie's apt 3.0 no longer ships apt-key and no package provides it, so
 * `wget -qO- KEY | apt-key add -` stops with "apt-key: not found" and the original cannot build.
 */
export function rejectAptKeyOnTrixie(facts: Facts): void {
  if (debianReleaseToday(facts.resolvedImage) !== "trixie") return;
  for (const entry of facts.body) {
    const segments = entry.run?.segments ?? [];
    for (const [k, segment] of segments.entries()) {
      if (commandWords(segment.argv)[0]?.split("/").pop() !== "apt-key" || !failureStopsRun(segments, k)) continue;
      throw unusable(`line ${entry.ins.startLine + 1}: \`${segment.text.trim()}\` cannot run: ${facts.resolvedImage.raw} is Debian trixie, whose apt 3.0 no longer has apt-key, so the step stops with "apt-key: not found" (write the key to /etc/apt/keyrings and name it with signed-by= in the source line, or pin a bookworm tag)`);
    }
  }
}
