import { emptyContext, type BuildContext } from "./analysis/context.js";
import { rejectUserNeverCreated } from "./validate/user-missing.js";
import { appMovesUnderWorkdir, movedReferences, movedAppDir, refuseAppSpanningRoot, withWorkdirAfterFrom } from "./transforms/common/root-workdir.js";
import { goRunBuild, withGoRunBuilt, type GoRunBuild } from "./transforms/go/go-run-start.js";
import { MsbError, unsupported } from "./errors.js";
import { gatherFacts, workdirAfter, type Facts } from "./analysis/facts.js";
import { buildArgBranch } from "./analysis/build-arg-branch.js";
import { withBranchKept, type ChosenBranch } from "./transforms/common/kept-branch.js";
import { composeBuildArgs } from "./analysis/compose.js";
import { rootRequiredByDeployment } from "./analysis/root-required.js";
import { detectStack, type Stack } from "./analysis/stack.js";
import { privilegeDrop } from "./transforms/common/privilege-drop.js";
import { originalUserSetup } from "./transforms/common/user.js";
import { refuseRootProcesses, refuseUnconvertibleImage, startsSupervisord } from "./analysis/image-kind.js";
import { refuseContinuedWorkdir } from "./validate/workdir-continued.js";
import { githubDockerActionFile } from "./analysis/github-action.js";
import { emit } from "./emit/emit.js";
import { rejectBrokenJsonCopy, rejectMissingSources, rejectUnparseable, rejectUnstartable } from "./validate/input.js";
import { assertValidOutput } from "./validate/output.js";
import { rejectGunicornWithUvicornOptions } from "./validate/gunicorn-options.js";
import { programsPythonLibrariesRun } from "./transforms/python/library-programs.js";
import { programsPythonCodeRuns } from "./transforms/python/programs-run.js";
import { programsGoCodeRuns } from "./transforms/go/programs-run.js";
import { rejectRemovedAlpinePackages } from "./validate/alpine-removed-packages.js";
import { rejectRemovedAptPackages } from "./validate/removed-apt-packages.js";
import { rejectArchivedReleaseUpdate } from "./validate/archived-release.js";
import { rejectProcessSubstitution } from "./validate/process-substitution.js";
import { rejectUnrunnableStartScript } from "./validate/start-script.js";
import { rejectRemovedDownloads } from "./validate/removed-downloads.js";
import { rejectDeadRegistryCommand } from "./validate/dead-registry.js";
import { rejectMissingSourcesList } from "./validate/missing-sources-list.js";
import { rejectAptUpgradePrompt } from "./validate/apt-upgrade-prompt.js";
import { rejectBuildTimeMigration } from "./validate/build-time-migration.js";
import { rejectAptKeyOnTrixie } from "./validate/apt-key-removed.js";
import { rejectTailwindCliFromV4 } from "./validate/tailwind-cli.js";
import { rejectAdduserOnTrixieSlim, rejectMissingDebianPackages } from "./validate/debian-missing-packages.js";
import { rejectDjangoSettingsAtBuild } from "./validate/django-settings-at-build.js";
import { argsOf, parseDockerfile, type ParsedDockerfile } from "./parser/document.js";
import { Report, type Note } from "./report.js";
import { assemble } from "./transforms/assemble.js";
import { runtimeCommandText } from "./transforms/common/runtime-text.js";
import { splitOsPackages } from "./transforms/common/os-packages.js";
import { passFor } from "./transforms/passes.js";
import type { ConvertOptions, ResolvedOptions } from "./transforms/types.js";
import { estimateSize, type SizeEstimate } from "./transforms/common/size-estimate.js";

export interface StageSummary {
  name: string;
  role: string;
  from: string;
}

export interface ConvertResult {
  /** converted: a new multi-stage Dockerfile; unchanged: the input was already multi-stage. */
  status: "converted" | "unchanged";
  dockerfile: string;
  stack: Stack | null;
  stages: StageSummary[];
  notes: Note[];
  estimate?: SizeEstimate;
}

export function resolveOptions(options: ConvertOptions = {}): ResolvedOptions {
  return {
    tests: options.tests ?? "gate",
    runtime: options.runtime ?? "auto",
    dev: options.dev ?? options.selectByArg !== undefined,
    cache: options.cache ?? false,
    splitDeps: options.splitDeps ?? false,
    dropSecretEnv: options.dropSecretEnv ?? false,
    nodeEnvProduction: options.nodeEnvProduction ?? false,
    ...(options.selectByArg ? { selectByArg: options.selectByArg } : {}),
  };
}

/** Set on msb's reruns of its own rewrites of the original, so each rewrite happens once. */
interface InternalOptions {
  movedUnderWorkdir?: boolean;
  goRunBuilt?: boolean;
  branchChosen?: boolean;
  /** The bash -c choice the rerun restores around the branch it converts. */
  keptBranch?: ChosenBranch;
}

/**
 * Converts msb's own rewrite of the original, which inserted one line at `inserted` (1-based): notes and
 * errors name the original's lines (later lines back by one). Dockerfile lines only: `docker-compose.yml
 * line 5` names another file's. `alsoMap` rewords what else the rewrite put into messages.
 */
function convertRewrite(rewritten: string, options: ConvertOptions & InternalOptions, inserted: number, alsoMap: (message: string) => string = (m) => m): ConvertResult {
  const originalLines = (message: string) => alsoMap(message.replace(/(?<![\w-]\.\w{1,5} )\bline (\d+)/g, (m, n: string) => (Number(n) > inserted ? `line ${Number(n) - 1}` : m)));
  let result: ConvertResult;
  try {
    result = convert(rewritten, options);
  } catch (error) {
    if (error instanceof MsbError) throw new MsbError(error.kind, originalLines(error.message));
    throw error;
  }
  for (const note of result.notes) note.message = originalLines(note.message);
  return result;
}

/**
 * A start command that compiles with `go run` is converted as if the Dockerfile built that binary
 * just before it (the line msb inserts) and started it.
 */
function convertWithGoRunBuilt(text: string, eol: string, plan: GoRunBuild, options: ConvertOptions & InternalOptions): ConvertResult {
  if (plan.reuses) {
    const started = convertRewrite(withGoRunBuilt(text, plan, eol), { ...options, goRunBuilt: true }, Number.POSITIVE_INFINITY);
    started.notes.unshift({ level: "info", message: `line ${plan.line + 1}: the start command compiles the program with go run each time the container starts; \`${plan.reuses}\` already builds that program, so the runtime starts ${plan.binary}` });
    return started;
  }
  const inserted = plan.line + 1;
  const buildCommand = plan.build.replace(/^RUN /, "");
  const built = convertRewrite(withGoRunBuilt(text, plan, eol), { ...options, goRunBuilt: true }, inserted, (message) => message.replaceAll(`\`${buildCommand}\``, `\`${plan.original}\` (built as \`${buildCommand}\`)`));
  built.notes.unshift({ level: "info", message: `line ${inserted}: the start command compiles the program with go run each time the container starts; the build stage builds it instead with ${buildCommand} (plus the flags msb gives any go build) and the runtime starts ${plan.binary}` });
  return built;
}

/**
 * Converts single-stage Dockerfile text into a multi-stage build. Pure: reads files only through
 * `options.context`. Throws MsbError for unusable input (exit 2) and unsupported stacks (exit 3).
 */
export function convert(text: string, options: ConvertOptions & InternalOptions = {}): ConvertResult {
  const doc = parseDockerfile(text);
  // the moved-app rerun parses msb's own rewrite of text already checked
  if (!options.movedUnderWorkdir) rejectUnparseable(text, doc);
  const report = new Report();
  if (doc.fromCount > 1) {
    report.info(`already a multi-stage build (${doc.fromCount} stages); nothing to change`);
    return { status: "unchanged", dockerfile: text, stack: null, stages: [], notes: report.notes };
  }
  const context = options.context ?? emptyContext;
  if (!context.known) report.assume("no build context was given; nothing is known about the project's files");
  const facts = gatherFacts(doc, context);
  rejectBrokenJsonCopy(facts);
  const contextEvident = rejectMissingSources(facts, context, options.explicitContext ?? false, report);
  const branch = options.branchChosen ? undefined : buildArgBranch(text, facts, doc.eol);
  if (branch) {
    const { rewritten, variable, value, ...kept } = branch;
    const chosen = convertRewrite(rewritten, { ...options, branchChosen: true, keptBranch: kept }, Number.POSITIVE_INFINITY);
    // kept: the output still holds the script's test, which msb leaves as written up to its `then`
    const test = /^[\s\S]*?;\s*then\b/.exec(branch.original)?.[0];
    if (test !== undefined && chosen.dockerfile.includes(test)) return chosen;
    // the other branch could not follow the converted one: a compose build passing the argument would build what the conversion lost
    const passed = composeBuildArgs(context, variable)[0];
    if (passed) throw unsupported(`line ${branch.line}: its shell script chooses between \`${branch.chosen}\` and \`${branch.other}\` by the build argument ${variable}, which ${passed.file} line ${passed.line} sets (${passed.value}); msb converts only the branch a default build takes, and that compose build may take the other (keep the original Dockerfile for it)`);
    chosen.notes.unshift({ level: "warning", message: `line ${branch.line}: its shell script chooses between two commands by ${variable}, which a default build sets to ${value === "" ? "nothing" : `"${value}"`}; msb converts \`${branch.chosen}\` in the script's place, as it converts any such install, so --build-arg ${variable} no longer selects \`${branch.other}\`` });
    return chosen;
  }
  if (!options.movedUnderWorkdir && appMovesUnderWorkdir(facts)) {
    // the WORKDIR inserted after FROM shifts later lines by one
    const inserted = facts.fromIns.startLine + facts.fromIns.text.split(/\r?\n/).length + 1;
    const moved = convertRewrite(withWorkdirAfterFrom(text, facts, doc.eol), { ...options, movedUnderWorkdir: true }, inserted);
    const workdirs = facts.body.filter((e) => e.keyword === "WORKDIR");
    const later = workdirs.map((e) => argsOf(e.ins).trim());
    // `WORKDIR $APP_HOME` holding `.` is / as the original runs it
    const resolved = workdirs.map((e) => workdirAfter(facts, facts.body.indexOf(e)));
    const why = later.length === 0 ? "no WORKDIR: the original copies the application into /"
      : later.every((w, i) => /^\/(\.\/?)?$/.test(w) || resolved[i] === "/") ? `WORKDIR ${later[0]}${/^\/(\.\/?)?$/.test(later[0]!) ? "" : " (which is /)"}: the original copies the application into /`
      : `the original copies the application into / before its WORKDIR ${later.join(", ")}`;
    const laterMoved = [
      ...later.filter((w) => w.startsWith("/")).map((w) => `${w} becomes ${/^\/(\.\/?)?$/.test(w) ? movedAppDir : `${movedAppDir}${w}`}`),
      ...movedReferences(facts).map((name) => `/${name} becomes ${movedAppDir}/${name}`),
    ];
    moved.notes.unshift({ level: "warning", message: `${why}; msb moves it to ${movedAppDir} (WORKDIR ${movedAppDir} after FROM${laterMoved.length > 0 ? `; ${laterMoved.join(", ")}` : ""}) so the runtime can copy it apart from the system files` });
    return moved;
  }
  const goRun = options.goRunBuilt ? undefined : goRunBuild(facts);
  if (goRun) return convertWithGoRunBuilt(text, doc.eol, goRun, options);
  rejectUnstartable(facts);
  rejectUserNeverCreated(facts);
  rejectGunicornWithUvicornOptions(facts);
  if (contextEvident) rejectUnrunnableStartScript(facts, context);
  rejectArchivedReleaseUpdate(facts);
  rejectMissingSourcesList(facts);
  rejectRemovedAlpinePackages(facts);
  rejectRemovedAptPackages(facts);
  rejectMissingDebianPackages(facts);
  rejectAptKeyOnTrixie(facts);
  if (contextEvident) rejectTailwindCliFromV4(facts, context);
  rejectAdduserOnTrixieSlim(facts);
  rejectProcessSubstitution(facts);
  rejectRemovedDownloads(facts);
  rejectDeadRegistryCommand(facts);
  rejectAptUpgradePrompt(facts);
  if (contextEvident) rejectBuildTimeMigration(facts, context);
  if (contextEvident) rejectDjangoSettingsAtBuild(facts, context);
  refuseAppSpanningRoot(facts);
  refuseContinuedWorkdir(facts);
  refuseUnconvertibleImage(facts);
  const refusal = refusalOf(() => refuseRootProcesses(facts));
  if (refusal) {
    // an input that cannot build is rejected, not refused: the checks after the refusal may still find why it cannot build
    try {
      convertChecked(doc, facts, context, contextEvident, options, report);
    } catch (error) {
      if (error instanceof MsbError && error.kind === "unusable") throw error;
    }
    throw refusal;
  }
  return convertChecked(doc, facts, context, contextEvident, options, report);
}

/** The refusal (exit 3) the checks throw, if any. */
function refusalOf(checks: () => void): MsbError | undefined {
  try {
    checks();
    return undefined;
  } catch (error) {
    if (error instanceof MsbError && error.kind === "unsupported") return error;
    throw error;
  }
}

/** The conversion of an image msb does not refuse outright: the stack's pass, its plan and the printed file. */
function convertChecked(doc: ParsedDockerfile, facts: Facts, context: BuildContext, contextEvident: boolean, options: ConvertOptions & InternalOptions, report: Report): ConvertResult {
  const drop = privilegeDrop(facts, context);
  if (drop) facts.userSwitchTool = drop.tool;
  if (drop && !drop.createdAtStart && !drop.numericIds) {
    const setup = originalUserSetup(facts);
    if (!drop.user || !setup || !new RegExp(`(^|[\\s:])${drop.user.replace(/[.]/g, "\\.")}($|[\\s:])`).test(setup)) {
      throw unsupported(`${drop.where} drops privileges itself with ${drop.tool}${drop.user ? ` to ${drop.user}, a user no step of the Dockerfile creates` : ""}, so the container must start as root; msb cannot run it under a non-root USER (the switch would fail) and cannot tell which user to create in the runtime`);
    }
    facts.switchedUser = drop.user;
  }
  if (startsSupervisord(facts)) report.info("supervisord's configuration runs no program as another user and writes only to the standard streams, /tmp or the WORKDIR: its programs run as the runtime user");
  if (!facts.body.some((e) => e.run || e.copy)) throw unsupported("has no RUN, COPY or ADD step: there is no build to separate from the runtime");
  const detection = detectStack(facts);
  report.info(`detected a ${detection.stack} project: ${detection.reasons.join("; ")}`);
  const resolved = resolveOptions(options);
  const runtimeText = runtimeCommandText(facts, context);
  const actionFile = githubDockerActionFile(context);
  const rootRequired = actionFile
    ? `${actionFile} makes this a GitHub Docker container action, which GitHub runs as root (a USER breaks its access to the workspace)`
    : drop?.numericIds ? `${drop.where} drops privileges to the ids ${drop.numericIds} with ${drop.tool} when the container starts, which only a process started as root can do`
    : drop?.createdAtStart ? `${drop.where} creates the user ${drop.user} and drops privileges to it with ${drop.tool} when the container starts, which only a process started as root can do`
    : drop ? `${drop.where} drops privileges itself with ${drop.tool} to ${drop.user}, which only a process started as root can do; the runtime creates ${drop.user} as the original does`
    : rootRequiredByDeployment(context, facts, detection.stack, runtimeText);
  const started = programsTheAppRuns(detection.stack, context);
  const osPackages = splitOsPackages(facts, runtimeText, detection.stack, started);
  const keptForPrograms = started.filter((p) => osPackages?.runtime.some((pkg) => pkg.replace(/[=<>].*$/, "") === p));
  if (keptForPrograms.length > 0) report.info(`the application starts ${keptForPrograms.join(", ")}: the OS package${keptForPrograms.length > 1 ? "s" : ""} of that name stay${keptForPrograms.length > 1 ? "" : "s"} in the runtime`);
  const input = { facts, detection, options: resolved, report, context, contextEvident, runtimeText, osPackages, programsAppRuns: started, ...(rootRequired ? { rootRequired } : {}), ...(options.movedUnderWorkdir ? { movedFromRoot: true } : {}) };
  const decision = passFor(detection.stack).plan(input);
  let plan = assemble(input, decision);
  const withBranch = options.keptBranch && withBranchKept(plan, options.keptBranch);
  if (withBranch && options.keptBranch) {
    plan = withBranch;
    report.info(`line ${options.keptBranch.line}: the build argument still chooses between the two branches of its shell script; msb converted the one a default build takes (\`${options.keptBranch.chosen}\`) and changed the other alike`);
  }
  const dockerfile = emit(plan, { eol: doc.eol, bom: doc.bom, escape: doc.escape });
  if (options.validateOutput !== false) assertValidOutput(dockerfile);
  const stages = plan.stages.map((s) => ({ name: s.name, role: s.role, from: s.from.replace(/^FROM\s+/i, "").replace(/\s+AS\s+\S+$/i, "") }));
  const estimate = estimateSize(facts.resolvedImage, decision.runtimeImage);
  if (estimate) report.info(`estimated base image size: ${estimate.originalMb} MB → ${estimate.runtimeMb} MB (published compressed sizes; an estimate, not a measurement)`);
  return { status: "converted", dockerfile, stack: detection.stack, stages, notes: report.notes, ...(estimate ? { estimate } : {}) };
}

/** Programs the application starts at run time by name: an OS package of that name stays in the runtime. */
function programsTheAppRuns(stack: Stack, context: BuildContext): string[] {
  if (stack === "python") return [...new Set([...programsPythonLibrariesRun(context), ...programsPythonCodeRuns(context)])];
  if (stack === "go") return programsGoCodeRuns(context);
  return [];
}
