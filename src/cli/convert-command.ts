import { dirname, relative, resolve, sep } from "node:path";
import { convert } from "../convert.js";
import { directoryContext } from "../analysis/fs-context.js";
import { withDockerfile } from "../analysis/context.js";
import { readInput, writeAtomically } from "../io.js";
import { colourFor } from "./colour.js";
import { MsbError } from "../errors.js";
import type { ConvertOptions, RuntimePreference, TestsMode } from "../transforms/types.js";
import type { Note } from "../report.js";
import { writeErr, writeOut } from "./output.js";

export interface ConvertFlags {
  output?: string;
  write?: boolean;
  diff?: boolean;
  explain?: boolean;
  json?: boolean;
  context?: string;
  tests?: string;
  runtime?: string;
  dev?: boolean;
  selectByArg?: string;
  cache?: boolean;
  splitDeps?: boolean;
  dropSecretEnv?: boolean;
  nodeEnvProduction?: boolean;
  color?: boolean;
}

const testsModes = ["gate", "target"];
const runtimes = ["auto", "slim", "alpine", "distroless", "scratch"];

export function convertOptionsFrom(flags: ConvertFlags, contextDir: string | undefined, dockerfile?: string): ConvertOptions {
  if (flags.tests !== undefined && !testsModes.includes(flags.tests)) throw new MsbError("usage", `--tests must be one of ${testsModes.join(", ")}`);
  if (flags.runtime !== undefined && !runtimes.includes(flags.runtime)) throw new MsbError("usage", `--runtime must be one of ${runtimes.join(", ")}`);
  if (flags.selectByArg !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(flags.selectByArg)) throw new MsbError("usage", "--select-by-arg needs a build argument name");
  return {
    ...(contextDir !== undefined ? { context: dockerfile === undefined || dockerfile === "-" ? directoryContext(contextDir) : withDockerfile(directoryContext(contextDir), relative(contextDir, resolve(dockerfile)).split(sep).join("/")) } : {}),
    ...(flags.context !== undefined ? { explicitContext: true } : {}),
    ...(flags.tests ? { tests: flags.tests as TestsMode } : {}),
    ...(flags.runtime ? { runtime: flags.runtime as RuntimePreference } : {}),
    ...(flags.dev ? { dev: true } : {}),
    ...(flags.selectByArg ? { selectByArg: flags.selectByArg } : {}),
    ...(flags.cache ? { cache: true } : {}),
    ...(flags.splitDeps ? { splitDeps: true } : {}),
    ...(flags.dropSecretEnv ? { dropSecretEnv: true } : {}),
    ...(flags.nodeEnvProduction ? { nodeEnvProduction: true } : {}),
  };
}

/** `msb convert`: returns the exit code; throws MsbError (with the file label prefixed by the caller). */
export async function runConvert(file: string, flags: ConvertFlags): Promise<number> {
  const modes = [flags.write, flags.output !== undefined, flags.diff, flags.json].filter(Boolean).length;
  if (modes > 1) throw new MsbError("usage", "choose one of --write, --output, --diff and --json");
  if (flags.write && file === "-") throw new MsbError("usage", "--write needs a file, not standard input");
  const input = readInput(file);
  const contextDir = flags.context ?? (file === "-" ? process.cwd() : dirname(resolve(file)));
  const result = convert(input.text, convertOptionsFrom(flags, contextDir, file));

  // warnings always reach stderr (as a linter's would); decisions and assumptions with --explain
  if (input.encoding === "latin1") result.notes.unshift({ level: "warning", message: "is not UTF-8 text: msb keeps its bytes as they are (read and written byte for byte as Latin-1) and adds ASCII only" });
  printNotes(flags.explain || result.status === "unchanged" ? result.notes : result.notes.filter((n) => n.level === "warning"), flags, input.label);
  if (flags.json) {
    writeOut(`${JSON.stringify({ file: input.label, status: result.status, stack: result.stack, stages: result.stages, notes: result.notes, estimate: result.estimate ?? null, dockerfile: result.dockerfile }, null, 2)}\n`);
  } else if (flags.diff) {
    const { createTwoFilesPatch } = await import("diff");
    if (result.dockerfile !== input.text) writeOut(createTwoFilesPatch(input.label, input.label, input.text, result.dockerfile, "original", "converted by msb"), input.encoding);
  } else if (flags.write) {
    if (result.dockerfile !== input.text) writeAtomically(input.path!, result.dockerfile, { mtimeMs: input.mtimeMs }, input.encoding);
  } else if (flags.output !== undefined) {
    writeAtomically(flags.output, result.dockerfile, undefined, input.encoding);
  } else {
    writeOut(result.dockerfile, input.encoding);
  }
  return 0;
}

function printNotes(notes: Note[], flags: ConvertFlags, label: string): void {
  const colour = colourFor(2, flags.color === false);
  const mark = { info: colour.cyan("info"), assumption: colour.yellow("assumed"), warning: colour.red("warning") };
  for (const note of notes) writeErr(`${label}: ${mark[note.level]}: ${note.message}\n`);
}
