// The two figures of `npm run bench` that need a Docker Engine (DOCKER_HOST): msb verify's own
// overhead over the engine work it drives, and the rebuild cost of a converted Dockerfile.
import { spawnSync } from "node:child_process";
import { appendFileSync, chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const docker = existsSync("/usr/bin/docker") ? "/usr/bin/docker" : "docker";
const env = { ...process.env, DOCKER_BUILDKIT: "1" };

export function dockerAvailable() {
  return Boolean(process.env.DOCKER_HOST) && spawnSync(docker, ["info", "--format", "{{.ServerVersion}}"], { env }).status === 0;
}

/**
 * msb verify's wall time over the time the engine is busy with the builds and runs verify asks of
 * it (the union of the intervals of every engine call, logged by a `docker` shim first on PATH).
 */
export function verifyOverhead(root, fixture) {
  const shimDir = mkdtempSync(join(tmpdir(), "msb-bench-shim-"));
  const log = join(shimDir, "calls.log");
  writeFileSync(log, "");
  writeFileSync(join(shimDir, "docker"), `#!/bin/sh\ns=$(date +%s%N)\n${docker} "$@"\nrc=$?\necho "$s $(date +%s%N)" >> ${log}\nexit $rc\n`);
  chmodSync(join(shimDir, "docker"), 0o755);
  const started = performance.now();
  const r = spawnSync(process.execPath, [join(root, "bin", "msb.cjs"), "verify", join(root, "fixtures", fixture, "Dockerfile"), "--engine", "docker", "--network", "host", "--json"], {
    env: { ...env, PATH: `${shimDir}:${process.env.PATH}` }, encoding: "utf8",
  });
  const wallMs = performance.now() - started;
  const intervals = readFileSync(log, "utf8").trim().split("\n").filter(Boolean).map((l) => l.split(" ").map((n) => Number(BigInt(n) / 1000n) / 1000)).sort((a, b) => a[0] - b[0]);
  rmSync(shimDir, { recursive: true, force: true });
  let busy = 0, end = -Infinity;
  for (const [s, e] of intervals) {
    if (e <= end) continue;
    busy += e - Math.max(s, end);
    end = e;
  }
  const verdict = (() => { try { return JSON.parse(r.stdout).verdict; } catch { return `exit ${r.status}`; } })();
  return { wallMs, engineMs: busy, calls: intervals.length, verdict };
}

function build(context, file, tag) {
  const r = spawnSync(docker, ["build", "--network", "host", "--progress", "plain", "-f", file, "-t", tag, context], { env, encoding: "utf8", maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`docker build ${file} failed:\n${r.stderr.split("\n").slice(-20).join("\n")}`);
  const steps = new Map();
  for (const line of r.stderr.split("\n")) {
    const head = /^#(\d+) \[[^\]]+\] RUN (.*)$/.exec(line);
    if (head) steps.set(head[1], { command: head[2], cached: false });
    const cached = /^#(\d+) CACHED$/.exec(line);
    if (cached && steps.has(cached[1])) steps.get(cached[1]).cached = true;
  }
  return [...steps.values()].filter((s) => !s.cached).map((s) => s.command);
}

const installStep = /\b(npm (ci|install|i)\b|yarn( install)?\s*($|&&|--)|pnpm (i|install)\b|pip3? install|go mod download)/;

/** Builds the original and the converted Dockerfile, edits a source file, rebuilds both, and counts the RUN steps each re-ran. */
export function rebuildCost(root, fixture, sourceFile) {
  const context = mkdtempSync(join(tmpdir(), "msb-bench-rebuild-"));
  cpSync(join(root, "fixtures", fixture), context, { recursive: true });
  for (const f of readdirSync(context)) if (f.startsWith("expected")) rmSync(join(context, f));
  const converted = spawnSync(process.execPath, [join(root, "bin", "msb.cjs"), "convert", join(context, "Dockerfile")], { encoding: "utf8" });
  writeFileSync(join(context, "Dockerfile.converted"), converted.stdout);
  const tags = { original: `msb-bench-rebuild-original:${process.pid}`, converted: `msb-bench-rebuild-converted:${process.pid}` };
  try {
    for (const which of ["original", "converted"]) build(context, which === "original" ? "Dockerfile" : "Dockerfile.converted", tags[which]);
    appendFileSync(join(context, sourceFile), "\n// edited\n");
    const rerun = {};
    for (const which of ["original", "converted"]) rerun[which] = build(context, which === "original" ? "Dockerfile" : "Dockerfile.converted", tags[which]);
    return {
      original: rerun.original, converted: rerun.converted,
      convertedInstalls: rerun.converted.filter((c) => installStep.test(c)),
      originalInstalls: rerun.original.filter((c) => installStep.test(c)),
    };
  } finally {
    spawnSync(docker, ["rmi", "-f", tags.original, tags.converted], { env });
    rmSync(context, { recursive: true, force: true });
  }
}
