import { movedAppDir } from "../common/root-workdir.js";
import { makefileDockerRuns, readmeDockerRuns } from "../../analysis/documented-docker-runs.js";
import { buildMadeReads } from "./build-made-files.js";
import { posix } from "node:path";
import { commandWords, isGoBuild, isGoDeps } from "../../analysis/commands.js";
import { has, type BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unsupported } from "../../errors.js";
import { added, type PlanLine } from "../../plan/types.js";
import { chosenImages, type Family } from "../common/base-images.js";
import { execForm } from "../common/exec-form.js";
import { manifestFirstCopy } from "../common/manifest-first.js";
import { needsShell } from "../common/runtime-text.js";
import { goWrapperStart } from "./go-wrapper.js";
import { rejectGoWrapperOnNewGo } from "./go-wrapper-removed.js";
import { rejectGoRunOutputFlag } from "./go-run-output.js";
import { rejectDepEnsureWithoutManifest } from "./dep-manifest.js";
import { rejectStartPathNothingMakes } from "./start-path.js";
import { rejectGoModInGopath } from "./go-mod-in-gopath.js";
import { rejectMissingGoSum } from "./missing-go-sum.js";
import { createUserCommand, ownerOf } from "../common/user.js";
import { setRewrite } from "../node/build.js";
import type { RuntimeUser, StackDecision, StackPass } from "../types.js";
import { parseGoBuild, type GoBuildStep } from "./binaries.js";
import { relocatedBinaries } from "./binary-copies.js";
import { builtPackages, cgoReasons } from "./cgo.js";
import { rejectCgoWithoutCompiler } from "./cgo-compiler-missing.js";
import { startCommandWords } from "../../analysis/start-command.js";
import { goToolCaller, refuseCompilingStartScript, refuseComposeDevelopmentImage, refuseDevelopmentImage, refusePluginHost, refuseShellImage } from "./dev-images.js";
import { rejectGopathFetchOfNewerCode } from "./gopath-newer-go.js";
import { rejectLatestToolOnOlderGo, rejectMigrateWithoutV4, rejectTemplGeneratorNewerThanModule } from "./tool-fetch.js";
import { pathsRemovedByBuild } from "../common/written-paths.js";
import { sourceLayout, type SourceLayout } from "./layout.js";
import { moduleOfBuild } from "./module-of-build.js";
import { rejectUnreadableGoMod } from "./go-mod-format.js";
import { rejectGoModNewerThanImage } from "./toolchain-local.js";
import { rejectBuildOutsideModule, rejectPackagesWithoutModule } from "./module-required.js";
import { rejectBuildWithoutSources, rejectPackageWithoutGoFiles } from "./package-without-files.js";
import { rejectDuplicateMain } from "./duplicate-main.js";
import { rejectMissingImports } from "./missing-imports.js";
import { rejectStandardLibraryLookup } from "./std-lookup.js";
import { alpineFor, builderRelease, debianSlimFor, distrolessBaseFor } from "./runtime-image.js";
import { makeGoCommands } from "./make-builds.js";
import { configuredDataDirs, runtimeFiles } from "./runtime-files.js";
import { composeEnvironment, composeInteractiveShell } from "../../analysis/compose.js";
import { deploymentVariables } from "../../analysis/deployment-env.js";
import { ownedMkdir } from "../common/owned-directories.js";
import { goSourceIndex, type GoFile } from "./sources.js";
import { atLeast, formatVersion, goVersion, moduleMode } from "./toolchain.js";
import { copyFromStage, copyInstruction, optionalGlob } from "../common/copy-instruction.js";
import { appendTo } from "../common/multimap.js";

const defaultPath = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];
/** Home directories only their owner can enter: a non-root runtime user cannot run or read anything there. */
const privateHomes = /^\/root(\/|$)/;

/** Build-stage directory through which optional files (a git-ignored `.env`) reach the runtime. */
const optionalFilesStage = "/tmp/optional-files";

export const goPass: StackPass = {
  name: "go",
  description: "Go services: binaries named as the go tool names them, copied with the files they read into distroless (nonroot), or a base with a shell or libc when the program needs one",
  plan(input) {
    const { facts, report, context, options } = input;
    const start = startArgv(facts.entrypoint, facts.cmd);
    // what cannot build is rejected before the image is classified (module mode is known later)
    rejectLatestToolOnOlderGo(facts, goVersion(facts.resolvedImage, undefined));
    refuseDevelopmentImage(start, facts);
    refuseComposeDevelopmentImage(facts);
    refuseShellImage(startCommandWords(facts), facts);
    refuseCompilingStartScript(start, facts);

    const tags = facts.body.flatMap((e) => e.run?.segments ?? []).flatMap((s) => { const w = commandWords(s.argv); if (w[0] !== "go") return []; const i = w.findIndex((x) => x === "-tags" || x.startsWith("-tags=")); return i < 0 ? [] : (w[i]!.includes("=") ? w[i]!.split("=")[1]! : w[i + 1] ?? "").split(/[,\s]+/); });
    const index = goSourceIndex(context, tags);
    const golangImage = facts.resolvedImage.name === "golang";
    const gopath = (facts.variables["GOPATH"] ?? (golangImage ? "/go" : "/root/go")).split(":")[0]!;
    const gobin = facts.variables["GOBIN"] ?? posix.join(gopath, "bin");
    const buildSegments = facts.body.flatMap((e) => e.run?.segments ?? []).filter((s) => isGoBuild(s.argv));
    const buildCwd = buildSegments[0]?.cwd ?? facts.finalWorkdir;
    // the module the build runs in: the go.mod nearest above its directory, which need not be the context root's
    const { module, contextRoot } = moduleOfBuild(facts, context, index, { gopath, gobin }, buildCwd);
    const goMod = module?.text ?? context.read("go.mod");
    if (module) report.info(`the build runs in the module of ${module.dir}/go.mod`);
    const modulePath = /^module\s+"?([^\s"]+)/m.exec(goMod ?? "")?.[1];
    const version = goVersion(facts.resolvedImage, goMod);
    if (version) report.info(`${formatVersion(version)} (from ${version.source}): flags and commands msb adds are limited to what it supports`);
    else report.assume("the Go version is unknown (no golang image tag, no go line in go.mod): nothing version-dependent is added");
    const copiesGoMod = facts.body.some((e) => e.copy?.sources.some((s) => /(^|\/)go\.mod$/.test(s)));
    // `go mod init` in the build makes the go.mod the checkout lacks
    const makesGoMod = facts.body.some((e) => e.run?.segments.some((s) => { const w = commandWords(s.argv); return w[0] === "go" && w[1] === "mod" && (w[2] === "init" || isGoDeps(s.argv)); }));
    const hasGoMod = goMod !== undefined || copiesGoMod || makesGoMod;
    rejectGoWrapperOnNewGo(facts);
    rejectGoRunOutputFlag(facts);
    rejectDepEnsureWithoutManifest(facts, input.contextEvident);
    rejectPackagesWithoutModule(facts, context, version, hasGoMod || module !== undefined);
    rejectGoModInGopath(facts, context, version, gopath);
    const goModCopied = facts.body.some((e) => e.copy && !e.copy.fromImage && e.copy.sources.some((s) => /^\.\/?$/.test(s) || /(^|\/)go\.mod$/.test(s) || /[*?[]/.test(s)));
    if (goModCopied) rejectUnreadableGoMod(facts.resolvedImage, goMod);
    if (goModCopied) rejectGoModNewerThanImage(facts, goMod);
    // where the context's go.mod lands in the image: `ADD . /go/src/example.com/app` while the build runs in /go
    const goModDir = module?.root ?? (goMod !== undefined ? contextRoot : undefined);
    const modules = moduleMode(version, hasGoMod, facts.variables["GO111MODULE"], buildCwd, gopath, goModDir);
    const gopathReason = facts.variables["GO111MODULE"] === "off" ? "GO111MODULE=off" : !hasGoMod ? "no go.mod" : goModDir !== undefined && moduleMode(version, hasGoMod, facts.variables["GO111MODULE"], buildCwd, gopath) ? `the build runs in ${buildCwd}, outside ${goModDir} where go.mod is` : "Go before 1.13 inside GOPATH";
    if (!modules) report.info(`GOPATH mode (${gopathReason}): binaries are named after their directory`);
    const layout = sourceLayout(facts, context, index, { gopath, gobin, moduleMode: modules, ...(modulePath ? { modulePath } : {}), ...(module ? { moduleRoot: module.root } : {}) });

    const steps: { i: number; j: number; step: GoBuildStep; text: string; cwd: string; viaMake?: true }[] = [];
    facts.body.forEach((entry, i) =>
      entry.run?.segments.forEach((segment, j) => {
        const step = parseGoBuild(segment, layout);
        if (step) steps.push({ i, j, step, text: segment.text, cwd: segment.cwd });
      }),
    );
    // `RUN make`: the go commands of the Makefile's recipe build the binaries (its text is not msb's to change)
    for (const { i, j, segment } of makeGoCommands(facts, context)) {
      const step = parseGoBuild(segment, layout);
      if (step) steps.push({ i, j, step, text: segment.text, cwd: segment.cwd, viaMake: true });
    }
    steps.sort((a, b) => a.i - b.i || a.j - b.j);
    const viaMake = steps.filter((s) => s.viaMake);
    if (viaMake.length > 0) report.info(`the Makefile's recipe that ${facts.body[viaMake[0]!.i]!.ins.text.trim().replace(/^RUN\s+/i, "")} runs builds ${[...new Set(viaMake.flatMap((s) => s.step.outputs))].join(", ") || "the program"} (\`${viaMake[0]!.text}\`)`);
    const appSteps = steps.filter((s) => !s.step.tool);
    rejectBuildWithoutSources(facts, appSteps);
    if (modules && module === undefined && goMod !== undefined && contextRoot !== undefined && !makesGoMod) rejectBuildOutsideModule(facts, appSteps, contextRoot);
    if (input.contextEvident) rejectPackageWithoutGoFiles(facts, context, layout, appSteps);
    if (input.contextEvident) rejectDuplicateMain(facts, layout, appSteps);
    // the packages built, following imports inside these sources (cgo and the runtime files read them too)
    const { files } = builtPackages(appSteps.map((s) => s.step), layout);
    if (input.contextEvident && appSteps.length > 0) rejectMissingImports(facts, layout, files, Math.max(...appSteps.map((s) => s.i)), modules);
    rejectGopathFetchOfNewerCode(facts, version, modules, files);
    rejectMigrateWithoutV4(facts, modules);
    if (modules) rejectTemplGeneratorNewerThanModule(facts, goMod);
    if (modules) rejectStandardLibraryLookup(facts, steps, modulePath);
    if (modules && input.contextEvident && appSteps.length > 0) rejectMissingGoSum(facts, context, version, goMod, module?.dir ?? "", appSteps[0]!.i);
    refusePluginHost(files);
    // a program that builds Go code itself (gobinaries) runs on the builder image, without the sources and module cache
    const goToolAtRunTime = goToolCaller(files, context);
    const toolSteps = steps.filter((s) => s.step.tool);
    for (const t of toolSteps) report.info(`go ${t.step.verb} ${t.step.tool!.path}${t.step.tool!.version ? `@${t.step.tool!.version}` : ""} builds a tool or dependency, not the application`);
    const relocated = relocatedBinaries(facts, [...new Set(appSteps.flatMap((s) => s.step.outputs))], appSteps[0] ?? { i: Infinity, j: 0 });
    for (const [from, to] of relocated) report.info(`Go binary ${from} is copied to ${to} by a later step; the runtime takes it from there`);
    const binaries = [...new Set(appSteps.flatMap((s) => s.step.outputs.map((o) => relocated.get(o) ?? o)))];
    const tools = [...new Set(toolSteps.flatMap((s) => s.step.outputs))];
    const originalPath = pathOf(facts.variables["PATH"], golangImage ? [posix.join(gopath, "bin"), "/usr/local/go/bin", ...defaultPath] : defaultPath);
    const wrapperStart = goWrapperStart(start, facts.finalWorkdir, context);
    if (!wrapperStart) rejectStartPathNothingMakes(facts, start, [...binaries, ...tools], layout, context, input.contextEvident, report);
    const binary = findBinary(wrapperStart ?? start, binaries, tools, originalPath, facts.finalWorkdir, report);
    if (!binary && start.length === 0 && appSteps.length === 0) {
      throw unsupported("has no CMD or ENTRYPOINT and builds no Go binary: nothing says what the image runs (a development image, used through `docker compose run`/`exec`?)");
    }
    if (!binary) throw unsupported(`cannot tell which binary the start command (${start[0] ?? "none"}) runs from the go build steps`);
    report.info(`Go binary ${binary}${start[0] ? ` started as ${start[0]}` : ""}${binaries.length > 1 ? ` (${binaries.length} binaries built, all copied)` : ""}`);
    const words = new Set(input.runtimeText.split(/[\s;&|()`"'=]+/));
    const usedTools = tools.filter((t) => t === binary || words.has(posix.basename(t)) || words.has(t));
    if (usedTools.length > 0) report.info(`tools the start command uses reach the runtime: ${usedTools.join(", ")}`);

    const packages = input.osPackages;
    const cHeaders = packages?.buildOnly.filter((p) => /-dev$|^build-base$|^gcc$/.test(p) && !/^(libc6-dev|linux-libc-dev)$/.test(p)) ?? [];
    const forcedStatic = facts.variables["CGO_ENABLED"] === "0" || (appSteps.length > 0 && appSteps.every((s) => s.step.env["CGO_ENABLED"] === "0"));
    const reasons = forcedStatic ? [] : cgoReasons({ steps: appSteps.map((s) => s.step), files, variables: facts.variables, goMod, context, cHeaders });
    const cgo = reasons.length > 0;
    if (cgo) report.info(`cgo build: ${reasons.join("; ")}`);

    const release = builderRelease(facts.resolvedImage, version);
    const builderFamily: Family = release.family === "alpine" ? "alpine" : "debian";
    const compiling = appSteps.find((s) => !s.step.env["CGO_ENABLED"]);
    if (cgo && compiling) rejectCgoWithoutCompiler(facts, version, builderFamily === "alpine", files, facts.body[compiling.i]!.ins.startLine + 1);
    const shell = needsShell(facts, context);
    const extraPackages = (packages?.runtime ?? []).filter((p) => !/^(ca-certificates|tzdata)$/.test(p));
    const runsComputedCommands = files.some((f) => f.runsComputedCommand);
    const runtime = chooseRuntime();
    report.info(`runtime image ${runtime.image}: ${runtime.why}`);
    if (cgo && release.how === "assumed" && runtime.family !== "distroless") report.assume(`the C library release of ${facts.resolvedImage.raw} is not known; the runtime ${runtime.image} is assumed to match`);

    const buildInserts = new Map<number, PlanLine[]>();
    const moves = new Map<number, number>();
    const segmentRewrites = new Map<number, Map<number, string>>();
    const cacheTargets = new Map<number, string[]>();
    if (!cgo && facts.variables["CGO_ENABLED"] === undefined && !appSteps.every((s) => s.step.env["CGO_ENABLED"] !== undefined)) {
      buildInserts.set(-1, [added("ENV CGO_ENABLED=0", "static binary: no C library needed at run time")]);
    }
    const usesCaller = files.some((f) => f.usesCaller);
    const trimpath = atLeast(version, 1, 13) && !usesCaller;
    if (!atLeast(version, 1, 13)) report.info(`-trimpath not added: ${version ? `${formatVersion(version)} predates it (Go 1.13)` : "the Go version is unknown"}`);
    if (usesCaller) report.info("-trimpath left out: the code uses runtime.Caller, whose file paths it would change");
    const cacheDirs = ["/root/.cache/go-build", ...(modules ? [posix.join(gopath, "pkg/mod")] : [])];
    for (const { i, j, step, text, viaMake: made } of appSteps) {
      const extra = [...(step.flags["trimpath"] || !trimpath ? [] : ["-trimpath"]), ...(step.flags["ldflags"] !== undefined ? [] : ['-ldflags="-s -w"'])];
      if (extra.length > 0 && !made) setRewrite(segmentRewrites, i, j, text.replace(/\bgo\s+(build|install)\b/, (m) => `${m} ${extra.join(" ")}`));
      cacheTargets.set(i, cacheDirs);
    }
    facts.body.forEach((e, i) => {
      if (e.run?.segments.some((s) => isGoDeps(s.argv))) cacheTargets.set(i, modules ? [posix.join(gopath, "pkg/mod")] : [gopath]);
    });

    if (modules && atLeast(version, 1, 11)) insertModuleDownload();
    else if (hasGoMod) report.info(`go.mod is not copied ahead of the sources: ${modules ? "the Go version is unknown" : "the build runs in GOPATH mode"}`);

    const icmp = files.flatMap((f) => f.imports).find((i) => /^github\.com\/(go-ping\/ping|prometheus-community\/pro-bing|sparrc\/go-ping|tatsushid\/go-fastping)$|^golang\.org\/x\/net\/icmp$/.test(i));
    if (icmp && runtime.user.name !== "root") report.warn(`the program sends ICMP (${icmp}): a privileged ping opens a raw socket, which needs CAP_NET_RAW that the non-root runtime user does not have; give the binary that capability (setcap cap_net_raw+ep in the build), keep root for it, or switch the program to unprivileged pings (they need net.ipv4.ping_group_range to include its group)`);

    // `CMD cd server && ./main` runs the program in server/: its relative paths resolve there
    const workdir = facts.finalWorkdir;
    const runDir = start[0] === "cd" && start[1] && start[2] === "&&" ? posix.resolve(workdir, start[1]) : workdir;
    if (runDir !== workdir) report.info(`the start command runs the program in ${runDir}: the files it reads are looked up from there`);
    // paths the image's configuration gives the program, and relative ones its start commands name (`CONFIG_PATH=./config/local.yml` in compose)
    const runtimeWords = input.runtimeText.split(/[\s;&|()`"'=,[\]]+/);
    const namedRelative = runtimeWords.filter((w) => w.startsWith("./") && !binaries.includes(posix.resolve(runDir, w)));
    // and those the deployment sets in a .env for a variable the program reads (`CONFIG_PATH=./config/prod.yaml`)
    const deployed = deploymentVariables(context).filter((v) => files.some((f) => f.literals.includes(v.name))).map((v) => v.value);
    const configuredPaths = [...facts.envNames.map((n) => facts.variables[n] ?? ""), ...composeEnvironment(context).map((e) => e.value), ...namedRelative, ...deployed];
    const found = runtimeFiles(files, layout, context, runDir, configuredPaths);
    // files a build step downloaded or unpacked where the program opens them (`wget -O vvimg.jpg`, then gg.LoadImage("./vvimg.jpg"))
    const made = buildMadeReads(facts, files, runDir, (abs) => { const c = layout.contextDirOf(abs); return c !== undefined && has(context, c); });
    if (made.downloaded.length > 0) report.info(`files a build step downloads that the program opens copied too: ${made.downloaded.map((p) => posix.relative(runDir, p)).join(", ")}`);
    found.reads.push(...made.downloaded.filter((p) => !found.reads.includes(p)));
    found.optional.push(...made.unpacked.filter((p) => !found.optional.some((o) => o.path === p)).map((path) => ({ path, reason: "unpacked" })));
    if (found.embedded.length > 0) report.info(`already compiled into the binary with //go:embed: ${found.embedded.join(", ")}`);
    const argFiles = start.slice(1).flatMap((a) => [a, /^-{1,2}\w[\w-]*=(.+)$/.exec(a)?.[1] ?? ""]).filter((a) => a && !a.startsWith("-") && !a.startsWith("/")).flatMap((a) => {
      const abs = posix.resolve(runDir, a);
      const contextPath = layout.contextDirOf(abs);
      return contextPath && has(context, contextPath) && !layout.ignored(contextPath) && !binaries.includes(abs) ? [abs] : [];
    });
    // absolute paths the start command or its scripts name that come from the sources (migrations for a tool)
    const namedPaths = runtimeWords.filter((w) => w.startsWith("/")).flatMap((w) => {
      const abs = posix.normalize(w).replace(/\/$/, "");
      if (facts.finalWorkdir === "/" || !abs.startsWith(`${facts.finalWorkdir}/`)) return [];
      const contextPath = layout.contextDirOf(abs);
      return contextPath && has(context, contextPath) && !layout.ignored(contextPath) && !contextPath.endsWith(".go") && !binaries.includes(abs) ? [abs] : [];
    });
    const runTimeArgFiles = runTimeArgumentFiles(facts, files, context, layout, runDir);
    if (runTimeArgFiles.length > 0) report.info(`the program opens a file named on its command line (os.Args), which \`docker run IMAGE FILE\` gives at run time: the data files the original image had beside it are copied (${runTimeArgFiles.map((p) => posix.relative(runDir, p)).join(", ")})`);
    const reads = [...new Set([...found.reads, ...argFiles, ...namedPaths, ...runTimeArgFiles])].filter((p) => !found.writableDirs.includes(p));
    const computedWrites = files.some((f) => f.computedWrites);
    // a database file copied for a program that opens SQLite by a computed path is written there too
    const databaseFiles = files.some((f) => f.opensComputedSqlite) ? reads.filter((f) => /\.(db|db3|sqlite3?)$/.test(f)) : [];
    if (databaseFiles.length > 0) report.info(`the program opens a SQLite database by a path it computes: ${databaseFiles.map((p) => posix.relative(workdir, p)).join(", ")} ${databaseFiles.length > 1 ? "are" : "is"} copied owned by ${runtime.user.name}, who writes ${databaseFiles.length > 1 ? "them" : "it"}`);
    const readDirs = reads.filter((p) => { const c = layout.contextDirOf(p); return c !== undefined && context.kind(c || ".") === "dir"; });
    if (computedWrites && readDirs.length > 0) report.info(`the program writes files at paths it computes: ${readDirs.map((p) => posix.relative(workdir, p) || ".").join(", ")} ${readDirs.length > 1 ? "are" : "is"} copied owned by ${runtime.user.name}`);
    if (reads.length > 0) report.info(`files the program reads relative to ${workdir} copied too: ${reads.map((p) => posix.relative(workdir, p) || ".").join(", ")}`);

    const moved = privateHomes.test(workdir) && runtime.user.name !== "root" ? workdir.replace(/^\/root/, "/app") : undefined;
    if (moved) report.warn(`WORKDIR ${workdir} is only readable by root; the runtime works in ${moved} instead`);
    // `/` is root's: a program that writes beside itself there (a SQLite database) works in /app, where its
    // relative paths then resolve; a binary the start command names by absolute path stays where it is
    const rootMove = workdir === "/" && runDir === "/" && runtime.user.name !== "root" && found.writableDirs.includes("/") ? movedAppDir : undefined;
    if (rootMove) report.warn(`the program writes in its working directory, /, which only root can write to: the runtime works in ${rootMove} instead, with the files it reads and writes there`);
    const startWords = [...(facts.entrypoint?.argv ?? []), ...(facts.cmd?.argv ?? [])];
    const remap = (p: string) => (moved && privateHomes.test(p) ? p.replace(/^\/root/, "/app") : rootMove && !(binaries.includes(p) && startWords.includes(p)) ? posix.join(rootMove, p) : p);
    // no WORKDIR of its own: the original ran in the builder image's (golang: /go), which the runtime image does not share
    const inherited = !facts.body.some((e) => e.keyword === "WORKDIR") && workdir !== "/" ? workdir : undefined;
    if (inherited && !moved) report.info(`WORKDIR ${inherited} added to the runtime: the original ran in ${facts.resolvedImage.raw}'s working directory`);
    const runtimeWorkdir = moved ?? rootMove ?? inherited;

    const owner = ownerOf(runtime.user);
    const writableCopies: { from: string; to: string }[] = [];
    const runtimeSetup: string[] = [];
    for (const dir of found.writableDirs) {
      if (dir === workdir || (workdir !== "/" && !dir.startsWith(`${workdir}/`))) {
        report.info(`the program writes into ${remap(dir)}; it must be writable by ${runtime.user.name}`);
        continue;
      }
      const contextPath = layout.contextDirOf(dir);
      if (contextPath !== undefined && context.kind(contextPath) === "dir") writableCopies.push({ from: dir, to: remap(dir) });
      else if (runtime.family !== "distroless" && runtime.image !== "scratch") runtimeSetup.push(ownedMkdir([remap(dir)], runtimeWorkdir ?? workdir, owner));
      else {
        // distroless has no shell to make it: made in the build stage and copied owned by the user
        appendTo(buildInserts, facts.body.length, added(`RUN mkdir -p ${dir}`, `${remap(dir)} for the runtime user: the program writes there`));
        writableCopies.push({ from: dir, to: remap(dir) });
      }
      report.info(`${remap(dir)} is writable by ${runtime.user.name}: the program writes there`);
    }

    // VOLUMEs are prepared for the runtime user elsewhere
    const createdPaths = [...facts.body.flatMap((e) => (e.copy ? [e.copy.destAbs.replace(/(.)\/$/, "$1")] : [])), ...facts.volumes];
    for (const { name, dir } of configuredDataDirs(files, { names: facts.envNames, values: facts.variables }, createdPaths, workdir)) {
      if (runtime.family === "distroless" || runtime.image === "scratch") {
        appendTo(buildInserts, facts.body.length, added(`RUN mkdir -p ${dir}`, `${dir} (ENV ${name}) for the runtime user: the original, as root, could create it at run time`));
        writableCopies.push({ from: dir, to: dir });
      } else runtimeSetup.push(ownedMkdir([dir], runtimeWorkdir ?? workdir, owner));
      report.info(`${dir}, which ENV ${name} names for the program, is created writable by ${runtime.user.name}: the original, running as root, could create it at run time`);
    }

    const runtimeEnv: string[] = [];
    const runtimePackages: string[] = [];
    const copied = [...new Set([...binaries, ...usedTools])];
    const optionalWithBinary = new Map<string, string[]>();
    const stagedOptional: { from: string; to: string }[] = [];
    const stagedByDir = new Map<string, string[]>();
    const removedByBuild = pathsRemovedByBuild(facts);
    for (const { path: file, reason } of found.optional.filter((o) => !removedByBuild.some((r) => o.path === r || o.path.startsWith(`${r}/`)))) {
      const lead = reason === "godotenv" ? `godotenv loads ${remap(file)}` : reason === "viper" ? `viper reads ${remap(file)}` : reason === "tls" ? `the program serves TLS with ${remap(file)}` : reason === "git-ignored" ? `the program reads ${remap(file)} (git-ignored)` : reason === "unpacked" ? `the program reads ${remap(file)}, which an archive a build step unpacks there may hold` : `the program reads ${remap(file)} (the checkout has ${reason})`;
      // a key (TLS, a git-ignored credential, a .env of secrets) is often readable by its owner only (0600): staged apart, to be handed to the runtime user, not copied with the binary
      const companion = ["tls", "git-ignored", "godotenv", "viper"].includes(reason) ? undefined : binaries.find((b) => posix.dirname(remap(b)) === remap(posix.dirname(file)) && posix.dirname(b) === posix.dirname(file) && !/[\s*?[\]]/.test(b + file));
      if (companion) {
        appendTo(optionalWithBinary, companion, file);
        report.info(`${lead}, which this checkout lacks (made by whoever builds): the runtime takes it when the build has one (a wildcard, beside the binary)`);
      } else {
        // staged in the build through a directory that always exists: copying its contents copies nothing when the file is absent
        const stage = posix.join(optionalFilesStage, posix.dirname(file));
        appendTo(stagedByDir, stage, file);
        if (!stagedOptional.some((c) => c.from === `${stage}/`)) stagedOptional.push({ from: `${stage}/`, to: `${remap(posix.dirname(file))}/` });
        report.info(`${lead}, which this checkout lacks (made by whoever builds): the runtime takes it when the build has one (staged through ${stage})`);
      }
    }
    // one step per directory: each file copied when the build has it
    for (const [stage, staged] of stagedByDir) {
      // a directory of files the builder generates, kept out of git by its own .gitignore (`assets/key/` with `*.pem`): all of them, not only those named
      const dir = posix.dirname(staged[0]!);
      const contextDir = layout.contextDirOf(dir);
      const generatedDir = contextDir !== undefined && contextDir !== "" && context.kind(posix.join(contextDir, ".gitignore")) === "file";
      const copies = generatedDir ? `{ [ ! -d ${dir} ] || cp -a ${dir}/. ${stage}/; }` : staged.length === 1 ? `{ [ ! -e ${staged[0]} ] || cp ${staged[0]} ${stage}/; }` : `for f in ${staged.join(" ")}; do [ ! -e "$f" ] || cp "$f" ${stage}/; done`;
      const what = generatedDir ? `${posix.basename(dir)}/ (git-ignored files the build generates)` : staged.map((f) => posix.basename(f)).join(", ");
      appendTo(buildInserts, facts.body.length, added(`RUN mkdir -p ${stage} && ${copies}`, `${what} for the runtime when the build has ${staged.length === 1 && !generatedDir ? "one" : "them"} (not in this checkout)`));
    }
    const pathDirs = [...new Set(copied.map((b) => posix.dirname(remap(b))).filter((d) => originalPath.includes(d) && !defaultPath.includes(d)))];
    const builderAsRuntime = runtime.image === facts.image.raw;
    if (pathDirs.length > 0 && facts.variables["PATH"] === undefined && !builderAsRuntime) {
      runtimeEnv.push(`ENV PATH=${[...pathDirs, ...defaultPath].join(":")}`);
      report.info(`${pathDirs.join(", ")} stays on PATH, as in ${facts.resolvedImage.raw}`);
    }

    if ((runtime.family === "debian" || runtime.family === "alpine") && !builderAsRuntime) {
      const installed = new Set(runtime.family === builderFamily ? packages?.runtime ?? [] : []);
      const needed = ["ca-certificates", "tzdata", ...(shell.bash && runtime.family === "alpine" ? ["bash"] : [])].filter((p) => !installed.has(p));
      if (needed.length > 0) {
        runtimePackages.push(...needed);
        report.info(`${needed.join(", ")} installed in the runtime: Go programs need CA certificates for TLS and time zone data for time.LoadLocation`);
      }
    }

    const decision: StackDecision = {
      // a runtime that keeps the original's root takes distroless's root variant rather than :nonroot plus USER root
      runtimeImage: input.rootRequired ? runtime.image.replace(/^(gcr\.io\/distroless\/[\w.-]+):nonroot$/, "$1") : runtime.image,
      family: runtime.family,
      user: runtime.user,
      buildInserts,
      moves,
      segmentRewrites,
      cacheTargets,
      runtimeEnv,
      runtimeSetup,
      runtimePackages,
      appCopies: (source) => [
        ...(runtime.image === "scratch" ? [copyFromStage(source, "/etc/ssl/certs/ca-certificates.crt")] : []),
        ...copied.map((b) => {
          // an optional file rides with the binary in one COPY: a wildcard that matches nothing is an error on its own in buildah
          const files = optionalWithBinary.get(b);
          return files ? copyInstruction([`--from=${source}`], [b, ...files.map(optionalGlob)], `${posix.dirname(remap(b))}/`) : copyFromStage(source, b, remap(b));
        }),
        // a file the program reads where it also writes (a SQLite database) is the runtime user's, as everything was root's
        // a directory the program may write into by a path it computes (`runtime/logs` from a config) is the runtime user's, as all was root's
        ...reads.filter((f) => !writableCopies.some((c) => f.startsWith(`${c.from}/`))).map((f) => copyFromStage(source, f, remap(f), !input.rootRequired && (found.writableDirs.some((d) => f.startsWith(`${d.replace(/\/$/, "")}/`)) || (computedWrites && readDirs.includes(f)) || databaseFiles.includes(f)) ? owner : undefined)),
        ...writableCopies.map((c) => copyFromStage(source, c.from, c.to, input.rootRequired ? undefined : owner)),
        // made by whoever builds, and often readable by its owner only (a key, a config holding a password)
        ...stagedOptional.map((c) => copyInstruction([`--from=${source}`, `--chown=${owner}`], [c.from], c.to)),
      ],
      installsRuntimePackages: runtime.family !== "distroless" && runtime.image !== "scratch",
      copiesWorkdir: false,
      // Go sources copied above the WORKDIR are compiled into the binary; what it reads there is in `reads`
      buildInputsOutsideWorkdir: (path) => {
        const contextDir = layout.contextDirOf(path);
        return contextDir !== undefined && context.kind(contextDir || ".") !== "file" && index.dirs.some((d) => contextDir === "" || d === contextDir || d.startsWith(`${contextDir}/`));
      },
      ...(runtimeWorkdir ? { runtimeWorkdir } : {}),
    };
    const startMoved = moved && [...(facts.entrypoint?.argv ?? []), ...(facts.cmd?.argv ?? [])].some((w) => privateHomes.test(w));
    if (facts.cmd === undefined && facts.entrypoint === undefined) {
      const shell = composeInteractiveShell(context);
      if (shell) report.warn(`the original has no start command, and ${shell.file} line ${shell.line} keeps the container open at its shell (${shell.key}: true, no command:) to start the program with docker exec: so the runtime keeps a shell and, like the original, no start command`);
      // a CMD, not an ENTRYPOINT: whoever runs the image with a command of its own (compose's
      // `command:`) replaces it, as with the original, which had no start command
      else {
        decision.startOverride = [added(`CMD ${execForm([remap(binary)])}`)];
        report.warn(`the original has no start command; the runtime runs ${remap(binary)} by default (CMD), which a command given at run time replaces`);
      }
    }
    else if (wrapperStart) {
      // the instruction that starts go-wrapper names the binary instead: the runtime has no go tool for the script
      const why = "go-wrapper run started this binary; the runtime has no go tool to run the script";
      const ownArgs = (c: typeof facts.cmd) => startArgv(c, undefined).slice(2);
      decision.startOverride = facts.entrypoint
        ? [added(`ENTRYPOINT ${execForm([remap(binary), ...ownArgs(facts.entrypoint)])}`, why), ...(facts.cmd ? [added(`CMD ${facts.cmd.form === "exec" ? execForm(facts.cmd.argv) : facts.cmd.shell}`)] : [])]
        : [added(`CMD ${execForm([remap(binary), ...ownArgs(facts.cmd)])}`, why)];
      report.info(`the start command runs ${remap(binary)}, which go-wrapper run started`);
    }
    else if (startMoved) {
      decision.startOverride = [
        ...(facts.entrypoint ? [added(`ENTRYPOINT ${facts.entrypoint.form === "exec" ? execForm(facts.entrypoint.argv.map(remap)) : facts.entrypoint.shell.replace(/\/root(?=\/|\s|$)/g, "/app")}`)] : []),
        ...(facts.cmd ? [added(`CMD ${facts.cmd.form === "exec" ? execForm(facts.cmd.argv.map(remap)) : facts.cmd.shell.replace(/\/root(?=\/|\s|$)/g, "/app")}`)] : []),
      ];
    }
    return decision;

    function insertModuleDownload(): void {
      const firstBuild = appSteps[0]?.i ?? facts.body.length;
      const download = facts.body.findIndex((e) => e.run?.segments.some((s) => isGoDeps(s.argv)));
      const localReplace = /^\s*replace\s.*=>\s*\.{1,2}\//m.test(goMod ?? "") || /^replace\s*\([^)]*=>\s*\.{1,2}\//ms.test(goMod ?? "");
      const manifests = ["go.mod", ...(has(context, "go.sum") ? ["go.sum"] : [])];
      const blockers = [...(module ? [`go.mod is in ${module.dir}/, not at the root of the context`] : goMod ? [] : ["go.mod is not in the build context"]), ...(localReplace ? ["go.mod replaces modules with local directories"] : []), ...(has(context, "vendor/") ? ["the module is vendored"] : [])];
      if (download >= 0 && download < firstBuild) {
        // only a download that needs no Go source can run with go.mod alone: `go get .`, `go get -d ./...`
        // and `go mod tidy` read the packages' imports
        const readsSources = facts.body[download]!.run!.segments.find((s) => isGoDeps(s.argv) && !downloadsWithModFileAlone(commandWords(s.argv)));
        if (readsSources) blockers.push(`\`${readsSources.text}\` reads the Go sources`);
        const insertion = manifestFirstCopy(facts, download, manifests, blockers, report);
        if (insertion) {
          buildInserts.set(insertion.at, [added(insertion.text)]);
          moves.set(download, insertion.at);
        }
        return;
      }
      if (blockers.length > 0) return;
      const copyAt = facts.body.findIndex((e, i) => i < firstBuild && e.copy && !e.copy.fromImage && e.copy.sources.some((s) => s === "." || s === "./"));
      if (copyAt < 0 || facts.body.slice(0, copyAt).some((e) => e.copy?.sources.includes("go.mod"))) return;
      // a step between the source COPY and the build (apk add git, ENV GOPROXY=direct) may be what the download needs
      const needed = facts.body.slice(copyAt + 1, firstBuild).find((e) => e.run || e.keyword === "ENV" || e.keyword === "ARG");
      if (needed) {
        report.info(`go.mod is not copied before the sources: line ${needed.ins.startLine + 1} (${needed.keyword}) comes before the build and may be what the module download needs`);
        return;
      }
      const copy = facts.body[copyAt]!;
      const dest = copy.copy!.dest;
      const destAbs = copy.copy!.destAbs.replace(/\/$/, "") || "/";
      // the download runs where go.mod lands, even when the original sets WORKDIR only after this COPY
      const download_ = destAbs === copy.workdir ? "RUN go mod download" : `RUN cd ${destAbs} && go mod download`;
      buildInserts.set(copyAt, [added(`COPY ${manifests.join(" ")} ${dest.endsWith("/") ? dest : `${dest}/`}`), added(download_)]);
      report.info("go.mod copied and modules downloaded before the sources so the module layer is cached");
    }

    function chooseRuntime(): { image: string; family: Family; user: RuntimeUser; why: string } {
      const withUser = (image: string, family: Family, why: string) => {
        const create = createUserCommand(family);
        const user: RuntimeUser = create ? { name: "app", group: "app", create, ownsApp: false } : { name: "65532", group: "65532", ownsApp: false };
        if (facts.user !== undefined && !/^(root|0)(:|$)/.test(facts.user)) report.info(`the original user ${facts.user} is replaced by ${user.name} in the runtime`);
        return { image, family, user, why };
      };
      const alpine = builderFamily === "alpine" ? alpineFor(release) : chosenImages.alpine;
      const sameLibc = (why: string) => {
        if (builderFamily === "alpine") return withUser(alpine, "alpine", `${why}; musl from the builder's Alpine release`);
        if (facts.resolvedImage.name === "ubuntu") return withUser(facts.image.raw, "debian", `${why}; the builder's own Ubuntu release`);
        return withUser(debianSlimFor(release), "debian", `${why}; glibc from the builder's Debian release`);
      };
      const aptPackages = extraPackages.length > 0 && packages?.manager !== "apk";
      const distroBase = (why: string) => (cgo || options.runtime === "slim" || aptPackages ? sameLibc(why) : builderFamily === "alpine" ? withUser(alpine, "alpine", why) : withUser(chosenImages.alpine, "alpine", why));
      if (goToolAtRunTime && options.runtime === "auto") return withUser(facts.image.raw, builderFamily, `${goToolAtRunTime} runs the go tool at run time (exec.Command("go", …)): the runtime is the builder image itself, with its toolchain, but without the sources, module cache and build cache (no smaller base image: the gains are a non-root user and what the build downloaded and compiled)`);
      if (options.runtime === "scratch") {
        if (shell.needed || cgo || extraPackages.length > 0) report.warn("scratch was asked for, but the program needs more than a static binary");
        return { image: "scratch", family: "distroless", user: { name: "65532", group: "65532", ownsApp: false }, why: "scratch was asked for" };
      }
      if (options.runtime === "alpine") {
        if (cgo && builderFamily !== "alpine") report.warn("alpine was asked for, but the cgo binary is linked against glibc");
        return withUser(alpine, "alpine", "alpine was asked for");
      }
      if (options.runtime === "slim") return sameLibc("a Debian slim image was asked for");
      if (shell.needed) return distroBase(`distroless has no shell and ${shell.why}`);
      if (runsComputedCommands) {
        const why = "the program starts commands it is given at run time (exec.Command of a computed name), which need a shell and the usual tools";
        // a static binary needs no glibc of the builder's release: an end-of-life one (buster) would only cost an archived apt source
        const endOfLife = builderFamily === "debian" && facts.resolvedImage.name !== "ubuntu" && release.release !== undefined && !["bookworm", "trixie"].includes(release.release);
        if (!cgo && !aptPackages && endOfLife) return withUser(chosenImages.debianSlim, "debian", `${why}; the binary is static, so a supported Debian rather than the builder's ${release.release}, which is past its support`);
        return sameLibc(why);
      }
      if (extraPackages.length > 0) return distroBase(`the program needs OS packages (${extraPackages.join(", ")})`);
      if (cgo) {
        if (builderFamily === "alpine" || facts.resolvedImage.name === "ubuntu") return sameLibc("cgo binary");
        const base = distrolessBaseFor(release);
        if (base) return withUser(base, "distroless", `cgo binary needs glibc from Debian ${release.release}${release.how === "go version" ? ` (the release ${facts.resolvedImage.raw} is built on)` : ""}`);
        return sameLibc("cgo binary");
      }
      return withUser(chosenImages.distrolessStatic, "distroless", "static binary, no shell needed");
    }
  },
};

function pathOf(value: string | undefined, imageDefault: string[]): string[] {
  if (value === undefined) return imageDefault;
  return value.split(":").flatMap((d) => (/^\$\{?PATH\}?$/.test(d) ? imageDefault : [d])).filter(Boolean);
}

function startArgv(entrypoint: { form: string; argv: string[]; shell: string } | undefined, cmd: { form: string; argv: string[]; shell: string } | undefined): string[] {
  const words = (c: typeof cmd) => (c ? (c.form === "exec" ? c.argv : commandWords(c.shell.split(/\s+/))) : []);
  const all = [...words(entrypoint), ...words(cmd)];
  const shells = /^(\/bin\/|\/usr\/bin\/)?(sh|bash|ash)$/;
  return shells.test(all[0] ?? "") ? (all[1] === "-c" ? commandWords((all[2] ?? "").split(/\s+/)) : all.slice(1)) : all;
}

/**
 * Data files (`test_file.txt`, `*.csv`, `*.json`) beside the program in the copied sources, when the
 * program opens a path from its command line and the image gives none (ENTRYPOINT without CMD): a
 * `docker run IMAGE test_file.txt` named one of those files in the original image.
 */
function runTimeArgumentFiles(facts: Facts, files: readonly GoFile[], context: BuildContext, layout: SourceLayout, runDir: string): string[] {
  if (!facts.entrypoint || facts.cmd) return [];
  const code = files.filter((f) => !f.path.endsWith("_test.go")).map((f) => context.read(f.path) ?? "");
  const takesPath = code.some((text) => /\bos\.Args\[[1-9]\]|\bflag\.Args?\(/.test(text));
  const opens = code.some((text) => /\bos\.(Open|ReadFile)\(\s*[A-Za-z_]/.test(text));
  const here = layout.contextDirOf(runDir);
  if (!takesPath || !opens || here === undefined) return [];
  const beside = context.list()
    .filter((p) => posix.dirname(p) === (here || ".") && /\.(txt|csv|tsv|json|ya?ml|xml|dat|log|in)$/i.test(p) && !/^(go\.(mod|sum|work)|package(-lock)?\.json)$/.test(posix.basename(p)) && !layout.ignored(p))
    .map((p) => posix.join(runDir, posix.basename(p)));
  // a file the Makefile's or README's `docker run IMAGE ./tests/input.txt` hands it: its directory of such files
  const documented = [...makefileDockerRuns(context), ...readmeDockerRuns(context)].flatMap((run) => run.text.split(/\s+/)).filter((w) => /^(\.\/)?[\w.-]+(\/[\w.-]+)*\.\w+$/.test(w) && !w.endsWith(".go") && !/(^|\/)\.env/.test(w)).flatMap((w) => {
    const contextPath = posix.join(here, w);
    if (context.kind(contextPath) !== "file" || layout.ignored(contextPath)) return [];
    const dir = posix.dirname(posix.normalize(w));
    return [dir === "." ? posix.join(runDir, posix.normalize(w)) : posix.join(runDir, dir)];
  });
  return [...new Set([...beside, ...documented])];
}

/**
 * The binary the start command runs: the first word of ENTRYPOINT + CMD that names one (an entrypoint
 * script usually passes it on), a bare name looked up through the original PATH as the shell would,
 * else the only or last binary built.
 */
function findBinary(start: string[], binaries: string[], tools: string[], path: string[], workdir: string, report: { assume(m: string): void }): string | undefined {
  const all = [...binaries, ...tools];
  for (const word of start) {
    if (word.includes("/")) {
      const match = all.find((b) => b === posix.resolve(workdir, word));
      if (match) return match;
      continue;
    }
    for (const dir of path) {
      const match = all.find((b) => b === posix.join(dir, word));
      if (match) return match;
    }
    const byName = binaries.find((b) => posix.basename(b) === word);
    if (byName) {
      report.assume(`${word} is not on the original PATH (${path.join(":")}); assumed it runs ${byName}`);
      return byName;
    }
  }
  const last = binaries[binaries.length - 1];
  if (last && start.length > 0) report.assume(`the start command does not name a built binary; assumed it runs ${last}`);
  if (last) return last;
  const argv0 = start[0];
  return argv0?.includes("/") && !/\.sh$/.test(argv0) ? posix.resolve(workdir, argv0) : undefined;
}

/** `go mod download`, or `go get` of module queries only (`pkg@v1.2.3`): both work from go.mod and go.sum alone. */
function downloadsWithModFileAlone(words: string[]): boolean {
  if (words[1] === "mod") return words[2] === "download";
  if (words[1] !== "get") return false;
  const args = words.slice(2).filter((w) => !w.startsWith("-"));
  return args.length > 0 && args.every((a) => a.includes("@"));
}

