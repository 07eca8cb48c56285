import type { PlanLine, StagePlan } from "../plan/types.js";

export interface EmitOptions {
  eol: "\n" | "\r\n";
  bom: boolean;
  escape: string;
}

/** Renders a stage plan as Dockerfile text: kept instructions verbatim, one blank line between stages. */
export function emit(plan: StagePlan, options: EmitOptions): string {
  const out: string[] = [...plan.directives];
  out.push(...plan.preamble.flatMap((line) => renderLine(line, options.escape)));
  const onlyDirectives = out.length === plan.directives.length;
  for (const stage of plan.stages) {
    trimTrailingBlank(out);
    if (out.length > 0 && !(onlyDirectives && stage === plan.stages[0])) out.push("");
    out.push(...trimBlankEdges(stage.leading), stage.from);
    for (const line of stage.lines) out.push(...renderLine(line, options.escape));
  }
  trimTrailingBlank(out);
  if (plan.trailing.length > 0) out.push(...plan.trailing);
  return `${options.bom ? "\uFEFF" : ""}${out.join(options.eol)}${options.eol}`;
}

function renderLine(line: PlanLine, escape: string): string[] {
  if (line.kind === "new") return [...(line.comment ? [`# ${line.comment}`] : []), ...withoutDanglingContinuation(line.text, escape).split("\n")];
  const leading = line.withLeading ? line.ins.leading : [];
  return [...leading, withoutDanglingContinuation(line.text ?? line.ins.text, escape)];
}

/**
 * An instruction that ends in an open line continuation (possible at the end of a file) is complete
 * as it is; once more lines follow it, the continuation would swallow them. The dangling escape is
 * dropped and comment lines after it stay, as comments of their own.
 */
function withoutDanglingContinuation(text: string, escape: string): string {
  const end = text.trimEnd();
  if (!end.endsWith(escape) && !/\n[ \t]*#[^\n]*$/.test(end) && end.length === text.length) return text;
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const lines = text.split(/\r?\n/);
  let last = lines.length - 1;
  while (last > 0 && (lines[last]!.trim() === "" || lines[last]!.trim().startsWith("#"))) last--;
  const continuation = new RegExp(`${escape.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&")}[ \t]*$`);
  let line = lines[last]!;
  if (line.trim().startsWith("#")) return text;
  if (!continuation.test(line)) return last === lines.length - 1 ? text : withTrailing(lines, last, line, eol);
  for (;;) {
    while (continuation.test(line)) line = line.replace(continuation, "").replace(/[ \t]+$/, "");
    if (line.trim() !== "" || last === 0) break;
    do last--;
    while (last > 0 && lines[last]!.trim().startsWith("#"));
    line = lines[last]!;
  }
  return withTrailing(lines, last, line, eol);
}

function withTrailing(lines: string[], last: number, lastLine: string, eol: string): string {
  const after = lines.slice(last + 1).filter((l) => l.trim().startsWith("#"));
  return [...lines.slice(0, last), lastLine, ...after].join(eol);
}

function trimTrailingBlank(lines: string[]): void {
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === "") lines.pop();
}

function trimBlankEdges(lines: string[]): string[] {
  let start = 0;
  while (start < lines.length && lines[start]!.trim() === "") start++;
  return lines.slice(start);
}
