import type { PlanLine, StagePlan } from "../../plan/types.js";
import { tokenize } from "../../parser/shell.js";

/** What a bash -c install branch became: the original RUN, its line and the two commands. */
export interface ChosenBranch {
  /** 1-based line of the RUN in the original. */
  line: number;
  /** The original RUN instruction's text. */
  original: string;
  chosen: string;
  other: string;
  /** Whether the converted branch is the `then` one. */
  thenChosen: boolean;
}

/** Options that leave a development group out: the other branch, which installs it, does not take them. */
const excludesDevelopment = /^--(only|without|no-dev|prod|production|omit)(=|$)/;

/**
 * The plan with the original `bash -c "if …; then A ; else B ; fi"` restored around what msb made of
 * the branch it converted (`pipenv install --system` → `pipenv install`), the other branch changed the
 * same way (options msb removed are removed from it too; options msb added are added, except those
 * that leave development dependencies out): the build argument keeps selecting either. Undefined when
 * the converted line is not a plain command whose words come from the branch and msb's options.
 */
export function withBranchKept(plan: StagePlan, branch: ChosenBranch): StagePlan | undefined {
  const chosenWords = tokenize(branch.chosen);
  const otherWords = tokenize(branch.other);
  for (const [s, stage] of plan.stages.entries()) {
    const at = stage.lines.findIndex((l) => l.kind === "kept" && l.ins.startLine + 1 === branch.line);
    if (at < 0) continue;
    const line = stage.lines[at] as Extract<PlanLine, { kind: "kept" }>;
    const command = (line.text ?? line.ins.text).replace(/^\s*RUN\s+/i, "").trim();
    if (/[\n;&|`$()<>"'\\]/.test(command)) return undefined;
    const converted = tokenize(command);
    const removed = chosenWords.filter((w) => !converted.includes(w));
    const addedWords = converted.filter((w) => !chosenWords.includes(w));
    if (converted[0] !== chosenWords[0] || otherWords[0] !== chosenWords[0]) return undefined;
    const other = [...otherWords.filter((w) => !removed.includes(w)), ...addedWords.filter((w) => !excludesDevelopment.test(w) && !otherWords.includes(w))].join(" ");
    let replaced = false;
    const text = branch.original.replace(/(;\s*then\s+)(.+?)(\s*;\s*else\s+)(.+?)(\s*;?\s*fi\b)/s, (_, then: string, __: string, otherwise: string, ___: string, end: string) => {
      replaced = true;
      return `${then}${branch.thenChosen ? command : other}${otherwise}${branch.thenChosen ? other : command}${end}`;
    });
    if (!replaced) return undefined;
    const lines = [...stage.lines];
    lines[at] = { ...line, text };
    const stages = [...plan.stages];
    stages[s] = { ...stage, lines };
    return { ...plan, stages };
  }
  return undefined;
}
