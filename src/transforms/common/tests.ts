import type { ClassifiedSegment, InstructionFacts } from "../../analysis/facts.js";

export interface TestSplit {
  /** Commands that stay in the build stage when a RUN is split. */
  head?: ClassifiedSegment[];
  /** Commands for the test stage when a RUN is split (earlier `cd`s repeated first). */
  tail?: ClassifiedSegment[];
  /** The whole instruction moves to the test stage as written. */
  movesWhole: boolean;
  /** Tests that stay inside a build step because they cannot be separated safely (they still gate the build). */
  inseparable: boolean;
}

const testWords = /\b(npm (run )?test|yarn test|pnpm test|pytest|go test|unittest|jest|mocha|vitest)\b/;

/**
 * Separates test commands from a RUN. A RUN made only of tests moves whole; tests that end an
 * `&&` chain are split off; tests anywhere else stay where they are.
 */
export function splitTests(entry: InstructionFacts): TestSplit {
  const run = entry.run;
  if (!run) return { movesWhole: false, inseparable: false };
  if (run.form === "heredoc") return { movesWhole: false, inseparable: testWords.test(run.command.shell) };
  const segments = run.segments;
  const firstTest = segments.findIndex((s) => s.kind === "test");
  if (firstTest < 0) return { movesWhole: false, inseparable: false };
  if (segments.every((s) => s.kind === "test" || s.kind === "cd")) return { movesWhole: true, inseparable: false };
  const tail = segments.slice(firstTest);
  const separable = run.form === "shell" && tail.every((s, i) => (s.kind === "test" || s.kind === "cd") && (s.joinedBy === "&&" || (i === 0 && s.joinedBy === ";")));
  if (!separable) return { movesWhole: false, inseparable: true };
  const head = segments.slice(0, firstTest);
  const cds = head.filter((s) => s.kind === "cd");
  const rejoined = [...cds, ...tail].map((s, i) => ({ ...s, joinedBy: i === 0 ? ("" as const) : ("&&" as const) }));
  return { head, tail: rejoined, movesWhole: false, inseparable: false };
}
