import type { SourceInstruction } from "../parser/document.js";

/** A line of a stage: an original instruction (verbatim, or with its text rewritten) or a new one. */
export type PlanLine =
  | { kind: "kept"; ins: SourceInstruction; withLeading: boolean; text?: string }
  | { kind: "new"; text: string; comment?: string };

export type StageRole = "build" | "test" | "prune" | "development" | "runtime" | "select";

export interface PlanStage {
  name: string;
  role: StageRole;
  /** The FROM instruction text. */
  from: string;
  /** Comment lines above FROM. */
  leading: string[];
  lines: PlanLine[];
}

export interface StagePlan {
  directives: string[];
  preamble: PlanLine[];
  stages: PlanStage[];
  trailing: string[];
}

export const kept = (ins: SourceInstruction, withLeading = true, text?: string): PlanLine =>
  text === undefined ? { kind: "kept", ins, withLeading } : { kind: "kept", ins, withLeading, text };

export const added = (text: string, comment?: string): PlanLine =>
  comment === undefined ? { kind: "new", text } : { kind: "new", text, comment };
