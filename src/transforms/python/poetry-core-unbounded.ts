import { pipInstallArgs } from "../../analysis/commands.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { pinnedVersion, pipRequirements, requirementName, type PythonStep } from "./tools.js";

/**
 * Rejects (exit 2) `pip install poetry==1.1.0`…`1.1.4` with no poetry-core pin beside it and a later
 * poetry command: those releases require `poetry-core = "^1.0.0"` (their pyproject.toml; 1.1.5 on say
 * `~1.0.x`), pip installs the newest 1.x, and Poetry then fails on start with "cannot import name
 * 'PyProjectException' from 'poetry.core.pyproject'" (python-poetry/poetry#6300).
 */
export function rejectPoetryWithUnboundedCore(facts: Facts, steps: PythonStep[]): void {
  for (const step of steps) {
    if (step.kind !== "tool-install") continue;
    const args = pipInstallArgs(step.words);
    if (args.some((a) => a === "-c" || a.startsWith("--constraint"))) continue;
    const specs = pipRequirements(args);
    const poetry = specs.find((spec) => requirementName(spec) === "poetry");
    const patch = /^1\.1\.(\d+)$/.exec(poetry ? pinnedVersion(poetry) ?? "" : "")?.[1];
    if (patch === undefined || Number(patch) > 4 || specs.some((spec) => requirementName(spec) === "poetry-core")) continue;
    if (!steps.some((s) => s.tool === "poetry" && s.index >= step.index && s !== step)) continue;
    throw unusable(`line ${facts.body[step.index]!.ins.startLine + 1}: \`${step.s.text}\` installs Poetry ${pinnedVersion(poetry!)} with today's poetry-core, which it cannot import ("cannot import name 'PyProjectException'"), so every poetry command after it fails; pin poetry-core==1.0.8 beside it, or use poetry 1.1.5 or later`);
  }
}
