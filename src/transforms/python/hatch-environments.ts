import { commandWords } from "../../analysis/commands.js";
import type { Facts } from "../../analysis/facts.js";
import { startCommandWords } from "../../analysis/start-command.js";
import { unsupported } from "../../errors.js";

/**
 * Refuses (exit 3) a build or start command that works in Hatch environments (`hatch env create`,
 * `hatch run`, `hatch shell`): Hatch keeps them in its own data directory (~/.local/share/hatch),
 * ignoring VIRTUAL_ENV, and `hatch run` creates or syncs the environment again when the container
 * starts, so no environment msb could copy to a runtime holds what runs.
 */
export function refuseHatchEnvironments(facts: Facts): void {
  const hatch = (words: readonly string[]) => words[0]?.split("/").pop() === "hatch" && ["env", "run", "shell"].includes(words[1] ?? "");
  const step = facts.body.flatMap((e) => (e.run?.segments ?? []).map((s) => commandWords(s.argv))).find(hatch);
  const start = startCommandWords(facts);
  const used = hatch(start) ? start : step;
  if (!used) return;
  throw unsupported(`\`${used.slice(0, 3).join(" ")}\` works in a Hatch environment, which Hatch keeps in its own data directory (not VIRTUAL_ENV) and \`hatch run\` creates or syncs again at start; msb does not convert Hatch environments (install the project with pip install . into a virtual environment, and start its command directly)`);
}
