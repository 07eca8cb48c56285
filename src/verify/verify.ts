import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Engine, ImageInfo } from "./engine.js";
import { sameBehaviour, smoke, type SmokeResult } from "./smoke.js";

export interface ImageReport {
  built: boolean;
  buildSeconds: number;
  sizeBytes: number | null;
  user: string | null;
  start: string[] | null;
  smoke: SmokeResult | null;
  log?: string;
}

export interface VerifyReport {
  engine: string;
  original: ImageReport;
  converted: ImageReport;
  reductionPercent: number | null;
  sameBehaviour: boolean;
  verdict: "ok" | "original-failed" | "converted-failed" | "behaviour-differs" | "not-smaller" | "runs-as-root";
}

export const verifyExitCodes: Record<VerifyReport["verdict"], number> = {
  ok: 0,
  "converted-failed": 5,
  "behaviour-differs": 6,
  "not-smaller": 7,
  "runs-as-root": 7,
  "original-failed": 9,
};

export interface VerifyInput {
  engine: Engine;
  originalText: string;
  convertedText: string;
  context: string;
  timeoutMs: number;
  onStep?: (step: string) => void;
  /** Registers cleanup for Ctrl-C. */
  track: (cleanup: () => Promise<void>) => void;
}

const isRoot = (user: string) => user === "" || /^(root|0)(:|$)/.test(user);

/** Builds the original and the converted Dockerfile from the same context and compares them. */
export async function verify(input: VerifyInput): Promise<VerifyReport> {
  const { engine } = input;
  const work = mkdtempSync(join(tmpdir(), "msb-verify-"));
  const id = `${process.pid}-${Date.now()}`;
  const tags = { original: `localhost/msb-verify-original:${id}`, converted: `localhost/msb-verify-converted:${id}` };
  const cleanupImages = async () => {
    await engine.removeImages([tags.original, tags.converted]);
    rmSync(work, { recursive: true, force: true });
  };
  input.track(cleanupImages);
  try {
    const files = { original: join(work, "Dockerfile.original"), converted: join(work, "Dockerfile.converted") };
    writeFileSync(files.original, input.originalText);
    writeFileSync(files.converted, input.convertedText);
    const reports: Record<"original" | "converted", ImageReport> = {
      original: { built: false, buildSeconds: 0, sizeBytes: null, user: null, start: null, smoke: null },
      converted: { built: false, buildSeconds: 0, sizeBytes: null, user: null, start: null, smoke: null },
    };
    const infos: Partial<Record<"original" | "converted", ImageInfo>> = {};
    for (const which of ["original", "converted"] as const) {
      input.onStep?.(`building the ${which} image`);
      const build = await engine.build(files[which], input.context, tags[which]);
      reports[which].built = build.ok;
      reports[which].buildSeconds = Math.round(build.seconds * 10) / 10;
      if (!build.ok) {
        reports[which].log = build.log;
        continue;
      }
      const info = await engine.inspect(tags[which]);
      infos[which] = info;
      Object.assign(reports[which], { sizeBytes: info.sizeBytes, user: info.user || "root", start: [...info.entrypoint, ...info.cmd] });
    }
    const port = infos.original?.exposedPorts[0] ?? infos.converted?.exposedPorts[0];
    for (const which of ["original", "converted"] as const) {
      const info = infos[which];
      if (!info) continue;
      input.onStep?.(`starting the ${which} image`);
      reports[which].smoke = await smoke(engine, tags[which], info, port, input.timeoutMs, input.track);
    }
    const { original, converted } = reports;
    const same = original.smoke !== null && converted.smoke !== null && sameBehaviour(original.smoke, converted.smoke);
    const reduction = original.sizeBytes && converted.sizeBytes ? Math.round((1 - converted.sizeBytes / original.sizeBytes) * 1000) / 10 : null;
    let verdict: VerifyReport["verdict"] = "ok";
    if (!original.built) verdict = "original-failed";
    else if (!converted.built) verdict = "converted-failed";
    else if (!same) verdict = "behaviour-differs";
    else if (isRoot(converted.user ?? "")) verdict = "runs-as-root";
    else if ((converted.sizeBytes ?? 0) > (original.sizeBytes ?? 0)) verdict = "not-smaller";
    return { engine: engine.name, original, converted, reductionPercent: reduction, sameBehaviour: same, verdict };
  } finally {
    await cleanupImages();
  }
}
