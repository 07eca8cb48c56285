import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { convert } from "../../src/index.js";
import { directoryContext } from "../../src/analysis/fs-context.js";
import { detectEngine, type Engine } from "../../src/verify/engine.js";
import { verify, type VerifyReport } from "../../src/verify/verify.js";
import { diskShortage, neededGb } from "./free-disk.js";

const root = join(import.meta.dirname, "..", "..");
const state = process.env["MSB_E2E_DIR"] ?? "/var/tmp/msb-e2e";
const has = (tool: string) => spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;
const driver = spawnSync("bash", [join(root, "e2e", "storage-driver.sh"), state], { encoding: "utf8" }).stdout.trim() || "vfs";
const storage = ["--root", join(state, "storage"), "--runroot", join(state, "run"), "--storage-driver", driver];
const missing = ["buildah", "podman", "mmdebstrap"].filter((t) => !has(t));
const reason = missing.length > 0 ? `no container engine here (missing ${missing.join(", ")}); e2e skipped` : process.getuid?.() !== 0 ? "e2e needs root for buildah chroot builds; skipped" : diskShortage(state, neededGb.buildah);
if (reason) console.warn(`msb e2e: ${reason}`);

/** Sizes of the official images (uncompressed, linux/amd64) that the stand-ins imitate; for the estimate only. */
const officialMb: Record<string, number> = {
  "node:18": 1090, "node:18-alpine": 130, "node:18-slim": 200, "python:3.11": 1010, "python:3.11-slim": 130,
  "golang:1.19": 990, "gcr.io/distroless/static-debian13:nonroot": 2, "nginx:stable-alpine": 48,
};
const cases = ["e2e-node-api", "e2e-python-flask", "e2e-python-libpq", "e2e-python-poetry", "e2e-go-http", "e2e-go-gopath-templates", "e2e-go-run", "e2e-static-vite"];
const results: { name: string; report: VerifyReport; originalBase: string; runtimeBase: string; standInMb: Record<string, number> }[] = [];

describe.skipIf(reason !== "")("real builds with buildah (stand-in base images)", () => {
  let engine: Engine;
  beforeAll(async () => {
    execFileSync("bash", [join(root, "e2e", "images.sh"), state], { stdio: "inherit", timeout: 40 * 60 * 1000 });
    const found = await detectEngine("buildah", { globalArgs: storage, isolation: "chroot" });
    if (!found) throw new Error("buildah did not answer");
    engine = found;
  }, 40 * 60 * 1000);

  for (const name of cases) {
    it(name, async () => {
      const dir = join(root, "fixtures", name);
      const originalText = readFileSync(join(dir, "Dockerfile"), "utf8");
      const converted = convert(originalText, { context: directoryContext(dir) });
      const report = await verify({ engine, originalText, convertedText: converted.dockerfile, context: dir, timeoutMs: 60_000, track: () => undefined });
      const bases = [/^FROM\s+(\S+)/m.exec(originalText)![1]!, converted.stages[converted.stages.length - 1]!.from];
      const standInMb: Record<string, number> = {};
      for (const base of bases) standInMb[base] = (await engine.inspect(base)).sizeBytes / 1e6;
      results.push({ name, report, originalBase: bases[0]!, runtimeBase: bases[1]!, standInMb });
      expect(report.original.built, report.original.log).toBe(true);
      expect(report.converted.built, report.converted.log).toBe(true);
      expect(report.converted.smoke?.detail).toBe(report.original.smoke?.detail);
      expect(report.sameBehaviour).toBe(true);
      expect(report.converted.user).not.toMatch(/^(root|0)?(:|$)/);
      expect(report.converted.sizeBytes!).toBeLessThan(report.original.sizeBytes!);
      expect(report.verdict).toBe("ok");
    }, 20 * 60 * 1000);
  }

  afterAll(() => {
    const rows = results.map(({ name, report, originalBase, runtimeBase, standInMb }) => {
      const a = (report.original.sizeBytes ?? 0) / 1e6;
      const b = (report.converted.sizeBytes ?? 0) / 1e6;
      const addedA = a - (standInMb[originalBase] ?? 0);
      const addedB = b - (standInMb[runtimeBase] ?? 0);
      const officialA = (officialMb[originalBase] ?? NaN) + addedA;
      const officialB = (officialMb[runtimeBase] ?? NaN) + addedB;
      const est = Number.isFinite(officialA) && Number.isFinite(officialB) ? `${officialA.toFixed(0)} → ${officialB.toFixed(0)} MB (−${((1 - officialB / officialA) * 100).toFixed(0)}%)` : "-";
      return `| ${name} | ${a.toFixed(0)} MB | ${b.toFixed(0)} MB | ${report.reductionPercent}% | ${report.original.buildSeconds}s / ${report.converted.buildSeconds}s | ${report.converted.smoke?.detail ?? "-"} (${report.sameBehaviour ? "same" : "different"}) | ${est} |`;
    });
    const table = [
      "| fixture | original (stand-in) | converted (stand-in) | reduction | build original / converted | smoke | estimate with official images |",
      "| --- | --- | --- | --- | --- | --- | --- |",
      ...rows,
    ].join("\n");
    const note = "Sizes are uncompressed and measured on stand-in base images built from Debian packages; the last column adds the measured layers to the published sizes of the official base images, an estimate.";
    writeFileSync(join(state, "report.md"), `${table}\n\n${note}\n`);
    console.log(`\n${table}\n\n${note}\n`);
  });
});

describe.skipIf(reason !== "")("msb verify on the command line", () => {
  it("prints the side-by-side report and exits 6 for a conversion whose runtime lacks the binary", () => {
    const dir = join(root, "fixtures", "e2e-go-http");
    const broken = join(state, "broken.Dockerfile");
    const converted = convert(readFileSync(join(dir, "Dockerfile"), "utf8"), { context: directoryContext(dir) }).dockerfile;
    writeFileSync(broken, converted.replace(/^COPY --from=build \/app\/server \/app\/server\n/m, ""));
    const args = ["verify", "--engine", "buildah", ...storage.flatMap((a, i) => (i % 2 === 0 ? [`--engine-arg=${a}=${storage[i + 1]}`] : [])), "--timeout", "20", "--against", broken, join(dir, "Dockerfile")];
    const r = spawnSync(process.execPath, [join(root, "bin", "msb.cjs"), ...args], { encoding: "utf8", timeout: 15 * 60 * 1000 });
    expect(r.stdout).toMatch(/^msb verify .*e2e-go-http\/Dockerfile \(buildah\)$/m);
    expect(r.stdout).toMatch(/^ {2}built +yes +yes$/m);
    expect(r.stdout).toMatch(/^ {2}behaviour +DIFFERENT$/m);
    expect(r.stdout).toMatch(/^ {2}verdict +behaviour-differs$/m);
    expect(r.status).toBe(6);
  }, 20 * 60 * 1000);
});
