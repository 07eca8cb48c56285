import type { PlanLine, StagePlan } from "../plan/types.js";

export interface EmitOptions {
  eol: "\n" | "\r\n";
  bom: boolean;
}

/** Renders a stage plan as Dockerfile text: kept instructions verbatim, one blank line between stages. */
export function emit(plan: StagePlan, options: EmitOptions): string {
  const out: string[] = [...plan.directives];
  out.push(...plan.preamble.flatMap(renderLine));
  const onlyDirectives = out.length === plan.directives.length;
  for (const stage of plan.stages) {
    trimTrailingBlank(out);
    if (out.length > 0 && !(onlyDirectives && stage === plan.stages[0])) out.push("");
    out.push(...trimBlankEdges(stage.leading), stage.from);
    for (const line of stage.lines) out.push(...renderLine(line));
  }
  trimTrailingBlank(out);
  if (plan.trailing.length > 0) out.push(...plan.trailing);
  return `${options.bom ? "\uFEFF" : ""}${out.join(options.eol)}${options.eol}`;
}

function renderLine(line: PlanLine): string[] {
  if (line.kind === "new") return [...(line.comment ? [`# ${line.comment}`] : []), ...line.text.split("\n")];
  const leading = line.withLeading ? line.ins.leading : [];
  return [...leading, line.text ?? line.ins.text];
}

function trimTrailingBlank(lines: string[]): void {
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === "") lines.pop();
}

function trimBlankEdges(lines: string[]): string[] {
  let start = 0;
  while (start < lines.length && lines[start]!.trim() === "") start++;
  return lines.slice(start);
}
