import { posix } from "node:path";
import type { BuildContext } from "../../analysis/context.js";
import { contextFileAt } from "../../analysis/copied-file.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { applicationSources } from "./application-sources.js";
import { pinnedVersion, requirementName, type PythonStep } from "./tools.js";

const botConstructor = /\b(?:commands\.)?(?:AutoShardedBot|AutoShardedClient|Bot|Client)\s*\(/g;

/**
 * Rejects (exit 2) a discord.py bot written for 1.x that a requirements file installs as 2.x (unpinned,
 * or pinned to 2.x): from 2.0 `commands.Bot(…)` and `discord.Client(…)` require the keyword argument
 * `intents`, so the bot stops at start with "TypeError: … missing 1 required keyword-only argument:
 * 'intents'". Only when the file that constructs the bot never mentions intents.
 */
export function rejectDiscordBotWithoutIntents(facts: Facts, steps: readonly PythonStep[], context: BuildContext): void {
  for (const step of steps.filter((s) => s.kind === "deps" && s.tool === "pip")) {
    const args = step.words.slice(step.words.indexOf("install") + 1);
    const named = args.flatMap((a, k) => ((a === "-r" || a === "--requirement") && args[k + 1] ? [args[k + 1]!] : []));
    // `-r /src/requirements.txt`: the context file the Dockerfile copied there
    const files = named.flatMap((f) => contextFileAt(facts, context, posix.resolve(step.s.cwd, f)) ?? (context.kind(f.replace(/^\.\//, "")) === "file" ? [f.replace(/^\.\//, "")] : []));
    for (const file of files) {
      const spec = (context.read(file) ?? "").split(/\r?\n/).map((l) => l.replace(/#.*$/, "").trim()).find((l) => ["discord.py", "discord"].includes(requirementName(l)));
      if (spec === undefined) continue;
      const rest = spec.slice(requirementName(spec).length).replace(/\[[^\]]*\]/, "").trim();
      const pinned = pinnedVersion(spec);
      const installs2 = rest === "" || (pinned !== undefined && Number(pinned.split(".")[0]) >= 2);
      if (!installs2) continue;
      const bot = botWithoutIntents(context);
      if (!bot) continue;
      throw unusable(`line ${facts.body[step.index]!.ins.startLine + 1}: the bot cannot start: ${file} installs discord.py ${pinned ?? "unpinned, so 2.x"}, where the bot and client classes require intents=, and ${bot.path} line ${bot.line} creates one without it ("TypeError: … missing 1 required keyword-only argument: 'intents'"); the code is written for discord.py 1.x: port it to 2.x (intents, awaited add_cog), or pin discord.py<2 on a Python before 3.13`);
    }
  }
}

function botWithoutIntents(context: BuildContext): { path: string; line: number } | undefined {
  for (const { path, code } of applicationSources(context)) {
    if (!/^\s*(import discord|from discord\b)/m.test(code) || /\bintents\b/i.test(code)) continue;
    const m = botConstructor.exec(code);
    botConstructor.lastIndex = 0;
    if (m) return { path, line: code.slice(0, m.index).split("\n").length };
  }
  return undefined;
}
