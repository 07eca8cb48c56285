import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import type { Pins } from "./pip-inputs.js";
import { notApplication } from "./programs-run.js";
import { compareVersions } from "./tool-rewrites.js";
import { pinnedVersion, type PythonStep } from "./tools.js";
import { imagePython } from "./uv-python.js";

/** The application's Python files (not tests, virtualenvs or vendored packages), with their code lines only. */
function applicationCode(context: BuildContext): { path: string; code: string }[] {
  return context.list().filter((path) => path.endsWith(".py") && !notApplication.test(path)).map((path) => ({ path, code: (context.read(path) ?? "").split(/\r?\n/).filter((l) => !/^\s*#/.test(l)).join("\n") }));
}

/** Whether every requirement line for a distribution keeps it below a version (`==1.5.2`, `<1.6`, `~=1.5.0`). */
function heldBelow(specs: readonly string[], version: string): boolean {
  return specs.some((spec) => {
    const pinned = pinnedVersion(spec);
    if (pinned !== undefined) return compareVersions(pinned, version) < 0;
    const upper = /<=?\s*([0-9][^,;\s]*)/.exec(spec)?.[1];
    // ~=1.5.0 allows up to 1.6, ~=1.7 up to 2
    const compatible = /~=\s*([0-9][^,;\s]*)/.exec(spec)?.[1]?.split(".").map(Number);
    const compatibleUpper = compatible && compatible.length > 1 ? [...compatible.slice(0, -2), compatible.at(-2)! + 1].join(".") : undefined;
    return [upper, compatibleUpper].some((bound) => bound !== undefined && compareVersions(bound, version) <= 0);
  });
}

function installLine(facts: Facts, steps: readonly PythonStep[]): number {
  return facts.body[steps.find((s) => s.kind === "deps" && s.tool === "pip")!.index]!.ins.startLine + 1;
}

/**
 * Rejects (exit 2) Scrapy code that imports or configures `scrapy.contrib` while the requirements let pip
 * take Scrapy 1.6 or later (unpinned on every Python it supports): 1.6 removed the `scrapy.contrib`
 * modules, so the spider stops with "No module named 'scrapy.contrib'".
 */
export function rejectScrapyContrib(facts: Facts, steps: readonly PythonStep[], pins: Pins | undefined, context: BuildContext): void {
  const specs = pins?.get("scrapy");
  if (!specs || specs.length === 0 || heldBelow(specs, "1.6")) return;
  const file = applicationCode(context).find((f) => /\bscrapy\.contrib\b/.test(f.code));
  if (!file) return;
  const taken = specs.map(pinnedVersion).find((v) => v !== undefined);
  throw unusable(`line ${installLine(facts, steps)}: the image builds but cannot run: ${file.path} uses scrapy.contrib, which Scrapy 1.6 removed, and the requirements let pip take ${taken ? `Scrapy ${taken}` : "the newest Scrapy the image's Python allows (1.6 or later)"}, so the spider stops with "No module named 'scrapy.contrib'" (pin scrapy<1.6, or use the modules that replaced it)`);
}

/**
 * Rejects (exit 2) discord.py or py-cord 1.x on Python 3.13 or later: `import discord` fails there, as
 * 1.x imports audioop (discord/player.py) and the aiohttp it allows (<3.8) imports cgi, two modules
 * Python 3.13 removed (PEP 594), so the bot stops with "No module named 'cgi'" before it connects.
 */
export function rejectDiscordPy1OnPython313(facts: Facts, steps: readonly PythonStep[], pins: Pins | undefined, context: BuildContext): void {
  const python = imagePython(facts);
  if (!python || python.major !== 3 || python.minor < 13) return;
  for (const name of ["discord.py", "discord-py", "py-cord", "discord"]) {
    const specs = pins?.get(name);
    if (!specs || !heldBelow(specs, "2")) continue;
    const file = applicationCode(context).find((f) => /^\s*(?:import\s+discord\b|from\s+discord[\s.])/m.test(f.code));
    if (!file) return;
    const version = specs.map(pinnedVersion).find((v) => v !== undefined) ?? "below 2.0";
    throw unusable(`line ${installLine(facts, steps)}: the image builds but cannot start: ${file.path} imports discord, and ${name} ${version} imports audioop and the aiohttp before 3.8 it allows imports cgi, both removed in Python 3.13 (PEP 594), so on ${python.label} the bot stops with "No module named 'cgi'" (pin the image to python:3.12 or older, or move to ${name === "py-cord" ? "py-cord" : "discord.py"} 2)`);
  }
}
