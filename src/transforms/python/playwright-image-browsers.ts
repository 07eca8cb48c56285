import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { commandWords, pipInstallArgs } from "../../analysis/commands.js";
import { unusable } from "../../errors.js";
import { applicationSources } from "./application-sources.js";
import { requirementFileLines } from "./requirement-files.js";
import { pinnedVersion, pipRequirements, requirementName, type PythonStep } from "./tools.js";

/**
 * Rejects (exit 2) an image on Microsoft's Playwright Python image (`mcr.microsoft.com/playwright/python:v1.51.0-jammy`)
 * whose pip installs another Playwright than the image's release: unpinned (today's newest), or pinned to
 * another release. The image ships only its release's browsers in /ms-playwright, and not the Python
 * package; each Playwright release drives one browser revision, so a launch stops with "Executable
 * doesn't exist … Please update docker image as well". Left alone when a step runs `playwright install`
 * (it downloads the browsers the installed release needs) or the code launches no browser.
 */
export function rejectPlaywrightOtherThanImage(facts: Facts, steps: readonly PythonStep[], context: BuildContext): void {
  const image = facts.resolvedImage;
  if (image.registry !== "mcr.microsoft.com" || !/^playwright\/python$/.test(image.repository)) return;
  const release = /^v(\d+\.\d+\.\d+)(-|$)/.exec(image.tag)?.[1];
  if (release === undefined) return;
  const installsBrowsers = facts.body.some((e) => e.run?.segments.some((s) => {
    const words = commandWords(s.argv);
    const at = words.indexOf("playwright");
    return at >= 0 && words[at + 1] === "install";
  }));
  if (installsBrowsers) return;
  if (!applicationSources(context).some((s) => /\.(launch|launch_persistent_context|connect_over_cdp)\s*\(/.test(s.code) && /\bplaywright\b/.test(s.code))) return;
  for (const step of steps.filter((s) => s.kind === "deps" && s.tool === "pip")) {
    const specs = [
      ...pipRequirements(pipInstallArgs(step.words)).map((spec) => ({ spec, where: "the pip command" })),
      ...requirementFileLines(facts, step, context).lines.map(({ spec, file }) => ({ spec, where: file })),
    ].filter(({ spec }) => requirementName(spec) === "playwright");
    for (const { spec, where } of specs) {
      const pinned = pinnedVersion(spec);
      const bounded = /<|~=|===?/.test(spec.replace(/^[^<>=~!]*/, ""));
      if (pinned === release || (pinned === undefined && bounded)) continue;
      const installed = pinned ? `Playwright ${pinned}` : "the newest Playwright";
      throw unusable(`line ${facts.body[step.index]!.ins.startLine + 1}: \`${step.s.text}\` installs ${installed} (${where}: \`${spec.trim()}\`) on ${image.raw}, which ships only Playwright ${release}'s browsers: the app's browser launch stops with "Executable doesn't exist" (pin playwright==${release}, or run \`playwright install\` after the requirements)`);
    }
  }
}
