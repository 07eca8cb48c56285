// One side of the throughput benchmark, in a process of its own so peak memory is its own:
// "parse" reads and parses every Dockerfile with dockerfile-ast alone; "validate" runs
// dockerfile-utils' validator (which parses) on each, the least a check that rejects what cannot build does;
// "check" runs msb check.
import { readFileSync } from "node:fs";
import { DockerfileParser } from "dockerfile-ast";
import { validate } from "dockerfile-utils";
import { check } from "../dist/index.js";
import { discover } from "../dist/check/discover.js";

const [mode, dir] = process.argv.slice(2);
const started = performance.now();
const cpuStarted = process.cpuUsage();
let files = 0;
if (mode === "parse") {
  for (const file of discover([dir]).files) {
    DockerfileParser.parse(readFileSync(file, "utf8")).getInstructions();
    files++;
  }
} else if (mode === "validate") {
  for (const file of discover([dir]).files) {
    validate(readFileSync(file, "utf8")); // parses the text itself
    files++;
  }
} else {
  files = check([dir]).findings.length;
}
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuStarted);
console.log(JSON.stringify({ mode, files, ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
