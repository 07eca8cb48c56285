import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { requirementFileLines } from "./requirement-files.js";
import { pipRequirements, requirementName, type PythonStep } from "./tools.js";

/** Requirement lines by distribution name. */
export type Pins = Map<string, string[]>;

/**
 * Every requirement line the build's pip installs read (arguments, -r and -c files, nested), by name;
 * undefined when some input cannot be read (a missing file, a local project or URL whose own
 * requirements are unknown): then nothing is judged.
 */
export function pipInputs(facts: Facts, steps: readonly PythonStep[], context: BuildContext): Pins | undefined {
  const pins: Pins = new Map();
  const add = (spec: string) => {
    const name = requirementName(spec);
    if (name) pins.set(name, [...(pins.get(name) ?? []), spec]);
  };
  for (const step of steps) {
    if (step.kind !== "deps") continue;
    if (step.tool !== "pip") return undefined;
    const args = step.words.slice(step.words.indexOf("install") + 1);
    for (const spec of pipRequirements(args)) {
      if (/^(\.|\/|git\+|https?:)/.test(spec) || spec.includes("$")) return undefined;
      add(spec);
    }
    if (args.some((a) => a === "-e" || a === "--editable")) return undefined;
    const read = requirementFileLines(facts, step, context);
    if (!read.complete) return undefined;
    for (const { spec } of read.lines) add(spec);
  }
  return pins;
}
