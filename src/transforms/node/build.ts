import { Keyword } from "dockerfile-ast";
import { commandWords, isGlobalNodeInstall, nodeInstall } from "../../analysis/commands.js";
import { has, type BuildContext } from "../../analysis/context.js";
import { rejectPnpmLockfileTooNew } from "./pnpm-lockfile-too-new.js";
import { bundledNpmMajor, strictInstallVerdict, type StrictInstallVerdict, type ToolVersions } from "./lockfile.js";
import { rejectNpmCiWithoutLockfile } from "./npm-ci-lockfile.js";
import { rejectGlobalCliNewerThanNode } from "./global-cli-engines.js";
import { userSetBefore, type Facts, type InstructionFacts } from "../../analysis/facts.js";
import { added, type PlanLine } from "../../plan/types.js";
import type { PassInput } from "../types.js";
import { readNodeProject, type NodeProject } from "./project.js";
import { globMatches, manifestFirstCopy } from "../common/manifest-first.js";
import { importedDevDependencies } from "./imported-dev-dependencies.js";
import { rejectMissingPnpm } from "./pnpm-present.js";
import { rejectMissingYarn } from "./yarn-present.js";
import { rejectMissingCorepack } from "./corepack-present.js";
import { rejectYarnEnginesMismatch } from "./yarn-engines.js";
import { rejectPlaceholderTestScript } from "./placeholder-test-script.js";
import { rejectNodeSassTooOld } from "./node-sass.js";
import { rejectWebpackMd4OnOpenssl3 } from "./webpack-md4.js";
import { rejectNextStartWithoutBuild } from "./next-build-present.js";
import { rejectRequireOfEsmOnlyPackage } from "./esm-only-require.js";
import { rejectMissingStartFile } from "./start-file-present.js";
import { rejectMissingStartScript } from "./start-script-present.js";
import { taggedNodeMajor } from "../common/base-images.js";
import { rejectDeadRegistryLockfile } from "../../validate/dead-registry.js";
import { firstLatestPnpmRun, rejectCorepackLatestPnpm, rejectCorepackOldNpmKeys } from "./corepack-latest-pnpm.js";
import { composeCommandsNeedingDevDependencies } from "./compose-dev-commands.js";
import { rejectPnpmIgnoredBuilds } from "./pnpm-strict-builds.js";
import { rejectMiscasedImports } from "./import-path-case.js";
import { rejectBuildToolLeftOutByProductionInstall } from "./production-install-build-tools.js";

export interface NodeBuild {
  project: NodeProject;
  buildInserts: Map<number, PlanLine[]>;
  moves: Map<number, number>;
  segmentRewrites: Map<number, Map<number, string>>;
  cacheTargets: Map<number, string[]>;
  pruneStep?: string;
  /** The node major version of the base image, when the tag says it. */
  nodeMajor?: number;
  /** Whether the lockfile is in the image and a strict install from it would succeed. */
  strictInstall: boolean;
  /** How many project dependency installs the original runs. */
  installs: number;
}

export interface PruneNeeds {
  /** false: the runtime takes no node_modules (a static site), so nothing is pruned or reported. */
  prune?: boolean;
  /** Dev dependencies the start command runs (ts-node, a CLI…): while there are any, nothing is pruned. */
  startNeedsDevDependencies?: (project: NodeProject) => string[];
}

const cacheDirs = { npm: "/root/.npm", yarn: "/usr/local/share/.cache/yarn", pnpm: "/root/.local/share/pnpm/store" } as const;

/** Build-stage improvements shared by the Node.js and static front-end passes. */
export function planNodeBuild(input: PassInput, needs: PruneNeeds = {}): NodeBuild {
  const { facts, context, report } = input;
  rejectMissingPnpm(facts);
  rejectMissingCorepack(facts);
  rejectMissingYarn(facts);
  rejectPlaceholderTestScript(facts, context);
  rejectMissingStartFile(facts, context, input.contextEvident);
  rejectMiscasedImports(context, input.contextEvident);
  rejectMissingStartScript(facts, context, input.contextEvident);
  if (input.contextEvident) rejectNpmCiWithoutLockfile(facts, context);
  rejectGlobalCliNewerThanNode(facts, imageNodeMajor(facts));
  const installs = facts.body.flatMap((entry, i) =>
    (entry.run?.segments ?? []).flatMap((segment, j) => {
      const install = nodeInstall(segment.argv);
      return install && !isGlobalNodeInstall(segment.argv) && install.packages.length === 0 ? [{ entry, i, j, install, segment }] : [];
    }),
  );
  const project = readNodeProject(context, installs[0]?.install.manager);
  if (input.contextEvident && project.known) rejectNextStartWithoutBuild(facts, context, project);
  const nodeMajor = imageNodeMajor(facts);
  const result: NodeBuild = { project, buildInserts: new Map(), moves: new Map(), segmentRewrites: new Map(), cacheTargets: new Map(), strictInstall: false, installs: 0, ...(Number.isFinite(nodeMajor) ? { nodeMajor } : {}) };
  const first = installs[0];
  result.installs = installs.length;
  if (!first) {
    report.info("no dependency install step found");
    return result;
  }

  if (input.contextEvident && project.known && first.install.manager === "yarn") rejectYarnEnginesMismatch(facts, context, project, nodeMajor, { entry: first.entry, text: first.segment.text.trim(), flags: first.install.flags });
  const manifests = ["package.json", ...(project.lockfile ? [project.lockfile] : []), ...project.installConfigFiles];
  const overwrite = contextMayOverwriteNodeModules(context);
  const blockers = [...(project.known ? project.manifestOnlyBlockers : ["package.json is not in the build context"]), ...(overwrite ? [overwrite] : [])];
  const insertion = manifestFirstCopy(facts, first.i, manifests, blockers, report);
  if (insertion) {
    result.buildInserts.set(insertion.at, [added(insertion.text)]);
    result.moves.set(first.i, insertion.at);
  }
  const lockfilePresent = project.lockfile !== undefined && (insertion !== undefined || copiedBefore(facts, first.i, project.lockfile));
  // an .npmrc counts only where the install sees it: copied before it (by the original or the manifest copy msb adds), not with the later `COPY . .`
  const npmrcSeen = project.installConfigFiles.includes(".npmrc") && (insertion !== undefined || copiedBefore(facts, first.i, ".npmrc"));
  const npmrcRelaxesPeers = npmrcSeen && /^\s*(legacy-peer-deps|force)\s*=\s*true\b/m.test(context.read(".npmrc") ?? "");
  const versions = { nodeMajor, ...optionalMajor(managerMajor(facts, project, first.install.manager, first.i)) };
  const verdict: StrictInstallVerdict = !lockfilePresent
    ? { ok: false, why: project.lockfile ? `${project.lockfile} is not copied before the install` : "the context has no lockfile" }
    : strictInstallVerdict(context, first.install.manager, project.lockfile!, { dependencies: project.dependencies, devDependencies: project.devDependencies, optionalDependencies: project.optionalDependencies }, versions, first.install.flags.some((f) => f === "--legacy-peer-deps" || f === "--force" || f === "-f") || npmrcRelaxesPeers);
  result.strictInstall = verdict.ok;

  for (const { i, j, install, segment, entry } of installs) {
    const rewritten = verdict.ok ? lockfileInstall(segment.text, install.manager, install.flags, project) : segment.text;
    if (rewritten !== segment.text) {
      setRewrite(result.segmentRewrites, i, j, rewritten);
      report.info(`line ${entry.ins.startLine + 1}: \`${segment.text}\` → \`${rewritten}\` (installs exactly what ${project.lockfile} pins)`);
    } else if (!verdict.ok && !alreadyStrict(install.verb, install.flags)) {
      report.info(`line ${entry.ins.startLine + 1}: \`${segment.text}\` kept as written: a lockfile-only install could fail (${verdict.why})`);
    }
    if (!userSetBefore(facts, i)) result.cacheTargets.set(i, [cacheDirs[install.manager]]);
  }

  const productionOnly = installs.every(({ install, segment }) =>
    install.flags.some((f) => f === "--production" || f === "--omit=dev" || f === "--prod") || /NODE_ENV=production/.test(segment.text),
  ) || facts.variables["NODE_ENV"] === "production" && installs.every(({ entry }) => envSetBefore(facts, entry, "NODE_ENV"));
  rejectNodeSassTooOld(facts, context, project, nodeMajor, first.entry.ins.startLine + 1, productionOnly);
  if (input.contextEvident) rejectBuildToolLeftOutByProductionInstall(facts, context, project, productionOnly, installs[installs.length - 1]!.i);
  if (input.contextEvident) rejectDeadRegistryLockfile(context, project.lockfile, lockfilePresent, first.entry.ins.startLine + 1);
  // corepack's latest pnpm stops before building anything where the image's corepack cannot start it
  if (input.contextEvident) rejectCorepackLatestPnpm(facts, project);
  if (input.contextEvident) rejectCorepackOldNpmKeys(facts, project);
  if (input.contextEvident) rejectPnpmIgnoredBuilds(facts, context, lockfilePresent ? project.lockfile : undefined, Object.keys({ ...project.dependencies, ...project.devDependencies }), firstLatestPnpmRun(facts, project) !== undefined);
  if (input.contextEvident && first.install.manager === "pnpm" && lockfilePresent) {
    const frozen = first.install.flags.includes("--frozen-lockfile") || /(^|\s)CI=(true|1)\b/.test(first.segment.text) || ["true", "1"].includes(facts.variables["CI"] ?? "");
    rejectPnpmLockfileTooNew(context, project.lockfile, versions.managerMajor, { entry: first.entry, text: first.segment.text.trim(), frozen, npmrcSeen });
  }
  // later in the build than the install: after the rules that stop the install itself
  if (input.contextEvident) rejectWebpackMd4OnOpenssl3(facts, context, project, nodeMajor, lockfilePresent);
  if (input.contextEvident) rejectRequireOfEsmOnlyPackage(facts, context, project, nodeMajor);
  const pruned = facts.body.some((e) => e.run?.segments.some((s) => /\b(npm|pnpm) prune\b/.test(s.text)));
  const hasDevDependencies = !project.known || Object.keys(project.devDependencies).length > 0;
  const usesPrisma = "@prisma/client" in project.dependencies;
  const neededDev = project.known ? needs.startNeedsDevDependencies?.(project) ?? [] : [];
  const imported = () => (project.known && needs.prune !== false ? importedDevDependencies(context, project, input.runtimeText) : []);
  let importedDev: string[] = [];
  if (needs.prune === false) {
    // nothing to report: the runtime takes no node_modules
  } else if (productionOnly || pruned || !hasDevDependencies) {
    report.info("no dev dependencies to remove from the runtime");
  } else if (neededDev.length > 0) {
    report.info(`dev dependencies stay in the runtime: the start command runs ${neededDev.join(", ")}`);
  } else if ((importedDev = imported()).length > 0) {
    const throughConfig = importedDev.some((n) => /^ts-node/.test(n)) && "config" in project.dependencies ? " (node-config reads config/*.ts through ts-node)" : "";
    report.warn(`dev dependencies stay in the runtime: the application loads ${importedDev.join(", ")}${throughConfig}, which package.json lists under devDependencies (move ${importedDev.length === 1 ? "it" : "them"} to dependencies to let msb prune the rest)`);
  } else if (project.manager === "yarn" && project.yarnBerry) {
    report.warn("Yarn 2+ has no prune command; dev dependencies stay in the runtime");
  } else if (project.manager === "yarn" && usesPrisma) {
    report.info("dev dependencies stay in the runtime: a yarn reinstall would remove the Prisma client generated into node_modules/.prisma");
  } else {
    const dirs = [...new Set(installs.map(({ segment }) => segment.cwd))];
    // an install forced past npm's platform check (`npm install --force @img/sharp-linux-arm64`) saved a
    // package for another platform: a prune rebuilding the tree without --force stops with EBADPLATFORM
    const forced = project.manager === "npm" && facts.body.some((e) => e.run?.segments.some((seg) => { const w = commandWords(seg.argv); return w[0] === "npm" && ["install", "i", "add"].includes(w[1] ?? "") && (w.includes("--force") || w.includes("-f")); }));
    // the install resolved without the lockfile a later COPY brings: a prune reading it would swap the installed versions for the lockfile's
    const ignoreLockfile = (project.manager === "npm" || (project.manager === "yarn" && !project.yarnBerry)) && project.lockfile !== undefined && !lockfilePresent;
    const command = `${pruneCommand(project, versions, verdict.ok)}${forced ? " --force" : ""}${ignoreLockfile ? (project.manager === "yarn" ? " --no-lockfile" : " --no-package-lock") : ""}`;
    result.pruneStep = `RUN ${dirs.map((d) => (d === facts.finalWorkdir ? command : `cd ${d} && ${command}`)).join(" && ")}`;
    report.info(`dev dependencies removed after the build, without lifecycle scripts, where the install ran: ${result.pruneStep.slice(4)}`);
    if (ignoreLockfile) report.info(`the prune ignores ${project.lockfile}: the install ran before the lockfile was copied, and ${project.manager === "yarn" ? "yarn's reinstall" : "npm prune"} would otherwise change the installed versions to the lockfile's`);
    if (usesPrisma) report.info("the Prisma client generated into node_modules/.prisma is not a package and survives the prune");
    for (const use of composeCommandsNeedingDevDependencies(context, project)) {
      if (input.options.dev) report.info(`${use.where} runs \`${use.text}\` in this image, which needs ${use.packages.join(", ")} from devDependencies: give that service \`target: development\`, the stage that keeps them`);
      else report.warn(`${use.where} runs \`${use.text}\` in this image, which needs ${use.packages.join(", ")} from devDependencies: the converted image has them pruned; convert with --dev for a development stage that keeps them and give that service \`target: development\``);
    }
  }
  return result;
}

function optionalMajor(major: number | undefined): { managerMajor?: number } {
  return major === undefined ? {} : { managerMajor: major };
}

function alreadyStrict(verb: string, flags: string[]): boolean {
  return verb === "ci" || flags.some((f) => ["--frozen-lockfile", "--immutable", "--pure-lockfile"].includes(f));
}

/** The node major of the build image: the tag's number, or a recent one for floating official tags (lts, latest, alpine…). */
export function imageNodeMajor(facts: Facts): number {
  const ref = facts.resolvedImage;
  const tagged = ref.name === "node" || /^\d/.test(ref.tag) ? taggedNodeMajor(ref.tag) : undefined;
  if (tagged !== undefined) return tagged;
  const official = ref.name === "node" && (ref.registry === "" || ref.registry.includes("docker"));
  if (official && (ref.tag === "" || /^(lts|latest|current|alpine|slim|bookworm|bullseye|bookworm-slim|bullseye-slim|lts-\w+|current-\w+)$/.test(ref.tag))) return 22;
  return NaN;
}

/** The major version of the package manager the Dockerfile pins before the install (npm i -g npm@9, corepack prepare pnpm@8, packageManager). */
function managerMajor(facts: Facts, project: NodeProject, manager: string, before: number): number | undefined {
  let major: number | undefined;
  let corepack = false;
  for (const entry of facts.body.slice(0, before + 1)) {
    for (const segment of entry.run?.segments ?? []) {
      const words = commandWords(segment.argv);
      if (words[0] === "corepack") corepack = true;
      for (const word of words) {
        const m = new RegExp(`^${manager}@v?(\\d+)`).exec(word);
        if (m && (isGlobalNodeInstall(segment.argv) || words[0] === "corepack")) major = Number(m[1]);
      }
    }
  }
  if (major === undefined && corepack && project.packageManager.startsWith(`${manager}@`)) {
    major = Number(/@(\d+)/.exec(project.packageManager)?.[1] ?? NaN);
    if (!Number.isFinite(major)) major = undefined;
  }
  return major;
}

/** Why the build context could overwrite an installed node_modules with its own copy (undefined: it cannot). */
export function contextMayOverwriteNodeModules(context: BuildContext): string | undefined {
  if (!context.known) return "without the build context msb cannot tell whether it holds a node_modules directory";
  const ignore = (context.read(".dockerignore") ?? "").split(/\r?\n/).map((l) => l.trim());
  let excluded = false;
  for (const line of ignore) {
    if (/^\/?(\*\*\/)?node_modules\/?(\*\*?)?$/.test(line)) excluded = true;
    else if (/^!\/?(\*\*\/)?node_modules/.test(line)) excluded = false;
  }
  if (excluded) return undefined;
  return has(context, "node_modules") ? "the build context holds node_modules/ and no .dockerignore excludes it; copying the sources after the install would replace the installed modules" : undefined;
}

function pruneCommand(project: NodeProject, versions: ToolVersions, strict: boolean): string {
  switch (project.manager) {
    case "yarn":
      return `yarn install --production --ignore-scripts --prefer-offline${strict ? " --frozen-lockfile" : ""}`;
    case "pnpm":
      // pnpm (10.16+) asks before recreating node_modules and, with no TTY in a build, aborts unless CI is set;
      // pnpm 7 and older stop on --ignore-scripts ("Unknown option")
      return versions.managerMajor !== undefined && versions.managerMajor < 8 ? "CI=true pnpm prune --prod" : "CI=true pnpm prune --prod --ignore-scripts";
    default: {
      const npmMajor = versions.managerMajor ?? bundledNpmMajor(versions.nodeMajor) ?? 10;
      return npmMajor < 7 ? "npm prune --production --ignore-scripts" : "npm prune --omit=dev --ignore-scripts";
    }
  }
}

function lockfileInstall(text: string, manager: string, flags: string[], project: NodeProject): string {
  const frozen = flags.some((f) => ["--frozen-lockfile", "--immutable", "--pure-lockfile", "--no-frozen-lockfile"].includes(f));
  if (manager === "npm") return text.replace(/\bnpm\s+(install|i|isntall)\b/, "npm ci");
  if (frozen) return text;
  if (manager === "yarn") {
    const flag = project.yarnBerry ? "--immutable" : "--frozen-lockfile";
    return /\byarn\s+install\b/.test(text) ? text.replace(/\byarn\s+install\b/, `yarn install ${flag}`) : text.replace(/\byarn\b/, `yarn install ${flag}`);
  }
  if (manager === "pnpm") return text.replace(/\bpnpm\s+(install|i)\b/, "pnpm install --frozen-lockfile");
  return text;
}

export function setRewrite(map: Map<number, Map<number, string>>, i: number, j: number, text: string): void {
  const inner = map.get(i) ?? new Map<number, string>();
  inner.set(j, text);
  map.set(i, inner);
}


function envSetBefore(facts: Facts, entry: InstructionFacts, name: string): boolean {
  const at = facts.body.indexOf(entry);
  return facts.body.slice(0, at).some((e) => e.keyword === Keyword.ENV && new RegExp(`\\b${name}\\b`).test(e.ins.text));
}

/** Whether a COPY before body index `before` brings `file` into the image. */
export function copiedBefore(facts: Facts, before: number, file: string): boolean {
  return facts.body.slice(0, before).some((e) => e.copy && !e.copy.fromImage && e.copy.sources.some((s) => s === "." || s === "./" || globMatches(s, file)));
}


