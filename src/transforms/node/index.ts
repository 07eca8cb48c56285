import { spawnedCommands } from "./spawned-commands.js";
import { logDirsOutsideWorkdir } from "./log-dirs.js";
import { ownedMkdir } from "../common/owned-directories.js";
import { rejectPrismaOnSlimWithoutOpenssl } from "./prisma-slim-openssl.js";
import { isGlobalNodeInstall, commandWords } from "../../analysis/commands.js";
import { tokenize } from "../../parser/shell.js";
import { added } from "../../plan/types.js";
import { familyOf, smallerVariant } from "../common/base-images.js";
import { commandLine, needsShell } from "../common/runtime-text.js";
import { chooseRuntimeUser, ownerOf } from "../common/user.js";
import { parseImageRef } from "../../analysis/image-ref.js";
import type { PassInput, StackDecision, StackPass } from "../types.js";
import { planNodeBuild } from "./build.js";
import type { NodeProject } from "./project.js";
import { execForm } from "../common/exec-form.js";
import { binsOf, commandLineWords } from "./bins.js";
import { corepackRuntimeSetup } from "./corepack.js";
import { checkEngines } from "./engines.js";
import { devDependenciesUsed, planStart, type StartPlan } from "./dev-image.js";
import type { DevServer } from "../../analysis/dev-server.js";
import { productionBuildCommand, type ProductionServer } from "./production-switch.js";
import { buildInsertIndex, hasBuildStep, requireCopiedSources } from "./build-step.js";
import { reportDevToProduction } from "./dev-switch-notes.js";
import { runtimeFiles } from "./runtime-files.js";
import { MsbError, unsupported } from "../../errors.js";
import { isRootOwner, copyFromStage, copyInstruction, optionalGlob } from "../common/copy-instruction.js";
import { appendTo } from "../common/multimap.js";

export const nodePass: StackPass = {
  name: "node",
  description: "Node.js services: lockfile installs, build output and production dependencies on a slim or alpine node runtime as user node",
  plan(input) {
    const { facts, report, options, context } = input;
    const startPlan = startPlanAfterBuildChecks(input);
    const runtimeLines = startPlan.server ? [startPlan.server.start.join(" ")] : startPlan.lines;
    const build = planNodeBuild(input, { startNeedsDevDependencies: (p) => devDependenciesUsed(p, runtimeLines) });
    const { project } = build;

    const official = facts.resolvedImage.name === "node" && (facts.resolvedImage.registry === "" || facts.resolvedImage.registry.includes("docker"));
    const packages = input.osPackages;
    const shell = needsShell(facts, context);
    const explicitCustomUser = facts.user !== undefined && !/^(node|root|0|\d+)(:|$)/.test(facts.user);
    const originalFamily = familyOf(facts.resolvedImage, input.osPackages?.manager);

    let runtimeImage = facts.image.raw;
    let family = originalFamily;
    if (official) {
      const variant = chooseVariant();
      runtimeImage = smallerVariant(facts.image, facts.resolvedImage, variant, report);
      family = familyOf(parseImageRef(runtimeImage.replace(/\$\{?\w+\}?/g, "x")));
      if (/alpine/.test(runtimeImage)) family = "alpine";
      report.info(`runtime image ${runtimeImage}`);
    } else {
      report.assume(`${facts.image.raw} is not an official node image; the runtime keeps it and drops only build tools and dev dependencies`);
    }

    const user = chooseRuntimeUser(facts, { family, ...(official ? { builtInUser: "node" } : {}), sameFamilyAsBuild: family === originalFamily }, report, input.rootRequired !== undefined);
    const owner = ownerOf(user);
    const workdir = facts.finalWorkdir;

    const runtimeEnv: string[] = [];
    if (!facts.envNames.includes("NODE_ENV")) {
      if (options.nodeEnvProduction) {
        runtimeEnv.push("ENV NODE_ENV=production");
        report.warn("NODE_ENV=production is set in the runtime (asked for); the original did not set it, and libraries and configs behave differently with it");
      } else {
        report.info("NODE_ENV is left unset, as in the original (--node-env-production sets it)");
      }
    }
    checkEngines(project.enginesNode, build.nodeMajor, report);

    const nodeStart = startPlan.dev && startPlan.server ? undefined : startScriptAsNode(input, project);
    // a package manager only the replaced start command ran is not installed in the runtime
    const unneeded = nodeStart && !commandLineWords(commandLine(facts.healthcheck)).has(nodeStart.manager) ? nodeStart.manager : undefined;
    const logDirs = input.rootRequired ? [] : logDirsOutsideWorkdir(context, workdir);
    for (const l of logDirs) report.info(`${l.file} logs into ${l.dir}, outside the application directory: made in the runtime owned by ${user.name}, as the root-run original could make it when it started`);
    const runtimeSetup = [...globalTools(input, project, unneeded), ...corepackRuntimeSetup(input, project, unneeded), ...(logDirs.length > 0 ? [ownedMkdir(logDirs.map((l) => l.dir), workdir, owner)] : [])];
    // pnpm (10+) checks node_modules against package.json before `pnpm start` and reinstalls when they
    // differ: after the prune they differ on purpose (no devDependencies), and the runtime has no network
    if (project.manager === "pnpm" && build.pruneStep && unneeded !== "pnpm" && commandLineWords(input.runtimeText).has("pnpm")) {
      // pnpm 10 reads npm_config_*, pnpm 11+ only pnpm_config_*
      runtimeEnv.push("ENV npm_config_verify_deps_before_run=false pnpm_config_verify_deps_before_run=false");
      report.info("verify-deps-before-run is off in the runtime (npm_config_ and pnpm_config_, for every pnpm major): pnpm would otherwise reinstall the pruned devDependencies before running the start script, and fail without network");
    }
    rejectPrismaOnSlimWithoutOpenssl(facts, project, build.nodeMajor);
    // Prisma's query engine loads libssl and detects its version with `openssl version`: the full
    // node image has both, slim and alpine have neither
    const prismaPackages = runtimeImage !== facts.image.raw && !/-(slim|alpine)/.test(facts.resolvedImage.tag) && ("@prisma/client" in project.dependencies || "prisma" in project.dependencies) ? ["openssl"] : [];
    if (prismaPackages.length > 0) report.info("openssl is installed in the runtime: Prisma's engines need libssl, which the smaller image lacks");
    const files = runtimeFiles(facts, context, startPlan.server ? [startPlan.server.start.join(" ")] : startPlan.lines, build.installs);
    if (files.whole) report.info(`the runtime takes the whole work directory (${files.why})`);
    else report.info(`the runtime takes only what runs: ${files.keep.map((k) => k.path + (k.dir ? "/" : "")).join(", ")}; left in the build stage: ${files.dropped.join(", ") || "nothing else in the context"} (copy more with your own COPY if the app reads them at run time)`);
    if (!files.whole && files.optional.length > 0) report.info(`the app loads ${files.optional.join(", ")} at start, which this checkout lacks: the runtime takes it when the build context has it, as the original's COPY did`);
    const decision: StackDecision = {
      runtimeImage,
      family,
      user,
      buildInserts: build.buildInserts,
      moves: build.moves,
      segmentRewrites: build.segmentRewrites,
      cacheTargets: build.cacheTargets,
      ...(build.pruneStep ? { pruneStep: build.pruneStep } : {}),
      runtimeEnv,
      runtimeSetup,
      ...(prismaPackages.length > 0 ? { runtimePackages: prismaPackages } : {}),
      appCopies: (source) => {
        if (workdir === "/") return [];
        if (files.whole) return [copyFromStage(source, workdir, workdir, owner)];
        return files.keep.map(({ path }) => {
          // a wildcard that matches nothing fails a COPY on its own: the optional .env rides with package.json
          if (path === "package.json" && files.optional.length > 0) return copyInstruction([`--from=${source}`, isRootOwner(owner) ? "" : `--chown=${owner}`], [`${workdir}/package.json`, ...files.optional.map((f) => `${workdir}/${optionalGlob(f)}`)], `${workdir}/`);
          return copyFromStage(source, `${workdir}/${path}`, `${workdir}/${path}`, owner);
        });
      },
      installsRuntimePackages: true,
      copiesWorkdir: true,
      devCommand: devCommand(project, facts.cmd?.form === "exec" ? execForm(facts.cmd.argv) : facts.cmd?.shell),
    };
    if (startPlan.dev && startPlan.server) {
      switchToProductionServer(input, decision, startPlan.dev, startPlan.server, project);
      return decision;
    }
    if (nodeStart) decision.startOverride = [added(nodeStart.start)];
    return decision;

    function chooseVariant(): "slim" | "alpine" {
      if (originalFamily === "alpine") return "alpine";
      // a slim original is its own runtime image: no variant to choose, nothing to report
      if (/(^|-)slim/.test(facts.resolvedImage.tag)) return "slim";
      if (options.runtime === "alpine") {
        if (project.nativeReasons.length > 0) report.warn(`alpine was asked for, but ${project.nativeReasons[0]}; native modules built against glibc may not load on musl`);
        return "alpine";
      }
      if (options.runtime === "slim") return "slim";
      const blockers = [
        ...(project.known ? [] : ["package.json is not in the build context"]),
        ...(project.known && !project.lockfile ? ["without a lockfile the packages the install resolves, and any native code among them, are unknown"] : []),
        ...project.nativeReasons,
        ...(packages && packages.runtime.length > 0 ? [`runtime OS packages (${packages.runtime.join(", ")}) are Debian packages`] : []),
        ...(shell.bash ? ["the start script needs bash"] : []),
        ...(explicitCustomUser ? [`the user ${facts.user} is created with Debian tools`] : []),
      ];
      if (blockers.length === 0) {
        report.info("alpine runtime: no native modules and no OS packages are involved");
        return "alpine";
      }
      report.info(`slim runtime (same glibc family as the build): ${blockers[0]}`);
      return "slim";
    }
  },
};

/** A server-rendered app's development server becomes its production server, after a production build. */
function switchToProductionServer(input: PassInput, decision: StackDecision, dev: DevServer, server: ProductionServer, project: NodeProject): void {
  const { facts, report, context } = input;
  if (!hasBuildStep(facts)) {
    const command = productionBuildCommand(project, server.framework);
    if (!command) throw unsupported(`development image: the start command runs ${dev.tool} and msb knows no production build for it`);
    requireCopiedSources(facts);
    const at = buildInsertIndex(facts);
    appendTo(decision.buildInserts, at, added(`RUN ${command}`));
    report.info(`\`RUN ${command}\` added after the sources are copied: the original only ran the development server`);
  }
  for (const [name, value] of Object.entries(server.env)) {
    if (facts.envNames.includes(name)) continue;
    decision.runtimeEnv.push(`ENV ${name}=${value}`);
  }
  decision.startOverride = [added(`CMD ${execForm(server.start)}`)];
  reportDevToProduction(dev, context, report, `the production server (${server.why})`);
}

/** Global npm tools (pm2, serve, @angular/cli…) whose commands the runtime runs are installed in the runtime too. */
function globalTools(input: PassInput, project: NodeProject, unneeded?: string): string[] {
  const out: string[] = [];
  // the app's sources are read only when the image installs a global tool at all
  let known: Set<string> | undefined;
  const commands = () => {
    if (known) return known;
    known = commandLineWords(input.runtimeText);
    for (const program of spawnedCommands(input.context)) known.add(program);
    if (unneeded) known.delete(unneeded);
    return known;
  };
  for (const entry of input.facts.body) {
    for (const segment of entry.run?.segments ?? []) {
      if (!isGlobalNodeInstall(segment.argv)) continue;
      const words = commands();
      const names = commandWords(segment.argv).slice(2).filter((w) => !w.startsWith("-") && w !== "add");
      const used = names.filter((n) => binsOf(n).some((bin) => words.has(bin)));
      if (used.length > 0) {
        out.push(`RUN ${pinnedToPackageManager(segment.text, used, project, input)}`);
        input.report.info(`global tool needed at run time installed in the runtime: ${used.map((n) => `${n} (${binsOf(n).filter((b) => words.has(b)).join(", ")})`).join(", ")}`);
      }
    }
  }
  return out;
}

/**
 * An unpinned global pnpm in a project whose package.json pins pnpm (`"packageManager": "pnpm@11.22.0"`)
 * installs the pinned release in the runtime: a newer pnpm switches to the pinned one by downloading it
 * into the user's home, which the build did as root and the runtime user would do at every start.
 */
function pinnedToPackageManager(install: string, used: string[], project: NodeProject, input: PassInput): string {
  const pinned = /^pnpm@(\d+\.\d+\.\d+[\w.-]*)/.exec(project.packageManager)?.[1];
  if (!pinned || !used.includes("pnpm")) return install;
  const rewritten = install.replace(/(^|\s)pnpm(?=\s|$)/, `$1pnpm@${pinned}`);
  if (rewritten !== install) input.report.info(`the runtime installs pnpm@${pinned}, the release package.json's packageManager pins: a newer pnpm would download it at every start, as the runtime user`);
  return rewritten;
}

function devCommand(project: NodeProject, original: string | undefined): string {
  const run = project.manager === "npm" ? ["npm", "run"] : [project.manager];
  if (project.scripts["dev"]) return `CMD ${execForm([...run, "dev"])}`;
  if (project.scripts["start:dev"]) return `CMD ${execForm([...run, "start:dev"])}`;
  return original ? `CMD ${original}` : `CMD ${execForm([project.manager, "start"])}`;
}

/**
 * `CMD ["pnpm", "start"]` (or yarn's) whose script is a plain `node …` becomes that node command: the
 * runtime needs no package manager (pnpm run as another user than the one who installed would check
 * the modules against its own store and reinstall them). `npm start` stays: every node image has npm,
 * and npm as PID 1 passes SIGTERM on to node, which as PID 1 itself ignores it unless the app handles it.
 */
function startScriptAsNode(input: PassInput, project: NodeProject): { start: string; manager: string } | undefined {
  const { facts, report } = input;
  const cmd = facts.cmd;
  if (!cmd || cmd.form !== "exec" || facts.entrypoint) return undefined;
  const argv = cmd.argv;
  const manager = argv[0] ?? "";
  const runsStart = ["pnpm", "yarn"].includes(manager) && (argv[1] === "start" || (argv[1] === "run" && argv[2] === "start")) && argv.length === (argv[1] === "run" ? 3 : 2);
  const script = runsStart ? project.scripts["start"] : undefined;
  if (!script || !/^node(\s+[\w@./:=-]+)+$/.test(script.trim())) return undefined;
  // Plug'n'Play resolves packages through yarn's loader, which `yarn start` installs and plain node lacks
  if (manager === "yarn" && project.plugAndPlay && !linkerOverridden(facts)) return undefined;
  const words = tokenize(script);
  report.info(`CMD ${JSON.stringify(argv)} runs "${script}"; the runtime starts node directly and needs no ${manager} (node runs as PID 1, which stops on SIGTERM only if the app handles it: run the container with --init, or compose's init: true, if it does not)`);
  return { start: `CMD ${execForm(words)}`, manager };
}

/** The Dockerfile sets yarn's linker itself (`yarn config set nodeLinker node-modules`, YARN_NODE_LINKER). */
function linkerOverridden(facts: PassInput["facts"]): boolean {
  return facts.body.some((e) => /\bnodeLinker\s+["']?node-modules|YARN_NODE_LINKER=["']?node-modules/.test(e.ins.text));
}

/**
 * What the runtime starts; a refusal of the start command (a development server) gives way to a
 * rejection of the build itself: an input that cannot build is rejected, whatever it would run.
 */
function startPlanAfterBuildChecks(input: PassInput): StartPlan {
  try {
    return planStart(input);
  } catch (refusal) {
    try {
      planNodeBuild(input);
    } catch (error) {
      if (error instanceof MsbError && error.kind === "unusable") throw error;
    }
    throw refusal;
  }
}
