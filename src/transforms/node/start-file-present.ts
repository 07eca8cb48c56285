import { posix } from "node:path";
import { segmentKindsWritingNoSources } from "../../analysis/commands.js";
import { has, readJson, type BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { startCommandWords, startInstruction } from "../../analysis/start-command.js";
import { scriptRun } from "../../analysis/dev-server.js";
import { tokenize } from "../../parser/shell.js";

// lifecycle scripts an install runs for the project itself; any of them may write the file
const installHooks = ["preinstall", "install", "postinstall", "prepare", "prepublish"];

/**
 * Rejects (exit 2) a start command `node FILE` when FILE is not in the build context and nothing in
 * the build could make it: every RUN only installs dependencies (without install hooks of the
 * project's own), OS packages or users. Only for a context that is evidently the build's, copied
 * whole (`COPY . DIR`) where FILE lives.
 */
export function rejectMissingStartFile(facts: Facts, context: BuildContext, contextEvident: boolean): void {
  if (!contextEvident) return;
  const start = startCommandWords(facts);
  const words = nodeCommandOf(start, context);
  if (!words || words[0] !== "node" || words.some((w) => /[;&|$`*]/.test(w))) return;
  const file = words.slice(1).find((w) => !w.startsWith("-"));
  if (file === undefined || words.slice(1, words.indexOf(file)).some((w) => /^-(r|e|p|-require|-import|-eval|-print|-loader)$/.test(w))) return;
  const path = posix.resolve(facts.finalWorkdir, file);
  const wholeCopy = facts.body.find((e) => e.copy && !e.copy.fromImage && e.copy.sources.some((s) => s === "." || s === "./") && (path === e.copy.destAbs || path.startsWith(`${e.copy.destAbs.replace(/\/$/, "")}/`)));
  if (!wholeCopy) return;
  const inContext = posix.relative(wholeCopy.copy!.destAbs, path);
  if (has(context, inContext) || has(context, `${inContext}.js`) || has(context, posix.join(inContext, "index.js"))) return;
  const scripts = (readJson(context, "package.json")?.["scripts"] ?? {}) as Record<string, unknown>;
  if (installHooks.some((hook) => hook in scripts)) return;
  if (facts.body.some((e) => e.run && (e.run.form === "heredoc" || e.run.segments.some((s) => !segmentKindsWritingNoSources.has(s.kind))))) return;
  const { keyword, line } = startInstruction(facts);
  throw unusable(`line ${line}: ${keyword} runs node ${file}${words === start ? "" : " (through package.json's scripts)"}, which the build context does not have and no build step makes, so the container cannot start`);
}

/**
 * The `node …` command a start command runs: itself, or the single command of the package script it
 * runs (`yarn start:prod` → `NODE_ENV=production node build/server.js`), without leading assignments.
 */
function nodeCommandOf(words: string[], context: BuildContext): string[] | undefined {
  if (words[0] === "node") return words;
  const script = scriptRun(words.join(" "));
  const scripts = (readJson(context, "package.json")?.["scripts"] ?? {}) as Record<string, string>;
  const line = script === undefined ? undefined : scripts[script];
  if (typeof line !== "string" || /[;&|]/.test(line)) return undefined;
  const command = tokenize(line).filter((w, i, all) => !(/^[A-Za-z_]\w*=/.test(w) && all.slice(0, i).every((x) => /^[A-Za-z_]\w*=/.test(x))));
  return command[0] === "node" ? command : undefined;
}
