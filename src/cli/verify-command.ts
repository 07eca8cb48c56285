import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { convert } from "../convert.js";
import { MsbError } from "../errors.js";
import { detectEngine } from "../verify/engine.js";
import { verify, verifyExitCodes, type ImageReport, type VerifyReport } from "../verify/verify.js";
import { readInput } from "../io.js";
import { convertOptionsFrom, type ConvertFlags } from "./convert-command.js";
import { isTerminal, writeErr, writeOut } from "./output.js";

export interface VerifyFlags extends ConvertFlags {
  against?: string;
  engine?: string;
  engineArg?: string[];
  isolation?: string;
  network?: string;
  enginePath?: string;
  timeout?: string;
}

/** Exit code when no container engine can be found. */
export const noEngineExitCode = 8;

export async function runVerify(file: string, flags: VerifyFlags): Promise<number> {
  const input = readInput(file);
  const contextDir = flags.context ?? (file === "-" ? process.cwd() : dirname(resolve(file)));
  const convertedText = flags.against !== undefined ? readFileSync(flags.against, "utf8") : convert(input.text, convertOptionsFrom(flags, contextDir, file)).dockerfile;
  if (convertedText === input.text) throw new MsbError("usage", `${input.label} is already multi-stage: nothing to compare (use --against)`);
  const engine = await detectEngine(flags.engine, {
    globalArgs: flags.engineArg ?? [],
    isolation: flags.isolation ?? "chroot",
    ...(flags.network ? { network: flags.network } : {}),
    ...(flags.enginePath ? { command: flags.enginePath } : {}),
  });
  if (!engine) {
    writeErr(`msb: ${input.label}: no container engine found (tried ${flags.engine ?? "docker, podman, buildah"})\n`);
    return noEngineExitCode;
  }
  const cleanups: (() => Promise<void>)[] = [];
  const onSignal = () => {
    writeErr("\nmsb: interrupted; removing what verify started\n");
    void Promise.allSettled(cleanups.reverse().map((c) => c())).then(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const started = Date.now();
  const tty = isTerminal(2);
  const timeoutSeconds = Number(flags.timeout ?? "60");
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new MsbError("usage", "--timeout needs a number of seconds");
  try {
    const report = await verify({
      engine,
      originalText: input.text,
      convertedText,
      context: contextDir,
      timeoutMs: timeoutSeconds * 1000,
      track: (c) => cleanups.push(c),
      ...(tty ? { onStep: (step: string) => writeErr(`\r\x1b[K[${Math.round((Date.now() - started) / 1000)}s] ${step}…`) } : {}),
    });
    if (tty) writeErr("\r\x1b[K");
    writeOut(flags.json ? `${JSON.stringify({ file: input.label, ...report }, null, 2)}\n` : renderReport(input.label, report));
    return verifyExitCodes[report.verdict];
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  }
}

const mb = (bytes: number | null) => (bytes === null ? "-" : `${(bytes / 1e6).toFixed(1)} MB`);

function column(r: ImageReport): string[] {
  return [
    r.built ? "yes" : "FAILED",
    `${r.buildSeconds}s`,
    mb(r.sizeBytes),
    r.user ?? "-",
    r.start ? JSON.stringify(r.start) : "-",
    r.smoke ? r.smoke.detail : "-",
  ];
}

export function renderReport(label: string, report: VerifyReport): string {
  const names = ["built", "build time", "size", "user", "start", "smoke"];
  const a = column(report.original);
  const b = column(report.converted);
  const width = Math.max(...a.map((x) => x.length), 8);
  const rows = names.map((n, i) => `  ${n.padEnd(11)} ${a[i]!.padEnd(width)}  ${b[i]}`);
  const lines = [
    `msb verify ${label} (${report.engine})`,
    `  ${"".padEnd(11)} ${"original".padEnd(width)}  converted`,
    ...rows,
    `  reduction   ${report.reductionPercent === null ? "-" : `${report.reductionPercent}%`}`,
    `  behaviour   ${report.sameBehaviour ? "same" : "DIFFERENT"}`,
    `  verdict     ${report.verdict}`,
  ];
  for (const which of ["original", "converted"] as const) {
    const log = report[which].log;
    if (log) lines.push(`  ${which} build log (last lines):`, ...log.split("\n").map((l) => `    ${l}`));
  }
  return `${lines.join("\n")}\n`;
}
