// npm run bench: what users feel, measured side by side in one run and printed as ratios with their
// targets: pre-commit latency, CI throughput, msb verify's overhead, the converted file's rebuild cost.
// The last two need a Docker Engine (DOCKER_HOST) and are skipped, saying so, without one.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { dockerAvailable, rebuildCost, verifyOverhead } from "./docker.mjs";

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
const floor = [];
const checkOne = ["bin/msb.cjs", "check", "fixtures/node-build/Dockerfile"];
// the floor: a bundled script that only validates the same file with dockerfile-utils (which parses it
// with dockerfile-ast), the least any check that rejects what cannot build must load and run
const floorDir = mkdtempSync(join(tmpdir(), "msb-floor-"));
const floorEntry = join(floorDir, "entry.cjs");
writeFileSync(floorEntry, 'const { readFileSync, writeSync } = require("node:fs"); writeSync(1, `${require("dockerfile-utils").validate(readFileSync(process.argv[2], "utf8")).length}\\n`);\n');
const { build } = await import("esbuild");
await build({ entryPoints: [floorEntry], bundle: true, platform: "node", minify: true, outfile: join(floorDir, "floor.cjs"), nodePaths: [join(root, "node_modules")], logLevel: "error" });
const floorOne = [join(floorDir, "floor.cjs"), "fixtures/node-build/Dockerfile"];
const time1 = (args) => { const started = performance.now(); spawnSync(process.execPath, args, { cwd: root, stdio: "ignore" }); return performance.now() - started; };
for (let i = 0; i < 3; i++) { time(["-e", "0"]); time1(checkOne); time(floorOne); }
const ratios = [];
for (let i = 0; i < runs; i++) {
  const a = time(["-e", "0"]);
  const b = time1(checkOne);
  baseline.push(a);
  msb.push(b);
  floor.push(time(floorOne));
  ratios.push(b / a);
}
rmSync(floorDir, { recursive: true, force: true });
const startRatio = median(msb) / median(baseline);
const sorted = [...ratios].sort((a, b) => a - b);
console.log(`pre-commit latency, cold msb check of one file (median of ${runs}, alternating): node -e 0 ${median(baseline).toFixed(0)} ms, msb check ${median(msb).toFixed(0)} ms → ${startRatio.toFixed(2)}x (pairwise spread ${sorted[Math.floor(runs / 10)].toFixed(2)}–${sorted[Math.ceil(runs * 0.9) - 1].toFixed(2)}x; target ≤ 1.3x)`);
console.log(`  floor: dockerfile-utils validate (one parse) of the same file, bundled, ${median(floor).toFixed(0)} ms → ${(median(floor) / median(baseline)).toFixed(2)}x`);

const corpus = mkdtempSync(join(tmpdir(), "msb-bench-"));
const count = Number(process.env.MSB_BENCH_FILES ?? 1000);
spawnSync(process.execPath, [join(root, "scripts", "generate-corpus.mjs"), corpus, String(count)], { stdio: "ignore" });
const sides = { parse: [], validate: [], check: [] };
const rounds = Number(process.env.MSB_BENCH_ROUNDS ?? 5);
for (let i = 0; i < rounds; i++) {
  for (const mode of ["parse", "validate", "check"]) {
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
console.log(`throughput over ${files} Dockerfiles (median of ${rounds}, alternating): dockerfile-ast parse only ${parseCpu.toFixed(0)} ms CPU (${parseMs.toFixed(0)} ms wall), msb check ${checkCpu.toFixed(0)} ms CPU (${checkMs.toFixed(0)} ms wall) → ${throughputRatio.toFixed(2)}x CPU, ${(checkMs / parseMs).toFixed(2)}x wall (target ≤ 2x)`);
const validateCpu = median(sides.validate.map((s) => s.cpuMs));
console.log(`  floor: dockerfile-utils validate (one parse) of each file, ${validateCpu.toFixed(0)} ms CPU → ${(validateCpu / parseCpu).toFixed(2)}x`);
console.log(`peak memory: parse only ${median(sides.parse.map((s) => s.maxRssMb)).toFixed(0)} MB, msb check ${median(sides.check.map((s) => s.maxRssMb)).toFixed(0)} MB`);
const growth = spawnSync(process.execPath, [join(root, "bench", "growth-worker.mjs")], { encoding: "utf8" });
if (growth.status !== 0) throw new Error(growth.stderr);
const { small, large } = JSON.parse(growth.stdout);
console.log(`growth: a 10,000-line RUN converts in ${small.toFixed(0)} ms, a 100,000-line RUN in ${large.toFixed(0)} ms → ${(large / small).toFixed(1)}x for 10x the input (linear: about 10x)`);
const targets = { "pre-commit latency": startRatio <= 1.3, "CI throughput": throughputRatio <= 2 };
const load = (await import("node:os")).loadavg()[0];
if (dockerAvailable()) {
  const v = verifyOverhead(root, process.env.MSB_BENCH_VERIFY_FIXTURE ?? "e2e-node-api");
  const verifyRatio = v.wallMs / v.engineMs;
  console.log(`msb verify (e2e-node-api, Docker): ${(v.wallMs / 1000).toFixed(1)} s wall, engine busy ${(v.engineMs / 1000).toFixed(1)} s over ${v.calls} calls, verdict ${v.verdict} → ${verifyRatio.toFixed(3)}x (target ≤ 1.1x)`);
  targets["verify overhead"] = verifyRatio <= 1.1;
  const r = rebuildCost(root, "e2e-node-api", "src/greeting.ts");
  console.log(`rebuild after a source-only edit (e2e-node-api, Docker layer cache): original re-ran ${r.original.length} RUN steps (${r.originalInstalls.length} installing dependencies), converted re-ran ${r.converted.length} (${r.convertedInstalls.length} installing dependencies) (target: no install step, no more RUN steps than the original)`);
  targets["rebuild cost"] = r.convertedInstalls.length === 0 && r.converted.length <= r.original.length;
} else {
  console.log("msb verify overhead and rebuild cost: skipped (no Docker Engine at DOCKER_HOST)");
}
console.log(`load average during the run: ${load.toFixed(1)} (${(await import("node:os")).cpus().length} CPUs); ratios are side by side, but a loaded machine widens the spread`);
const failed = Object.entries(targets).filter(([, ok]) => !ok).map(([name]) => name);
console.log(failed.length === 0 ? "all targets hold" : `targets that do not hold: ${failed.join(", ")}`);
process.exitCode = failed.length === 0 ? 0 : 1;
