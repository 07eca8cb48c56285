import { composeTagShadowsBaseWarning } from "./common/compose-tag-shadows-base.js";
import { Keyword } from "dockerfile-ast";
import { envPairs, workdirAfter, type InstructionFacts } from "../analysis/facts.js";
import { argsOf } from "../parser/document.js";
import { added, kept, type PlanLine, type PlanStage, type StagePlan } from "../plan/types.js";
import { installCommand } from "./common/os-packages.js";
import { fullImageTools } from "./common/base-images.js";
import { isOfficialImage, parseImageRef, substitute } from "../analysis/image-ref.js";
import { archivedDebianRelease, mayBeArchivedDebianRelease } from "../validate/archived-release.js";
import { pathsOutsideWorkdir } from "./common/app-roots.js";
import { thirdPartyAptSourceLine } from "./common/third-party-apt.js";
import { carriedAptSourcesDir, copyAptSourcesLine, gatherAptSourcesStep, installWithCarriedSources } from "./common/apt-sources-carried.js";
import { pathsWrittenByBuild, within, type WrittenPaths } from "./common/written-paths.js";
import { runText, withCacheMounts } from "./common/run-text.js";
import { envWithout, looksSecret } from "./common/secrets.js";
import { splitTests } from "./common/tests.js";
import type { PassInput, StackDecision } from "./types.js";
import { unsupported } from "../errors.js";
import { execForm } from "./common/exec-form.js";
import { copyTestMarker, testMarkerComment, writeTestMarker } from "./common/test-gate.js";
import { copyFromStage } from "./common/copy-instruction.js";
import { gidOf, isRootUser, ownerOf, uidOf } from "./common/user.js";
import { privilegedPortsWarning } from "./common/privileged-ports.js";
import { runtimeHomeInsteadOfRoot } from "./common/runtime-home.js";
import { bindMountsWarning, flyVolumeRefusal, movedMountsWarning, rootOnlyMountsWarning } from "./common/bind-mounts.js";
import { composeBuildTargets, composeBindMountDirectories, composeNamedVolumeTargets } from "../analysis/compose.js";
import { kubernetesVolumeMounts } from "../analysis/kubernetes-volumes.js";
import { ownedMkdir } from "./common/owned-directories.js";
import { topLevel } from "../analysis/context.js";
import { movedAppDir } from "./common/root-workdir.js";

const runtimeOnlyKeywords = new Set<string>([Keyword.CMD, Keyword.ENTRYPOINT, Keyword.EXPOSE, Keyword.HEALTHCHECK, Keyword.STOPSIGNAL, Keyword.VOLUME, Keyword.LABEL, Keyword.MAINTAINER, Keyword.ONBUILD]);
const startKeywords = new Set<string>([Keyword.CMD, Keyword.ENTRYPOINT]);

function isRuntimeOnly(entry: InstructionFacts): boolean {
  return runtimeOnlyKeywords.has(entry.keyword) || (entry.keyword === Keyword.USER && !entry.beforeLastBuildStep);
}

/** Builds the stage plan from the original instructions and a stack pass's decision. */
export function assemble(input: PassInput, decision: StackDecision): StagePlan {
  const { facts, options, report } = input;
  const build = buildAndTestLines(input, decision);
  const stages: PlanStage[] = [];
  if (options.splitDeps && build.depsEnd > 0 && build.depsEnd < build.lines.length) {
    stages.push({ name: "deps", role: "build", from: fromAs(facts.fromIns.text, "deps"), leading: facts.fromIns.leading, lines: build.lines.slice(0, build.depsEnd) });
    stages.push({ name: "build", role: "build", from: "FROM deps AS build", leading: [], lines: build.lines.slice(build.depsEnd) });
    build.lines = stages[1]!.lines;
    report.info("dependencies are installed in a deps stage of their own (docker build --target deps)");
  } else {
    stages.push({ name: "build", role: "build", from: fromAs(facts.fromIns.text, "build"), leading: facts.fromIns.leading, lines: build.lines });
  }

  const source = "build";
  let testGate = false;
  if (build.testLines.length > 0) {
    const gate = options.tests === "gate";
    const comment = gate
      ? "# Tests run in a stage of their own; a plain build still runs them and fails when they fail."
      : "# Tests run only when asked for: docker build --target test .";
    const lines = [...build.testLines];
    if (gate) lines.push(added(writeTestMarker));
    stages.push({ name: "test", role: "test", from: "FROM build AS test", leading: [comment], lines });
    testGate = gate;
    report.info(gate ? "tests moved to the test stage; the runtime copies only its pass marker, so a plain build runs them and no test artefact ships" : "tests moved to the test stage; run them with --target test");
  }
  let appSource = source;
  if (decision.pruneStep) {
    if (build.testLines.length > 0 || options.dev || options.selectByArg) {
      stages.push({ name: "prune", role: "prune", from: `FROM ${source} AS prune`, leading: ["# Only production dependencies go on to the runtime."], lines: build.buildUser ? [added("USER root"), added(decision.pruneStep)] : [added(decision.pruneStep)] });
      appSource = "prune";
    } else {
      build.lines.push(...asRoot([added(decision.pruneStep)], build.buildUser));
    }
  }
  // the original's stage name goes to the stage that is the image now (`docker build --target app`, compose's `target: app`)
  const originalName = /\s+as\s+(\S+)\s*$/i.exec(facts.fromIns.text)?.[1];
  // a name that says build (builder, build-stage) would mislabel the runtime, unless compose builds that target
  const keepsName = originalName !== undefined && !stages.some((s) => s.name === originalName.toLowerCase()) && !["deps", "build", "test", "prune", "development"].includes(originalName.toLowerCase())
    && (!/build|compil/i.test(originalName) || composeBuildTargets(input.context).includes(originalName));
  const finalName = options.dev || options.selectByArg ? "production" : keepsName ? originalName : "runtime";
  if (keepsName && finalName === originalName) report.info(`the runtime stage keeps the original's stage name ${originalName}, so --target ${originalName} still builds the image that runs`);
  if (options.dev || options.selectByArg) {
    stages.push({
      name: "development",
      role: "development",
      from: "FROM build AS development",
      leading: ["# Development image with all dependencies: docker build --target development ."],
      lines: [added(decision.devCommand ?? startLine(facts))],
    });
  }
  const runtime = runtimeLines(input, decision, appSource, testGate);
  if (runtime.some((l) => l.kind === "new" && l.text === copyAptSourcesLine(appSource))) build.lines.push(...asRoot([added(gatherAptSourcesStep(), "the package sources and keys this build added, for the runtime's apt")], build.buildUser));
  volumeMountPoints(input, decision, appSource, build, runtime);
  // made in the build stage, as its user: the runtime's copy of the application carries the link
  const links = input.rootRequired || decision.family === "distroless" ? undefined : linksFromMovedApp(input, [...mountPoints(input).keys()].filter((v) => v.startsWith("/")));
  if (links) build.lines.push(...asRoot([added(links)], build.buildUser));
  if (!runtime.some((l) => l.kind === "new" && l.text.startsWith(`COPY --from=${appSource} `) && !l.text.includes(carriedAptSourcesDir))) {
    throw unsupported("builds nothing that the runtime would copy (no application files or build output); there is nothing to separate");
  }
  stages.push({ name: finalName, role: "runtime", from: `FROM ${decision.runtimeImage} AS ${finalName}`, leading: [], lines: runtime });
  const lowPorts = input.rootRequired ? undefined : privilegedPortsWarning(facts);
  if (lowPorts) report.warn(lowPorts);
  const originalRoot = facts.user === undefined || isRootUser(facts.user);
  const binds = input.rootRequired || !originalRoot ? undefined : bindMountsWarning(input.context, decision.user, facts.finalWorkdir, input.movedFromRoot ? movedAppDir : undefined);
  if (binds) report.warn(binds);
  const movedMounts = input.movedFromRoot ? movedMountsWarning(input.context, movedAppDir) : undefined;
  if (movedMounts) report.warn(movedMounts);
  const rootOnly = input.rootRequired || !originalRoot ? undefined : rootOnlyMountsWarning(input.context, decision.user.name);
  if (rootOnly) report.warn(rootOnly);
  const shadowed = composeTagShadowsBaseWarning(input.context, facts.resolvedImage);
  if (shadowed) report.warn(shadowed);
  const fly = input.rootRequired || !originalRoot ? undefined : flyVolumeRefusal(input.context, decision.user);
  if (fly) throw unsupported(fly);

  const preamble: PlanLine[] = facts.doc.preamble.map((ins) => kept(ins));
  if (options.selectByArg) {
    preamble.push(added(`ARG ${options.selectByArg}=production`));
    stages.push({ name: "final", role: "select", from: `FROM \${${options.selectByArg}} AS final`, leading: [`# Selects the final image: --build-arg ${options.selectByArg}=development`], lines: [] });
  }
  const directives = [...facts.doc.directives];
  if (options.cache && !directives.some((d) => /^#\s*syntax\s*=/i.test(d))) directives.unshift("# syntax=docker/dockerfile:1");
  return { directives, preamble, stages, trailing: facts.doc.trailing };
}

/**
 * A VOLUME the image does not have is created root's when the container starts, so the runtime user
 * could not write there; a runtime without a shell (distroless) gets it made in the build stage and
 * copied with the user as owner (images with a shell make it in their setup lines).
 */
function volumeMountPoints(input: PassInput, decision: StackDecision, source: string, build: { lines: PlanLine[]; buildUser: string | undefined }, runtime: PlanLine[]): void {
  if (decision.family !== "distroless" || input.rootRequired) return;
  const copies = runtime.flatMap((l) => (l.kind === "new" && l.text.startsWith("COPY --from=") ? [destinationOf(l.text).replace(/(.)\/$/, "$1")] : []));
  const points = mountPoints(input);
  const missing = [...points.keys()].filter((v) => /^\/[\w./-]+$/.test(v) && v !== "/" && !copies.some((c) => c === v || v.startsWith(`${c}/`)));
  if (missing.length === 0) return;
  build.lines.push(...asRoot([added(`RUN mkdir -p ${missing.join(" ")}`)], build.buildUser));
  const lastCopy = runtime.map((l) => l.kind === "new" && l.text.startsWith("COPY --from=")).lastIndexOf(true);
  runtime.splice(lastCopy + 1, 0, ...missing.map((v) => added(copyFromStage(source, v, v, ownerOf(decision.user)))));
  input.report.info(`${missing.map((v) => points.get(v)).join(", ")} created in the image owned by ${decision.user.name}: a mount point the image lacks is made root's when the container starts`);
}

/**
 * An application msb moved out of `/` reached a mount at `/logs` by its relative path `logs/`: the
 * moved application's `logs` links to it, so it still writes into the volume. Mounts the build context
 * has an entry of that name for are the application's own files and moved with it.
 */
function linksFromMovedApp(input: PassInput, volumes: string[]): string | undefined {
  if (!input.movedFromRoot) return undefined;
  const names = new Set(topLevel(input.context).map((p) => p.replace(/\/$/, "")));
  const linked = volumes.filter((v) => /^\/[\w.-]+$/.test(v) && !names.has(v.slice(1)) && v !== movedAppDir);
  if (linked.length === 0) return undefined;
  input.report.info(`the original ran in /, where the app's relative ${linked.map((v) => `${v.slice(1)}/`).join(", ")} ${linked.length > 1 ? "were the mounts" : "was the mount"} at ${linked.join(", ")}; ${linked.map((v) => `${movedAppDir}${v}`).join(", ")} ${linked.length > 1 ? "link" : "links"} there`);
  // in place of an empty directory of that name the context may bring (`logs/*` ignored, `logs/` not); the
  // mount point exists in the build stage too, for the tests
  return `RUN mkdir -p ${linked.join(" ")} && ${linked.map((v) => `rm -rf ${movedAppDir}${v} && ln -s ${v} ${movedAppDir}${v}`).join(" && ")}`;
}

/**
 * The image's VOLUMEs and the directories compose and Kubernetes mount volumes at (all start as the
 * image's directory), each with what mounts it, as the report names it.
 */
function mountPoints(input: PassInput): Map<string, string> {
  const workdir = input.facts.finalWorkdir;
  // under the WORKDIR, which is the runtime user's, the app makes its bind-mounted directories itself
  const bound = composeBindMountDirectories(input.context).filter((t) => workdir === "/" || !within(t, workdir));
  // a pod's volume is this app's when it lies in the app's directory or the Dockerfile names it
  const pod = kubernetesMountPoints(input.context).filter((p) => (workdir !== "/" && within(p, workdir)) || input.facts.body.some((e) => e.ins.text.includes(p)));
  const found = new Map<string, string>();
  const add = (paths: readonly string[], label: (path: string) => string) => { for (const p of paths) if (!found.has(p)) found.set(p, label(p)); };
  add(input.facts.volumes, (v) => `VOLUME ${v}`);
  add(composeNamedVolumeTargets(input.context), (v) => `compose's named volume at ${v}`);
  add(bound, (v) => `compose's bind mount at ${v}`);
  add(pod, (v) => `the Kubernetes volume at ${v}`);
  return found;
}

/** The app's directories the context's Kubernetes workloads mount volumes at (system directories left out). */
function kubernetesMountPoints(context: PassInput["context"]): string[] {
  return kubernetesVolumeMounts(context).map((m) => m.path).filter((p) => !/^\/(etc|bin|sbin|lib|lib64|proc|sys|dev|run|tmp|var\/run|var\/tmp)(\/|$)|^\/usr(\/(?!src\/)|$)|^\/$/.test(p));
}

function fromAs(text: string, name: string): string {
  const named = /(\s+)(as)(\s+)(\S+)\s*$/i.exec(text);
  if (named) return `${text.slice(0, named.index)}${named[1]}${named[2]}${named[3]}${name}`;
  return `${text.replace(/\s+$/, "")} AS ${name}`;
}

function startLine(input: PassInput["facts"]): string {
  return input.cmd ? `CMD ${input.cmd.form === "exec" ? execForm(input.cmd.argv) : input.cmd.shell}` : "CMD []";
}

/** Added RUN steps wrapped in `USER root` … `USER <user>` while the build runs as a non-root user. */
function asRoot(lines: PlanLine[], user: string | undefined): PlanLine[] {
  if (!user || !lines.some((l) => l.kind === "new" && /^RUN\b/.test(l.text))) return lines;
  return [added("USER root"), ...lines, added(`USER ${user}`)];
}

function buildAndTestLines(input: PassInput, decision: StackDecision): { lines: PlanLine[]; testLines: PlanLine[]; depsEnd: number; buildUser: string | undefined } {
  const { facts, options, report } = input;
  const lines: PlanLine[] = [...(decision.buildInserts.get(-1) ?? [])];
  const testLines: PlanLine[] = [];
  let depsEnd = 0;
  const order = facts.body.map((_, i) => i).filter((i) => !decision.moves.has(i));
  for (const [moved, before] of decision.moves) order.splice(order.indexOf(before), 0, moved);
  // lines inserted "before index k" go in before the first instruction, in output order, that stands
  // at k or later; a moved instruction stands where it moved to, so inserts before its old place
  // (a build step after the sources, the install having moved ahead of them) are not lost
  const pendingInserts = [...decision.buildInserts.keys()].filter((k) => k >= 0 && k < facts.body.length).sort((a, b) => a - b);
  // the USER in force in the build stage: steps msb adds run as root, as the original's own
  // installs did, since a non-root user cannot write into the root-owned WORKDIR or node_modules
  let buildUser: string | undefined;
  const insertUpTo = (position: number) => {
    while (pendingInserts.length > 0 && pendingInserts[0]! <= position) lines.push(...asRoot(decision.buildInserts.get(pendingInserts.shift()!) ?? [], buildUser));
  };
  order.forEach((i) => {
    const entry = facts.body[i]!;
    insertUpTo(decision.moves.get(i) ?? i);
    if (entry.keyword === Keyword.USER && !isRuntimeOnly(entry)) {
      const user = argsOf(entry.ins).trim();
      buildUser = isRootUser(user) ? undefined : user;
    }
    if (isRuntimeOnly(entry)) return;
    if (decision.omit?.has(i)) {
      lines.push(...leadingOnly(entry));
      return;
    }
    const rewrites = decision.segmentRewrites.get(i);
    const cache = options.cache ? decision.cacheTargets.get(i) ?? [] : [];
    if (entry.run) {
      const split = splitTests(entry);
      const testWorkdir = entry.workdir !== facts.finalWorkdir ? [added(`WORKDIR ${entry.workdir}`)] : [];
      if (split.movesWhole) {
        testLines.push(...testWorkdir, kept(entry.ins));
        return;
      }
      if (split.head && split.tail) {
        lines.push(kept(entry.ins, true, withCacheMounts(runText(entry, rewrites, split.head), cache)));
        testLines.push(...testWorkdir, added(runText(entry, undefined, split.tail)));
        return;
      }
      if (split.inseparable) report.warn(`line ${entry.ins.startLine + 1}: tests are mixed with build commands and stay in the build stage`);
      const text = withCacheMounts(runText(entry, rewrites), cache);
      lines.push(text === entry.ins.text ? kept(entry.ins) : kept(entry.ins, true, text));
      if (entry.run.segments.length > 0 && entry.run.segments.every((s) => s.kind === "deps" || s.kind === "cd")) depsEnd = lines.length;
      return;
    }
    const rewritten = decision.instructionRewrites?.get(i);
    lines.push(rewritten === undefined ? kept(entry.ins) : kept(entry.ins, true, rewritten));
  });
  insertUpTo(facts.body.length - 1);
  // lines a pass adds after the last instruction (e.g. a build step after a final COPY)
  lines.push(...asRoot(decision.buildInserts.get(facts.body.length) ?? [], buildUser));
  return { lines, testLines, depsEnd, buildUser };
}

const workdirOwnerComment = "# USER before WORKDIR: the working directory is created owned by the user the app runs as.";

function runtimeLines(input: PassInput, decision: StackDecision, source: string, testGate: boolean): PlanLine[] {
  const { facts, report, context, options } = input;
  const out: PlanLine[] = [];
  const runtimeConfig = facts.body.filter(isRuntimeOnly);
  // ARGs the runtime's own lines read: its config, and setup lines taken from the original (a
  // `groupadd -g "${GID}"` without its ARG in the runtime stage would get an empty value)
  const configText = [
    ...runtimeConfig.map((e) => e.ins.text),
    ...facts.body.filter((e) => e.keyword === Keyword.ENV || e.keyword === Keyword.WORKDIR).map((e) => e.ins.text),
    decision.user.create ?? "",
    ...decision.runtimeSetup,
    // the build arguments a conditional install tests are declared in the runtime too
    ...(decision.installsRuntimePackages ? (input.osPackages?.conditional ?? []).map((c) => c.condition) : []),
  ].join("\n");

  for (const entry of facts.body) {
    if (entry.keyword === Keyword.ENV) {
      const secret = Object.keys(envPairs(entry.ins)).filter(looksSecret);
      if (secret.length === 0) {
        out.push(kept(entry.ins, false));
      } else if (!options.dropSecretEnv) {
        report.warn(`ENV ${secret.join(", ")} looks like a secret; kept in the runtime image as in the original (the app may read it); --drop-secret-env leaves it out`);
        out.push(kept(entry.ins, false));
      } else {
        report.warn(`ENV ${secret.join(", ")} looks like a secret and is left out of the runtime image (--drop-secret-env); pass it at run time`);
        const rest = envWithout(entry.ins, looksSecret);
        if (rest !== undefined) out.push(added(rest));
      }
    } else if (entry.keyword === Keyword.ARG) {
      const name = argsOf(entry.ins).split("=")[0]!.trim();
      if (looksSecret(name)) {
        const reference = new RegExp(`\\$\\{?${name}\\b`);
        const carriedByEnv = facts.body.some((e) => e.keyword === Keyword.ENV && reference.test(e.ins.text) && !(options.dropSecretEnv && Object.keys(envPairs(e.ins)).every(looksSecret)));
        if (!carriedByEnv) {
          report.warn(`ARG ${name} looks like a secret; it stays out of the runtime stage`);
          continue;
        }
        // the original image had its value through that ENV; dropping only the ARG would empty the ENV
      }
      if (new RegExp(`\\$\\{?${name}\\b`).test(configText)) out.push(kept(entry.ins, false));
    }
  }
  out.push(...decision.runtimeEnv.map((t) => added(t)));

  const setup: string[] = [];
  if (decision.installsRuntimePackages) {
    const packages = input.osPackages;
    if (packages) {
      if (packages.buildOnly.length > 0) report.info(`build-only OS packages left in the build stage: ${packages.buildOnly.join(", ")}`);
      if (packages.unmappedHeaders.length > 0) report.assume(`kept ${packages.unmappedHeaders.join(", ")} in the runtime: msb does not know which runtime library they provide`);
    }
    const originalRuntime = decision.osRuntimePackages ?? packages?.runtime ?? [];
    const tools = toolsFromFullImage(input, decision, originalRuntime);
    const manager = decision.family === "alpine" ? "apk" : "apt";
    const own = [...tools, ...(decision.runtimePackages ?? []).filter((p) => !originalRuntime.includes(p) && !tools.includes(p))];
    const runtimePackages = packages && packages.manager === manager ? [...originalRuntime, ...own] : originalRuntime;
    const oldRelease = manager === "apt" && mayBeArchivedDebianRelease(parseImageRef(substitute(decision.runtimeImage, facts.globalArgs)));
    if (runtimePackages.length > 0) {
      const sourceLine = originalRuntime.length > 0 && manager === "apt" && packages?.manager === "apt" ? thirdPartyAptSourceLine(facts) : undefined;
      const recommends = packages?.manager === manager && packages.recommends;
      if (sourceLine) {
        setup.push(copyAptSourcesLine(source), installWithCarriedSources(runtimePackages, oldRelease, recommends, /\bACCEPT_EULA=["']?Y/i.test(facts.body.map((e) => e.ins.text).join("\n"))));
        report.info(`line ${sourceLine} adds a package source of its own: its source lists and keys are carried into the runtime, which installs ${originalRuntime.join(", ")} from the same sources`);
      } else {
        setup.push(installCommand(packages?.manager ?? manager, runtimePackages, oldRelease, recommends));
      }
      report.info(`runtime OS packages: ${runtimePackages.join(", ")}`);
    }
    if (own.length > 0 && (!packages || packages.manager !== manager)) setup.push(installCommand(manager, own, oldRelease));
    for (const { condition, packages: names } of packages?.conditional ?? []) {
      if (packages!.manager !== manager) {
        report.warn(`${names.join(", ")}, installed by the original only when \`${condition}\` holds, ${names.length > 1 ? "are" : "is"} not installed in the ${decision.runtimeImage} runtime, whose package manager differs`);
        continue;
      }
      setup.push(`RUN ${condition}; then ${installCommand(manager, names, oldRelease).replace(/^RUN /, "")}; fi`);
      report.info(`runtime OS packages installed only when \`${condition}\` holds, as in the original: ${names.join(", ")}`);
    }
  }
  setup.push(...(decision.runtimeSetupFrom?.(source) ?? []));
  const owner = ownerOf(decision.user);
  // the user exists before any setup line hands it a directory; a runtime kept as root makes it only for a start script that switches to it
  const userUsed = !input.rootRequired || facts.switchedUser === decision.user.name || decision.runtimeSetup.some((line) => line.includes(owner));
  if (decision.user.create && userUsed) setup.push(decision.user.create);
  setup.push(...decision.runtimeSetup);
  const volumes = input.rootRequired ? facts.volumes.filter((v) => v.startsWith("/")) : [...mountPoints(input).keys()].filter((v) => v.startsWith("/"));
  // a third-party runtime image may have the app directory already (tiangolo's /app, root's): WORKDIR after
  // USER would leave it root's, so the runtime user is given it
  const appDir = decision.runtimeWorkdir ?? facts.finalWorkdir;
  const runtimeRef = parseImageRef(substitute(decision.runtimeImage, facts.globalArgs));
  const mayPreexist = !input.rootRequired && decision.user.create !== undefined && appDir !== "/" && !/[$\s]/.test(appDir) && !isOfficialImage(runtimeRef) && !/^(gcr\.io\/distroless|cgr\.dev|ghcr\.io\/astral-sh\/uv)[/:]/.test(decision.runtimeImage);
  // a volume inside the app directory hands it over already (ownedMkdir)
  const preexisting = mayPreexist && !volumes.some((v) => within(v, appDir)) ? [appDir] : [];
  // distroless has no shell: volumeMountPoints makes its mount points in the build stage
  const mountDirs = decision.family !== "distroless" ? volumes : [];
  if (preexisting.length + mountDirs.length > 0) setup.push(ownedMkdir([...preexisting, ...mountDirs], appDir, owner));
  if (preexisting.length > 0) report.info(`${decision.runtimeImage} is not an official image and may already have ${appDir} (root's): it is made and handed to ${decision.user.name} before USER`);
  if (mountDirs.length > 0) {
    const named = volumes.filter((v) => !facts.volumes.includes(v));
    const bound = new Set(composeBindMountDirectories(context));
    const kubernetes = new Set(kubernetesMountPoints(context));
    const composeNamed = new Set(composeNamedVolumeTargets(context));
    const namedVolumes = named.filter((v) => !bound.has(v) && composeNamed.has(v));
    const podVolumes = named.filter((v) => kubernetes.has(v) && !namedVolumes.includes(v) && !bound.has(v));
    if (podVolumes.length > 0) {
      const where = kubernetesVolumeMounts(context).filter((m) => podVolumes.includes(m.path)).slice(0, 3).map((m) => `${m.file} line ${m.line}`).join(", ");
      report.warn(`Kubernetes mounts volumes at ${podVolumes.join(", ")} (${where}): created in the image owned by ${decision.user.name}; a PersistentVolume keeps the owner it was made with, so give the pod \`securityContext.fsGroup\` ${gidOf(decision.user) ?? `the gid of ${decision.user.group ?? decision.user.name}`} for the non-root runtime to write there (fsGroup does not reach NFS volumes, and files the root-run original already wrote stay root's: chown them to ${gidOf(decision.user) ? `uid ${uidOf(decision.user) ?? decision.user.name}` : decision.user.name} once)`);
    }
    const bindTargets = named.filter((v) => bound.has(v));
    if (namedVolumes.length > 0) report.info(`compose mounts named volumes at ${namedVolumes.join(", ")}: created in the image owned by ${decision.user.name}, as a fresh named volume takes the owner of the image's directory (a volume the root-run original already wrote to stays root's: chown it to ${decision.user.name} once)`);
    if (bindTargets.length > 0) report.info(`compose bind-mounts host directories at ${bindTargets.join(", ")}, where the app writes: created in the image owned by ${decision.user.name}, so a run without those mounts can write there too`);
  }
  out.push(...[...new Set(setup)].map((t) => added(t)));

  // USER comes before WORKDIR and the copies: WORKDIR then creates the directory owned by the
  // runtime user, who can write there as the root-run original could (a COPY does not change the
  // owner of a directory that already exists, and WORKDIR run as root makes it root's).
  const keepsOriginalUser = facts.user !== undefined && facts.user.split(":")[0] === decision.user.name;
  // the original's own USER is kept as written; a numeric user msb picks is written with its group
  // (without one the engine would use group 0)
  const userLine = `USER ${keepsOriginalUser ? facts.user : decision.user.group === decision.user.name && !/^\d+$/.test(decision.user.name) ? decision.user.name : owner}`;
  const userEntries = runtimeConfig.filter((e) => e.keyword === Keyword.USER);
  const lastUser = userEntries[userEntries.length - 1];
  if (input.rootRequired) {
    for (const entry of userEntries) out.push(kept(entry));
    // distroless :nonroot images default to uid 65532; the original's root has to be asked for
    if (!lastUser && /[:-]nonroot$/.test(decision.runtimeImage)) out.push(added("USER root"));
    report.warn(`the runtime runs as ${lastUser ? argsOf(lastUser.ins).trim() : "root"}, as the original does: ${input.rootRequired}`);
    // the user a start script switches to owned the application in the original: WORKDIR, run as root, would make its directory root's
    const appDir = decision.runtimeWorkdir ?? facts.finalWorkdir;
    if (facts.switchedUser !== undefined && decision.user.name === facts.switchedUser && decision.user.ownsApp && appDir !== "/" && !appDir.includes("$")) {
      out.push(added(ownedMkdir([appDir], "/", ownerOf(decision.user))));
    }
  } else {
    for (const entry of userEntries.slice(0, -1)) out.push(...leadingOnly(entry));
    if (facts.body.some((e) => e.keyword === Keyword.WORKDIR)) out.push(added(workdirOwnerComment));
    if (lastUser && argsOf(lastUser.ins).trim() === userLine.slice(5)) out.push(kept(lastUser));
    else out.push(...(lastUser ? leadingOnly(lastUser) : []), added(userLine));
  }

  if (decision.runtimeWorkdir) out.push(added(`WORKDIR ${decision.runtimeWorkdir}`));
  else {
    facts.body.forEach((entry, i) => {
      if (entry.keyword !== Keyword.WORKDIR) return;
      // `WORKDIR $GOPATH/src/app`: the runtime image does not define the base image's variables (nor ARGs)
      const named = [...argsOf(entry.ins).matchAll(/\$\{?(\w+)/g)].map((m) => m[1]!);
      // `WORKDIR ./app` resolves against the image's own working directory: golang's /go is not alpine's /
      const relativeToImage = !/^["']?[/$]/.test(argsOf(entry.ins).trim()) && !facts.body.slice(0, i).some((e) => e.keyword === Keyword.WORKDIR) && decision.runtimeImage !== facts.image.raw;
      if (relativeToImage || named.some((name) => !facts.envNames.includes(name))) out.push(added(`WORKDIR ${workdirAfter(facts, i)}`));
      else out.push(kept(entry.ins, false));
    });
  }

  const outside = pathsOutsideWorkdir(facts, context);
  if (outside.intoRoot && decision.copiesWorkdir && facts.finalWorkdir === "/") {
    throw unsupported("copies the build context into / without a WORKDIR; msb cannot tell the application from the system files (add a WORKDIR)");
  }
  for (const [i, entry] of facts.body.entries()) {
    const copy = entry.copy;
    if (copy?.fromImage && !decision.buildOnlyImageCopies?.has(i) && !(decision.copiesWorkdir && copy.destAbs.startsWith(`${facts.finalWorkdir}/`) && facts.finalWorkdir !== "/")) {
      out.push(kept(entry.ins, false));
    }
  }
  const outsidePaths = outside.paths.filter((p) => !decision.buildInputsOutsideWorkdir?.(p) && !decision.providedByRuntime?.(p));
  const written = pathsWrittenByBuild(facts, (i) => decision.omit?.has(i) === true || isRuntimeOnly(facts.body[i]!));
  for (const path of outsidePaths) {
    // a directory the build made empty inside it is one the app writes to: a COPY gives it the owner of the whole copy
    const dataDir = written.paths.find((p) => p.dataDir && within(p.path, path) && p.path.replace(/(.)\/$/, "$1") !== path);
    if (dataDir) report.info(`line ${dataDir.line} makes ${dataDir.path}, a directory the app may write to, inside ${path}: copied owned by ${decision.user.name}`);
    out.push(added(copyFromStage(source, path, path, dataDir ? owner : undefined)));
  }
  const appCopies = decision.appCopies(source);
  out.push(...writtenPathCopies(input, decision, source, written, [...outsidePaths, ...appCopies.map(destinationOf)]).map((t) => added(t)));
  out.push(...appCopies.map((t) => added(t)));
  if (testGate) out.push(added(testMarkerComment), added(copyTestMarker("test")));

  for (const entry of runtimeConfig) {
    if (startKeywords.has(entry.keyword) || entry.keyword === Keyword.USER) continue;
    out.push(kept(entry));
  }
  const home = input.rootRequired ? undefined : runtimeHomeInsteadOfRoot(facts, decision.user);
  if (home) {
    report.info(`the original sets HOME=/root, root's home, which ${decision.user.name} cannot write: the runtime sets HOME=${home}, that user's own`);
    out.push(added(`ENV HOME=${home}`, "the runtime user's own home: /root is root's alone"));
  }
  if (decision.startOverride) {
    for (const entry of runtimeConfig) if (startKeywords.has(entry.keyword)) out.push(...leadingOnly(entry));
    out.push(...decision.startOverride);
  } else {
    for (const entry of runtimeConfig) if (startKeywords.has(entry.keyword)) out.push(kept(entry.ins));
  }
  return out;

  function kept(entry: InstructionFacts | InstructionFacts["ins"], withLeading = true): PlanLine {
    const ins = "ins" in entry ? entry.ins : entry;
    return { kind: "kept", ins, withLeading };
  }
}

/**
 * Tools the start command, healthcheck, their scripts or the application's code call that the original
 * got from its full base image (`fullImageTools`) and a slim or alpine runtime lacks: the packages that bring them back.
 */
function toolsFromFullImage(input: PassInput, decision: StackDecision, installed: string[]): string[] {
  const base = input.facts.resolvedImage;
  const fullOfficial = ["node", "python", "golang"].includes(base.name) && !/slim|alpine/.test(base.tag);
  if (!fullOfficial || (decision.family !== "debian" && decision.family !== "alpine")) return [];
  const runtime = parseImageRef(substitute(decision.runtimeImage, input.facts.globalArgs));
  if (runtime.name === base.name && runtime.tag === base.tag) return []; // the runtime is the full image itself
  const candidates = fullImageTools(decision.family, archivedDebianRelease(base) !== undefined);
  const words = new Set(input.runtimeText.split(/[\s;&|()`"'=]+/));
  const copied = input.facts.body.flatMap((e) => (e.copy ? [e.copy.destAbs.split("/").pop()] : []));
  const used = Object.keys(candidates).filter((tool) => (words.has(tool) || input.programsAppRuns?.includes(tool)) && !installed.includes(candidates[tool]!) && !copied.includes(tool));
  if (used.length > 0) input.report.info(`${used.join(", ")} came with ${base.raw} and the start command, healthcheck or application code uses ${used.length === 1 ? "it" : "them"}; installed in the runtime`);
  return [...new Set(used.map((tool) => candidates[tool]!))];
}

/** The destination of a COPY line msb writes (`COPY [--flags] SRC… DEST`). */
function destinationOf(line: string): string {
  const json = /\[\s*(".*)\]\s*$/.exec(line);
  if (json) return (JSON.parse(`[${json[1]}]`) as string[]).pop() ?? "";
  return line.trim().split(/\s+/).pop() ?? "";
}

/**
 * COPY lines for what build steps wrote outside the directories the runtime copies anyway
 * (`mv node_modules /`, `cp -r dist /srv/site`, `mkdir -p /data`). Directories made empty with
 * `mkdir` are data directories: handed to the runtime user, who writes there as the root-run original did.
 */
function writtenPathCopies(input: PassInput, decision: StackDecision, source: string, written: WrittenPaths, copied: string[]): string[] {
  const { facts, report } = input;
  const workdir = facts.finalWorkdir;
  const moved = written.unresolved.find((u) => ["mv", "cp", "ln"].includes(u.command));
  if (moved) throw unsupported(`line ${moved.line}: ${moved.command} writes to ${moved.text}, a path msb cannot resolve, so it cannot copy it into the runtime`);
  for (const u of written.unresolved) report.warn(`line ${u.line}: ${u.command} writes to ${u.text}, which msb cannot resolve; it does not reach the runtime`);
  const owner = ownerOf(decision.user);
  const lines: string[] = [];
  for (const p of written.paths) {
    const inWorkdir = workdir !== "/" && within(p.path, workdir);
    // the WORKDIR itself (`mkdir /app` before `WORKDIR /app`) is the runtime user's already: USER comes before WORKDIR;
    // a runtime that does not copy the WORKDIR (Go's binary alone) takes what steps wrote there (`cp -R templates /app`)
    if (inWorkdir && (decision.copiesWorkdir || p.path.replace(/(.)\/$/, "$1") === workdir)) continue;
    if (copied.some((dir) => dir.startsWith("/") && within(p.path, dir.replace(/(.)\/$/, "$1")))) continue;
    if (decision.providedByRuntime?.(p.path.replace(/(.)\/$/, "$1")) || decision.buildInputsOutsideWorkdir?.(p.path.replace(/(.)\/$/, "$1"))) continue;
    lines.push(copyFromStage(source, p.path, p.path, p.dataDir && !input.rootRequired ? owner : undefined));
    report.info(`line ${p.line} writes ${p.path}${p.dataDir ? " (a directory the app may write to)" : ""} outside the application directory; the runtime copies it from the ${source} stage`);
  }
  return lines;
}

/** The comment lines above and inside an instruction that is not emitted, so no comment is lost. */
function leadingOnly(entry: InstructionFacts): PlanLine[] {
  const inner = entry.ins.text.split(/\r?\n/).slice(1).filter((l) => /^\s*#/.test(l));
  const comments = [...entry.ins.leading, ...inner].filter((l) => l.trim() !== "");
  return comments.length > 0 ? [added(comments.join("\n"))] : [];
}
