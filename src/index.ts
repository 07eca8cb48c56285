export { convert, resolveOptions, type ConvertResult, type StageSummary } from "./convert.js";
export { MsbError, ExitCode } from "./errors.js";
export { memoryContext, emptyContext, type BuildContext } from "./analysis/context.js";
export type { ConvertOptions, TestsMode, RuntimePreference } from "./transforms/types.js";
export type { Note, NoteLevel } from "./report.js";
export { supportedStacks, type Stack } from "./analysis/stack.js";
