import { commandWords } from "../../analysis/commands.js";
import type { Facts } from "../../analysis/facts.js";
import { pythonCommand } from "./tools.js";

export interface PoetryEnvUse {
  /** Body index of the RUN. */
  index: number;
  /** Index of the `poetry env use` command among the RUN's commands. */
  segment: number;
  /** Whether the command is the RUN's only one. */
  sole: boolean;
}

/**
 * `poetry env use python`: Poetry then creates and records an environment of its own, which later
 * installs use even with VIRTUAL_ENV set (EnvManager.get prefers its envs.toml entry), so the virtual
 * environment the runtime copies would stay empty. With that environment created for it, the step has
 * nothing left to do.
 */
export function poetryEnvUseSteps(facts: Facts): PoetryEnvUse[] {
  return facts.body.flatMap((entry, index) => (entry.run?.segments ?? []).flatMap((s, segment) => {
    const words = pythonCommand(commandWords(s.argv));
    if (words[0]?.split("/").pop() !== "poetry" || words[1] !== "env" || words[2] !== "use") return [];
    return [{ index, segment, sole: entry.run!.segments.filter((x) => x.kind !== "cd").length === 1 }];
  }));
}
