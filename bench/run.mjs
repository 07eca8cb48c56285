// npm run bench: start-up and throughput of msb measured side by side in one run, printed as ratios.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (args) => {
  const started = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}`);
  return performance.now() - started;
};

const runs = Number(process.env.MSB_BENCH_RUNS ?? 21);
const baseline = [];
const msb = [];
for (let i = 0; i < 3; i++) { time(["-e", "0"]); time(["bin/msb.js", "convert", "fixtures/node-build/Dockerfile"]); }
for (let i = 0; i < runs; i++) {
  baseline.push(time(["-e", "0"]));
  msb.push(time(["bin/msb.js", "convert", "fixtures/node-build/Dockerfile"]));
}
const startRatio = median(msb) / median(baseline);
console.log(`cold start (median of ${runs}, alternating): node -e 0 ${median(baseline).toFixed(0)} ms, msb convert ${median(msb).toFixed(0)} ms → ${startRatio.toFixed(2)}x (target ≤ 2x)`);

const corpus = mkdtempSync(join(tmpdir(), "msb-bench-"));
const count = Number(process.env.MSB_BENCH_FILES ?? 1000);
spawnSync(process.execPath, [join(root, "scripts", "generate-corpus.mjs"), corpus, String(count)], { stdio: "ignore" });
const sides = { parse: [], check: [] };
const rounds = Number(process.env.MSB_BENCH_ROUNDS ?? 5);
for (let i = 0; i < rounds; i++) {
  for (const mode of ["parse", "check"]) {
    const r = spawnSync(process.execPath, [join(root, "bench", "throughput-worker.mjs"), mode, corpus], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(r.stderr);
    sides[mode].push(JSON.parse(r.stdout));
  }
}
rmSync(corpus, { recursive: true, force: true });
const parseMs = median(sides.parse.map((s) => s.ms));
const checkMs = median(sides.check.map((s) => s.ms));
const files = sides.check[0].files;
const parseCpu = median(sides.parse.map((s) => s.cpuMs));
const checkCpu = median(sides.check.map((s) => s.cpuMs));
// CPU time is the judged figure: on a shared VM wall time also measures the neighbours
const throughputRatio = checkCpu / parseCpu;
console.log(`throughput over ${files} Dockerfiles (median of ${rounds}, alternating): dockerfile-ast parse only ${parseCpu.toFixed(0)} ms CPU (${parseMs.toFixed(0)} ms wall), msb check ${checkCpu.toFixed(0)} ms CPU (${checkMs.toFixed(0)} ms wall) → ${throughputRatio.toFixed(2)}x CPU, ${(checkMs / parseMs).toFixed(2)}x wall (target ≤ 3x)`);
console.log(`peak memory: parse only ${median(sides.parse.map((s) => s.maxRssMb)).toFixed(0)} MB, msb check ${median(sides.check.map((s) => s.maxRssMb)).toFixed(0)} MB`);
const growth = spawnSync(process.execPath, [join(root, "bench", "growth-worker.mjs")], { encoding: "utf8" });
if (growth.status !== 0) throw new Error(growth.stderr);
const { small, large } = JSON.parse(growth.stdout);
console.log(`growth: a 10,000-line RUN converts in ${small.toFixed(0)} ms, a 100,000-line RUN in ${large.toFixed(0)} ms → ${(large / small).toFixed(1)}x for 10x the input (linear: about 10x)`);
const ok = startRatio <= 2 && throughputRatio <= 3;
console.log(ok ? "both targets hold" : "a target does not hold");
process.exitCode = ok ? 0 : 1;
