import { posix } from "node:path";
import { contextFileAt } from "../../analysis/copied-file.js";
import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { startCommandWords, startInstruction } from "../../analysis/start-command.js";

/**
 * Rejects (exit 2) a start command `npm start` or `npm run NAME` (yarn and pnpm alike) when the
 * package.json the build copies into the WORKDIR has no such script, and for `start` no server.js
 * for npm's default (`node server.js`): npm stops with "Missing script" and the container exits.
 * Not when a build step could rewrite package.json; only for a context evidently the build's.
 */
export function rejectMissingStartScript(facts: Facts, context: BuildContext, contextEvident: boolean): void {
  if (!contextEvident) return;
  const words = startCommandWords(facts);
  const manager = words[0]?.split("/").pop() ?? "";
  if (!["npm", "yarn", "pnpm"].includes(manager) || words.some((w) => /[;&|$`]/.test(w))) return;
  const rest = words.slice(1);
  const script = rest[0] === "start" ? "start" : ["run", "run-script"].includes(rest[0] ?? "") ? rest[1] : undefined;
  if (script === undefined || script.startsWith("-") || rest.slice(0, rest.indexOf(script)).some((w) => w.startsWith("-"))) return;
  const manifest = contextFileAt(facts, context, posix.join(facts.finalWorkdir, "package.json"));
  if (manifest === undefined) return;
  if (facts.body.some((e) => e.run && (e.run.form === "heredoc" || e.run.segments.some((s) => /package\.json|\bnpm\s+(pkg|set-script|init)\b|\byarn\s+init\b|\bpnpm\s+(pkg|init)\b/.test(s.text))))) return;
  let scripts: Record<string, unknown>;
  try {
    scripts = ((JSON.parse(context.read(manifest) ?? "") as Record<string, unknown>)["scripts"] ?? {}) as Record<string, unknown>;
  } catch {
    return;
  }
  if (typeof scripts[script] === "string") return;
  if (script === "start" && contextFileAt(facts, context, posix.join(facts.finalWorkdir, "server.js")) !== undefined) return;
  const { keyword, line } = startInstruction(facts);
  throw unusable(`line ${line}: ${keyword} runs \`${words.join(" ")}\`, but ${manifest} has no "${script}" script${script === "start" ? " and there is no server.js for npm's default" : ""}, so the container stops at start with "Missing script: ${script}"`);
}
