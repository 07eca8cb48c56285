import { Keyword } from "dockerfile-ast";
import { argsOf, wordsOf, type ParsedDockerfile, type SourceInstruction } from "../parser/document.js";
import { commandOf, splitFlags, type CommandForm } from "../parser/instruction-text.js";
import { splitShell, tokenize, type ShellSegment } from "../parser/shell.js";
import { classifySegment, commandWords, type SegmentKind } from "./commands.js";
import { rewritesSources } from "./source-rewriting-check.js";
import type { BuildContext } from "./context.js";
import { parseImageRef, substitute, type ImageRef } from "./image-ref.js";
import { posix } from "node:path";

export interface ClassifiedSegment extends ShellSegment {
  kind: SegmentKind;
  /** Working directory the segment runs in (after any `cd` earlier in the same RUN). */
  cwd: string;
  /** The stage's variables with the shell variables earlier segments of the same RUN assigned (`REPO_PATH=… &&`), when there are any. */
  variables?: Record<string, string>;
}

export interface RunFacts {
  form: CommandForm["form"];
  command: CommandForm;
  segments: ClassifiedSegment[];
  /** The flags text (`--mount=…`) as written, to reuse when a RUN is split. */
  flagsText: string;
}

export interface CopyFacts {
  isAdd: boolean;
  sources: string[];
  dest: string;
  /** Absolute destination, variables substituted where known. */
  destAbs: string;
  /** `--from=` value when it names an external image. */
  fromImage?: string;
  flags: Record<string, string>;
  flagsText: string;
  heredoc: boolean;
}

export interface InstructionFacts {
  ins: SourceInstruction;
  keyword: string;
  /** Absolute working directory in force when this instruction runs. */
  workdir: string;
  run?: RunFacts;
  copy?: CopyFacts;
  /** For RUN/COPY/ADD: true when any later instruction is also a RUN/COPY/ADD (it is part of the build). */
  beforeLastBuildStep: boolean;
}

export interface Facts {
  doc: ParsedDockerfile;
  context: BuildContext;
  fromIns: SourceInstruction;
  /** The base image as written and with global ARG defaults substituted. */
  image: ImageRef;
  resolvedImage: ImageRef;
  body: InstructionFacts[];
  finalWorkdir: string;
  /** ENV and ARG values known at the end (defaults only). */
  variables: Record<string, string>;
  envNames: string[];
  entrypoint?: CommandForm;
  cmd?: CommandForm;
  healthcheck?: CommandForm;
  /** Last USER value, if the original set one. */
  user?: string;
  /** The user the start command switches to itself (`exec gosu app "$@"`), when it starts as root to do so. */
  switchedUser?: string;
  /** The command that switch runs (`su`, `gosu`, …), whether or not a Dockerfile step creates the user. */
  userSwitchTool?: string;
  exposedPorts: string[];
  volumes: string[];
  globalArgs: Record<string, string>;
}

const defaultWorkdirByImage: Record<string, string> = { golang: "/go" };
/** Variables the official image defines that Dockerfiles build paths from (`WORKDIR $GOPATH/src/app`). */
const environmentByImage: Record<string, Record<string, string>> = { golang: { GOPATH: "/go" } };

export function gatherFacts(doc: ParsedDockerfile, context: BuildContext): Facts {
  const globalArgs: Record<string, string> = {};
  for (const ins of doc.preamble) Object.assign(globalArgs, argDefaults(ins));
  const fromIns = doc.instructions[0]!;
  const rawImage = wordsOf(fromIns, doc.escape)[0] ?? "";
  const image = parseImageRef(rawImage);
  const resolvedImage = parseImageRef(substitute(rawImage, globalArgs));

  const variables: Record<string, string> = { ...environmentByImage[resolvedImage.name] };
  const envNames: string[] = [];
  let workdir = defaultWorkdirByImage[resolvedImage.name] ?? "/";
  const body: InstructionFacts[] = [];
  const rest = doc.instructions.slice(1);
  const lastBuildStep = rest.map((i) => i.keyword).map(String).reduce((last, k, i) => (["RUN", "COPY", "ADD"].includes(k) ? i : last), -1);
  const facts: Omit<Facts, "body" | "finalWorkdir"> = {
    doc, context, fromIns, image, resolvedImage, variables, envNames, exposedPorts: [], volumes: [], globalArgs,
  };
  rest.forEach((ins, i) => {
    const keyword = String(ins.keyword);
    const entry: InstructionFacts = { ins, keyword, workdir, beforeLastBuildStep: i < lastBuildStep };
    switch (keyword) {
      case Keyword.WORKDIR: {
        const target = substitute(argsOf(ins).trim(), variables);
        workdir = posix.resolve(workdir, target.replace(/^["']|["']$/g, ""));
        break;
      }
      case Keyword.ENV:
      case Keyword.ARG:
        for (const [name, value] of Object.entries(keyword === Keyword.ENV ? envPairs(ins) : argDefaults(ins))) {
          if (value !== undefined) variables[name] = substitute(value, variables);
          else if (!(name in variables) && globalArgs[name] !== undefined) variables[name] = globalArgs[name]!;
          if (keyword === Keyword.ENV && !envNames.includes(name)) envNames.push(name);
        }
        break;
      case Keyword.RUN:
        entry.run = runFacts(ins, doc.escape, workdir, context, variables);
        break;
      case Keyword.COPY:
      case Keyword.ADD:
        entry.copy = copyFacts(ins, workdir, variables, doc.escape);
        break;
      case Keyword.CMD:
        facts.cmd = commandOf(ins, doc.escape);
        break;
      case Keyword.ENTRYPOINT:
        facts.entrypoint = commandOf(ins, doc.escape);
        break;
      case Keyword.HEALTHCHECK: {
        const args = argsOf(ins);
        const m = /(?:^|\s)CMD\s+([\s\S]*)$/i.exec(args);
        facts.healthcheck = m ? commandOfText(m[1]!, doc.escape) : undefined;
        break;
      }
      case Keyword.USER:
        facts.user = argsOf(ins).trim();
        break;
      case Keyword.EXPOSE:
        facts.exposedPorts.push(...wordsOf(ins, doc.escape));
        break;
      case Keyword.VOLUME:
        facts.volumes.push(...volumePaths(ins, doc.escape));
        break;
      default:
        break;
    }
    body.push(entry);
  });
  return { ...facts, body, finalWorkdir: workdir };
}

function commandOfText(text: string, escape: string): CommandForm {
  const trimmed = text.trim();
  if (trimmed.startsWith("[")) {
    try {
      const argv: unknown = JSON.parse(trimmed);
      if (Array.isArray(argv)) return { form: "exec", shell: argv.join(" "), argv: argv.map(String) };
    } catch {
      /* shell form */
    }
  }
  return { form: "shell", shell: trimmed.replace(new RegExp(`\\${escape}\\r?\\n`, "g"), " "), argv: [] };
}

export function envPairs(ins: SourceInstruction): Record<string, string | undefined> {
  const node = ins.node as unknown as { getProperties?: () => { getName(): string; getValue(): string | null }[] };
  const out: Record<string, string | undefined> = {};
  for (const p of node.getProperties?.() ?? []) out[p.getName()] = p.getValue() ?? "";
  return out;
}

function argDefaults(ins: SourceInstruction): Record<string, string | undefined> {
  const node = ins.node as unknown as { getProperties?: () => { getName(): string; getValue(): string | null }[] };
  const out: Record<string, string | undefined> = {};
  for (const p of node.getProperties?.() ?? []) out[p.getName()] = p.getValue() ?? undefined;
  return out;
}

function volumePaths(ins: SourceInstruction, escape: string): string[] {
  const raw = argsOf(ins).trim();
  if (raw.startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      /* fall through */
    }
  }
  return wordsOf(ins, escape);
}

function flagsOf(ins: SourceInstruction, escape: string): { flags: Record<string, string>; flagsText: string } {
  const { flags: words } = splitFlags(ins.text, escape);
  const flags: Record<string, string> = {};
  for (const word of words) {
    const [name = "", value = ""] = word.slice(2).split(/=(.*)/s);
    flags[name.toLowerCase()] = value;
  }
  return { flags, flagsText: words.join(" ") };
}

function runFacts(ins: SourceInstruction, escape: string, workdir: string, context: BuildContext, variables: Record<string, string>): RunFacts {
  const command = commandOf(ins, escape);
  const { flagsText } = flagsOf(ins, escape);
  let cwd = workdir;
  let shellVariables: Record<string, string> | undefined;
  const raw = command.form === "exec" ? [{ text: command.shell, joinedBy: "" as const, argv: command.argv }] : command.form === "shell" ? splitShell(command.shell) : [];
  const segments: ClassifiedSegment[] = raw.map((segment) => {
    const recognised = classifySegment(segment.argv);
    const kind = recognised === "test" && rewritesSources(segment.argv, context) ? "other" : recognised;
    const classified: ClassifiedSegment = { ...segment, kind, cwd, ...(shellVariables ? { variables: shellVariables } : {}) };
    if (kind === "cd") {
      // the shell expands the stage's ENV and ARG values and the RUN's own assignments: `cd ${SOURCES}`
      const target = commandWords(segment.argv)[1];
      cwd = target && !target.startsWith("-") ? posix.resolve(cwd, substitute(target, shellVariables ?? variables).replace(/^["']|["']$/g, "")) : cwd;
    }
    const assigned = shellAssignments(segment.argv);
    if (assigned.length > 0) {
      shellVariables = { ...(shellVariables ?? variables) };
      for (const [name, value] of assigned) {
        // a value the shell computes (`$(go env GOPATH)`) is not known: the name no longer stands for the stage's value
        if (/\$\(|`/.test(value)) delete shellVariables[name];
        else shellVariables[name] = substitute(value, shellVariables);
      }
    }
    return classified;
  });
  return { form: command.form, command, segments, flagsText };
}

/** `NAME=value` words of a segment that only assigns (`REPO_PATH=github.com/a/b`, `export A=1 B=2`). */
function shellAssignments(argv: readonly string[]): [string, string][] {
  const words = argv[0] === "export" ? argv.slice(1) : argv;
  const pairs = words.map((w) => /^([A-Za-z_]\w*)=(.*)$/s.exec(w));
  return words.length > 0 && pairs.every((p) => p !== null) ? pairs.map((p) => [p![1]!, p![2]!]) : [];
}

function copyFacts(ins: SourceInstruction, workdir: string, variables: Record<string, string>, escape: string): CopyFacts {
  const { flags, flagsText } = flagsOf(ins, escape);
  const heredoc = /<<-?["']?\w+/.test(splitFlags(ins.text, escape).rest.split(/\r?\n/)[0] ?? "");
  let words: string[];
  const raw = (argsOf(ins)).trim();
  if (raw.startsWith("[")) {
    try {
      words = (JSON.parse(raw) as unknown[]).map(String);
    } catch {
      words = wordsOf(ins, escape);
    }
  } else {
    words = wordsOf(ins, escape);
  }
  if (heredoc) words = tokenize(splitFlags(ins.text, escape).rest.split(/\r?\n/)[0] ?? "").filter((w) => !w.startsWith("<<")).slice(-1);
  const dest = words[words.length - 1] ?? ".";
  const sources = heredoc ? [] : words.slice(0, -1);
  const destResolved = substitute(dest, variables);
  let destAbs = posix.resolve(workdir, destResolved);
  if (destResolved.endsWith("/") && destAbs !== "/") destAbs += "/";
  const from = flags["from"];
  const copy: CopyFacts = { isAdd: ins.keyword === Keyword.ADD, sources, dest, destAbs, flags, flagsText, heredoc };
  if (from !== undefined && from !== "") copy.fromImage = from;
  return copy;
}

/** The working directory once body entry `index` has run (a WORKDIR's own value, `$APP_HOME` resolved). */
export function workdirAfter(facts: Pick<Facts, "body" | "finalWorkdir">, index: number): string {
  return facts.body[index + 1]?.workdir ?? facts.finalWorkdir;
}

/** Whether a USER instruction comes before the body instruction at `index` (installs then run as that user). */
export function userSetBefore(facts: Facts, index: number): boolean {
  return facts.body.slice(0, index).some((e) => e.keyword === Keyword.USER);
}
