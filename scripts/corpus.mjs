#!/usr/bin/env node
// npm run corpus -- DIR: converts every Dockerfile under DIR and tabulates the outcomes. A crash (any
// error that is not a clean refusal) or an output that does not re-parse or is not idempotent fails the run.
import { dirname, resolve } from "node:path";
import { convert, MsbError } from "../dist/index.js";
import { directoryContext } from "../dist/analysis/fs-context.js";
import { discover } from "../dist/check/discover.js";
import { readInput } from "../dist/io.js";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: npm run corpus -- DIR");
  process.exit(2);
}
const { files } = discover([dir]);
const counts = { converted: 0, "already multi-stage": 0, unsupported: 0, unusable: 0, crashed: 0, "bad output": 0 };
const timings = [];
const problems = [];
for (const file of files) {
  const started = performance.now();
  let outcome;
  try {
    const text = readInput(file).text;
    const result = convert(text, { context: directoryContext(dirname(resolve(file))) });
    if (result.status === "unchanged") outcome = "already multi-stage";
    else {
      const again = convert(result.dockerfile);
      outcome = again.status === "unchanged" && again.dockerfile === result.dockerfile ? "converted" : "bad output";
    }
  } catch (error) {
    if (error instanceof MsbError) outcome = error.kind === "unsupported" ? "unsupported" : "unusable";
    else {
      outcome = "crashed";
      problems.push(`${file}: ${error instanceof Error ? error.stack : String(error)}`);
    }
  }
  if (outcome === "bad output") problems.push(`${file}: the output does not re-parse as multi-stage or is not idempotent`);
  counts[outcome]++;
  timings.push({ file, ms: performance.now() - started });
}
const width = Math.max(...Object.keys(counts).map((k) => k.length));
console.log(`${files.length} Dockerfiles under ${dir}`);
for (const [outcome, n] of Object.entries(counts)) console.log(`  ${outcome.padEnd(width)}  ${String(n).padStart(6)}`);
console.log("slowest:");
for (const { file, ms } of timings.sort((a, b) => b.ms - a.ms).slice(0, 5)) console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${file}`);
for (const p of problems.slice(0, 20)) console.error(p);
process.exitCode = counts.crashed + counts["bad output"] > 0 ? 1 : 0;
