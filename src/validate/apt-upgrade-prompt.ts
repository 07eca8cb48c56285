import { commandWords } from "../analysis/commands.js";
import type { Facts } from "../analysis/facts.js";
import { unusable } from "../errors.js";

const upgrades = new Set(["upgrade", "dist-upgrade", "full-upgrade"]);

/** Whether apt's options answer its prompt: `-y`, `--yes`, `--assume-yes`, or quiet level 2 (`-qq`), which implies -y. */
function assumesYes(options: string[]): boolean {
  return options.some((o) => ["--yes", "--assume-yes", "-qq", "-q=2", "--quiet=2"].includes(o) || (/^-[a-z]+$/.test(o) && (o.includes("y") || /q.*q/.test(o))) || /^--assume-yes=(1|true|yes)$/i.test(o));
}

/** Whether the segment reads a pipe from `yes` (`yes | apt-get upgrade`). */
function fedByYes(segments: readonly { joinedBy: string; argv: string[] }[], k: number): boolean {
  return k > 0 && segments[k]!.joinedBy === "|" && commandWords(segments[k - 1]!.argv)[0] === "yes";
}

/**
 * Rejects (exit 2) `apt-get upgrade` (`dist-upgrade`, `full-upgrade`, also with `apt`) without `-y`: a
 * build gives it no input, so apt asks "Do you want to continue? [Y/n]", reads end of file and prints
 * "Abort." with exit 1 whenever the image has anything to upgrade, which an image not rebuilt this week
 * always has. Not when `yes |` feeds it or the Dockerfile configures APT::Get::Assume-Yes.
 */
export function rejectAptUpgradePrompt(facts: Facts): void {
  if (facts.body.some((e) => /assume-yes/i.test(e.ins.text) && !/--assume-yes/.test(e.ins.text))) return;
  for (const entry of facts.body) {
    const segments = entry.run?.segments ?? [];
    for (const [k, segment] of segments.entries()) {
      const words = commandWords(segment.argv);
      if (!["apt-get", "apt"].includes(words[0]?.split("/").pop() ?? "")) continue;
      const options = words.slice(1).filter((w) => w.startsWith("-"));
      const command = words.slice(1).find((w) => !w.startsWith("-"));
      if (command === undefined || !upgrades.has(command) || assumesYes(options) || fedByYes(segments, k)) continue;
      throw unusable(`line ${entry.ins.startLine + 1}: \`${segment.text}\` cannot run: without -y apt asks "Do you want to continue? [Y/n]", which a build cannot answer, so it prints "Abort." and the step fails whenever the image has packages to upgrade (add -y)`);
    }
  }
}
