import { posix } from "node:path";
import type { BuildContext } from "../../analysis/context.js";
import { contextFileAt } from "../../analysis/copied-file.js";
import type { Facts } from "../../analysis/facts.js";
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
  const readFile = (file: string, depth: number): boolean => {
    const text = context.read(file.replace(/^\.\//, ""));
    if (text === undefined || depth > 3) return false;
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.replace(/(^|\s)#.*$/, "").trim();
      if (line === "") continue;
      const include = /^(-r|--requirement|-c|--constraint)\s*=?\s*(\S+)/.exec(line);
      if (include) {
        if (!readFile(`${file.includes("/") ? file.slice(0, file.lastIndexOf("/") + 1) : ""}${include[2]}`, depth + 1)) return false;
      } else if (/^(-e|--editable|\.|\/|git\+|https?:)/.test(line)) return false;
      else if (!line.startsWith("-")) add(line);
    }
    return true;
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
    for (let k = 0; k < args.length; k++) {
      if (!["-r", "--requirement", "-c", "--constraint"].includes(args[k]!)) continue;
      const file = contextFileAt(facts, context, posix.resolve(step.s.cwd, args[k + 1] ?? ""));
      if (file === undefined || !readFile(file, 0)) return undefined;
    }
  }
  return pins;
}
