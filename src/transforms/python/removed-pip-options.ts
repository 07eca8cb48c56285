import type { Facts } from "../../analysis/facts.js";
import { isOfficialImage } from "../../analysis/image-ref.js";
import { unusable } from "../../errors.js";
import type { PythonStep } from "./tools.js";

/** pip options that only pip 22.0 and 22.1 accepted (pypa/pip#11241 removed it in 22.2). */
const removedOptions: { option: RegExp; text: string }[] = [
  { option: /^--use-deprecated=backtrack-on-build-failures$/, text: "--use-deprecated=backtrack-on-build-failures" },
];

/**
 * Rejects (exit 2) a pip install with an option today's pip no longer has: it stops at option parsing
 * ("invalid choice"). Checked only where the pip is known to be 23 or newer: a floating official python
 * tag (`python:3.10`, rebuilt with pip 23.0.1 or later) or a pip the build upgraded to the newest first.
 */
export function rejectRemovedPipOptions(facts: Facts, steps: readonly PythonStep[]): void {
  const image = facts.resolvedImage;
  const floatingOfficial = isOfficialImage(image, "python") && image.digest === "" && !/^\d+\.\d+\.\d+/.test(image.tag);
  for (const step of steps) {
    if (step.tool !== "pip" || !step.words.includes("install")) continue;
    const removed = removedOptions.find((r) => step.words.some((w) => r.option.test(w)));
    if (!removed) continue;
    const upgradedBefore = steps.some((s) => s.index < step.index && s.tool === "pip" && /\s(-U|--upgrade)\b/.test(s.s.text) && /\spip(\s|$)/.test(s.s.text));
    if (!floatingOfficial && !upgradedBefore) continue;
    throw unusable(`line ${facts.body[step.index]!.ins.startLine + 1}: \`${step.s.text}\` cannot run: pip removed ${removed.text} in 22.2, and ${upgradedBefore ? "the pip the build upgrades to" : `${image.raw}'s pip (23 or later)`} stops with "invalid choice" (drop the option)`);
  }
}
