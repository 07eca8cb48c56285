import { check, type CheckFinding, type CheckOptions } from "../check/check.js";
import { formats, toGithub, toJson, toSarif, toText, type Format } from "../check/formats.js";
import { loadConfig } from "../config.js";
import { ExitCode, MsbError } from "../errors.js";
import { writeAtomically } from "../io.js";
import { colourFor } from "./colour.js";
import { writeErr, writeOut } from "./output.js";
import { convertOptionsFrom, type ConvertFlags } from "./convert-command.js";
import { assertValidOutput } from "../validate/output.js";

export interface CheckFlags extends ConvertFlags {
  format?: string;
  strict?: boolean;
  fix?: boolean;
  config?: string | false;
}

export interface CheckSettings {
  format: Format;
  strict: boolean;
  options: CheckOptions;
}

/** Flags over the configuration file over defaults: what `msb check` (and the GitHub Action) run with. */
export function checkSettings(flags: CheckFlags): CheckSettings {
  const { config } = flags.config === false ? { config: {} } : loadConfig(process.cwd(), flags.config);
  const format = (flags.format ?? config.format ?? "text") as Format;
  if (!formats.includes(format)) throw new MsbError("usage", `--format must be one of ${formats.join(", ")}`);
  const merged: ConvertFlags = {
    ...flags,
    tests: flags.tests ?? config.tests,
    runtime: flags.runtime ?? config.runtime,
    dev: flags.dev ?? config.dev,
    selectByArg: flags.selectByArg ?? config.selectByArg,
    cache: flags.cache ?? config.cache,
    splitDeps: flags.splitDeps ?? config.splitDeps,
    dropSecretEnv: flags.dropSecretEnv ?? config.dropSecretEnv,
    nodeEnvProduction: flags.nodeEnvProduction ?? config.nodeEnvProduction,
  };
  const { context: _context, ...options } = convertOptionsFrom(merged, undefined);
  return { format, strict: flags.strict ?? config.strict ?? false, options: { ...options, ignore: config.ignore ?? [] } };
}

/** The documented exit code of a check run. */
export function checkExitCode(findings: CheckFinding[], unmatched: string[], strict: boolean, writeFailed = false): number {
  if (writeFailed) return ExitCode.writeFailed;
  if (unmatched.length > 0 || findings.some((f) => f.status === "unusable")) return ExitCode.unusable;
  if (findings.some((f) => f.status === "convertible" || (strict && f.status === "unsupported"))) return ExitCode.wouldChange;
  return ExitCode.ok;
}

export function runCheck(paths: string[], flags: CheckFlags): number {
  const { format, strict, options } = checkSettings(flags);
  const { findings, unmatched } = check(paths, options);
  for (const path of unmatched) writeErr(`msb: ${path}: no such file or Dockerfile\n`);

  let writeFailed = false;
  if (flags.fix) {
    for (const f of findings) {
      if (f.status !== "convertible" || f.converted === undefined) continue;
      assertValidOutput(f.converted);
      try {
        writeAtomically(f.file, f.converted);
        writeErr(`msb: ${f.file}: converted\n`);
        f.status = "multi-stage";
        f.message = "converted to a multi-stage build";
        delete f.fix;
      } catch (error) {
        if (!(error instanceof MsbError)) throw error;
        writeErr(`msb: ${f.file}: ${error.message}\n`);
        writeFailed = true;
      }
    }
  }
  const colour = colourFor(1, flags.color === false);
  const render = { text: () => toText(findings, colour), json: () => toJson(findings), sarif: () => toSarif(findings), github: () => toGithub(findings) }[format];
  writeOut(render());

  return checkExitCode(findings, unmatched, strict, writeFailed);
}
