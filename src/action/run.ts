import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { check } from "../check/check.js";
import { countByStatus, toGithub, toSarif, toText } from "../check/formats.js";
import { checkExitCode, checkSettings } from "../cli/check-command.js";
import { ExitCode, MsbError } from "../errors.js";

type Env = Record<string, string | undefined>;

/** An input as the Actions runner passes it: INPUT_ + the name upper-cased, spaces as underscores, hyphens kept. */
function input(env: Env, name: string, fallback = ""): string {
  const value = env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`]?.trim();
  return value === undefined || value === "" ? fallback : value;
}

function booleanInput(env: Env, name: string): boolean {
  const value = input(env, name, "false");
  if (/^(true|True|TRUE)$/.test(value)) return true;
  if (/^(false|False|FALSE)$/.test(value)) return false;
  throw new MsbError("usage", `input ${name} must be true or false, not "${value}"`);
}

/** One path per line; a single line may also separate paths with spaces. */
const pathList = (value: string) => (value.includes("\n") ? value.split(/\r?\n/) : value.split(/\s+/)).map((p) => p.trim()).filter(Boolean);

const escapeData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");

/**
 * The GitHub Action: `msb check` over the `paths` input, reported as annotations (format github)
 * or as a SARIF file for code scanning (format sarif), with the counts as step outputs.
 * Returns the exit code of `msb check`.
 */
export function runAction(env: Env = process.env, out: (text: string) => void = (t) => process.stdout.write(t)): number {
  try {
    const format = input(env, "format", "github");
    if (format !== "github" && format !== "sarif") throw new MsbError("usage", `input format must be github or sarif, not "${format}"`);
    const config = input(env, "config");
    const { strict, options } = checkSettings({ strict: booleanInput(env, "strict") || undefined, ...(config ? { config } : {}) });
    const { findings, unmatched } = check(pathList(input(env, "paths", ".")), options);
    for (const path of unmatched) out(`::error::msb: ${escapeData(path)}: no such file or Dockerfile\n`);

    const sarifFile = input(env, "sarif-file", "msb.sarif");
    if (format === "sarif") {
      mkdirSync(dirname(sarifFile), { recursive: true });
      writeFileSync(sarifFile, toSarif(findings));
      out(toText(findings, plain));
    } else {
      out(toGithub(findings));
    }
    const counts = countByStatus(findings);
    const outputs: Record<string, string | number> = {
      files: findings.length,
      "would-change": counts.convertible,
      "multi-stage": counts["multi-stage"],
      unsupported: counts.unsupported,
      errors: counts.unusable + unmatched.length,
      ...(format === "sarif" ? { "sarif-file": sarifFile } : {}),
    };
    if (env["GITHUB_OUTPUT"]) appendFileSync(env["GITHUB_OUTPUT"], Object.entries(outputs).map(([k, v]) => `${k}=${v}\n`).join(""));
    if (env["GITHUB_STEP_SUMMARY"]) {
      appendFileSync(env["GITHUB_STEP_SUMMARY"], `### msb check\n\n${findings.length} Dockerfiles: ${counts.convertible} to convert, ${counts["multi-stage"]} multi-stage, ${counts.unsupported} unsupported, ${outputs["errors"]} unusable\n`);
    }
    return checkExitCode(findings, unmatched, strict);
  } catch (error) {
    if (error instanceof MsbError) {
      out(`::error::msb: ${escapeData(error.message)}\n`);
      return error.exitCode;
    }
    out(`::error::msb: internal error: ${escapeData(error instanceof Error ? error.message : String(error))}\n`);
    return ExitCode.internal;
  }
}

const same = (s: string) => s;
const plain = { red: same, yellow: same, green: same, dim: same };
