import { basename, dirname, resolve } from "node:path";
import { convert, type ConvertResult } from "../convert.js";
import { MsbError } from "../errors.js";
import { directoryContext } from "../analysis/fs-context.js";
import { withDockerfile, type BuildContext } from "../analysis/context.js";
import type { ConvertOptions } from "../transforms/types.js";
import { readInput } from "../io.js";
import { discover } from "./discover.js";

export type CheckStatus = "convertible" | "multi-stage" | "unsupported" | "unusable";

export interface CheckFinding {
  file: string;
  status: CheckStatus;
  /** 1-based line of the FROM (or the problem) for annotations. */
  line: number;
  message: string;
  stack?: string;
  /** The shell command that converts this file. */
  fix?: string;
  estimate?: ConvertResult["estimate"];
  /** The converted text, for --fix. */
  converted?: string;
}

export interface CheckOptions extends Omit<ConvertOptions, "context"> {
  ignore?: string[];
}

const quote = (path: string) => (/^[\w./-]+$/.test(path) ? path : `'${path.replace(/'/g, "'\\''")}'`);

/** Checks each Dockerfile under `paths`: would msb convert it, is it multi-stage already, or can it not. */
export function check(paths: string[], options: CheckOptions = {}): { findings: CheckFinding[]; unmatched: string[] } {
  const { files, unmatched, listings } = discover(paths.length > 0 ? paths : ["."], options.ignore ?? []);
  const contexts = new Map<string, BuildContext>();
  for (const dir of listings.keys()) contexts.set(dir, directoryContext(dir, listings));
  const findings = files.map((file) => checkFile(file, options, contexts));
  return { findings, unmatched };
}

export function checkFile(file: string, options: CheckOptions, contexts = new Map<string, BuildContext>()): CheckFinding {
  const { ignore: _ignore, ...convertOptions } = options;
  try {
    const input = readInput(file);
    const dir = dirname(resolve(file));
    let context = contexts.get(dir);
    if (!context) {
      context = directoryContext(dir);
      contexts.set(dir, context);
    }
    // the converted text is not printed here; --fix validates what it writes
    const result = convert(input.text, { ...convertOptions, context: withDockerfile(context, basename(file)), validateOutput: false });
    const line = fromLine(input.text);
    if (result.status === "unchanged") return { file, status: "multi-stage", line, message: "already a multi-stage build" };
    const estimate = result.estimate ? ` (base image ~${result.estimate.originalMb} MB → ~${result.estimate.runtimeMb} MB, estimated)` : "";
    return {
      file,
      status: "convertible",
      line,
      message: `single-stage ${result.stack} Dockerfile ships its build tools; msb can split it into ${result.stages.map((s) => s.name).join(" → ")}${estimate}`,
      ...(result.stack ? { stack: result.stack } : {}),
      fix: `msb convert --write ${quote(file)}`,
      ...(result.estimate ? { estimate: result.estimate } : {}),
      converted: result.dockerfile,
    };
  } catch (error) {
    if (!(error instanceof MsbError)) throw error;
    const line = Number(/^line (\d+)/.exec(error.message)?.[1] ?? 1);
    return { file, status: error.kind === "unsupported" ? "unsupported" : "unusable", line, message: error.message };
  }
}

function fromLine(text: string): number {
  const at = text.split(/\r?\n/).findIndex((l) => /^\s*FROM\s/i.test(l));
  return at < 0 ? 1 : at + 1;
}
