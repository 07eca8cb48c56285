import { Keyword } from "dockerfile-ast";
import { isGlobalNodeInstall, nodeInstall } from "../../analysis/commands.js";
import { userSetBefore, type Facts, type InstructionFacts } from "../../analysis/facts.js";
import { added, type PlanLine } from "../../plan/types.js";
import type { PassInput } from "../types.js";
import { readNodeProject, type NodeProject } from "./project.js";
import { globMatches, manifestFirstCopy } from "../common/manifest-first.js";

export interface NodeBuild {
  project: NodeProject;
  buildInserts: Map<number, PlanLine[]>;
  moves: Map<number, number>;
  segmentRewrites: Map<number, Map<number, string>>;
  cacheTargets: Map<number, string[]>;
  pruneStep?: string;
  /** The node major version of the base image, when the tag says it. */
  nodeMajor?: number;
}

const cacheDirs = { npm: "/root/.npm", yarn: "/usr/local/share/.cache/yarn", pnpm: "/root/.local/share/pnpm/store" } as const;

/** Build-stage improvements shared by the Node.js and static front-end passes. */
export function planNodeBuild(input: PassInput): NodeBuild {
  const { facts, context, report } = input;
  const installs = facts.body.flatMap((entry, i) =>
    (entry.run?.segments ?? []).flatMap((segment, j) => {
      const install = nodeInstall(segment.argv);
      return install && !isGlobalNodeInstall(segment.argv) && install.packages.length === 0 ? [{ entry, i, j, install, segment }] : [];
    }),
  );
  const project = readNodeProject(context, installs[0]?.install.manager);
  const nodeMajor = Number(/^(\d+)/.exec(facts.resolvedImage.tag)?.[1] ?? NaN);
  const result: NodeBuild = { project, buildInserts: new Map(), moves: new Map(), segmentRewrites: new Map(), cacheTargets: new Map(), ...(Number.isFinite(nodeMajor) ? { nodeMajor } : {}) };
  const first = installs[0];
  if (!first) {
    report.info("no dependency install step found");
    return result;
  }

  const manifests = ["package.json", ...(project.lockfile ? [project.lockfile] : []), ...project.installConfigFiles];
  const insertion = manifestFirstCopy(facts, first.i, manifests, project.known ? project.manifestOnlyBlockers : ["package.json is not in the build context"], report);
  if (insertion) {
    result.buildInserts.set(insertion.at, [added(insertion.text)]);
    result.moves.set(first.i, insertion.at);
  }
  const lockfilePresent = project.lockfile !== undefined && (insertion !== undefined || copiedBefore(facts, first.i, project.lockfile));

  for (const { i, j, install, segment, entry } of installs) {
    const rewritten = lockfileInstall(segment.text, install.manager, install.flags, project, lockfilePresent);
    if (rewritten !== segment.text) {
      setRewrite(result.segmentRewrites, i, j, rewritten);
      report.info(`line ${entry.ins.startLine + 1}: \`${segment.text}\` → \`${rewritten}\` (installs exactly what ${project.lockfile} pins)`);
    }
    if (!userSetBefore(facts, i)) result.cacheTargets.set(i, [cacheDirs[install.manager]]);
  }

  const productionOnly = installs.every(({ install, segment }) =>
    install.flags.some((f) => f === "--production" || f === "--omit=dev" || f === "--prod") || /NODE_ENV=production/.test(segment.text),
  ) || facts.variables["NODE_ENV"] === "production" && installs.every(({ entry }) => envSetBefore(facts, entry, "NODE_ENV"));
  const pruned = facts.body.some((e) => e.run?.segments.some((s) => /\b(npm|pnpm) prune\b/.test(s.text)));
  const hasDevDependencies = !project.known || Object.keys(project.devDependencies).length > 0;
  if (productionOnly || pruned || !hasDevDependencies) {
    report.info("no dev dependencies to remove from the runtime");
  } else if (project.manager === "yarn" && project.yarnBerry) {
    report.warn("Yarn 2+ has no prune command; dev dependencies stay in the runtime");
  } else {
    result.pruneStep = pruneCommand(project, nodeMajor, lockfilePresent);
    report.info(`dev dependencies removed after the build: ${result.pruneStep.slice(4)}`);
  }
  return result;
}

function pruneCommand(project: NodeProject, nodeMajor: number, lockfilePresent: boolean): string {
  switch (project.manager) {
    case "yarn":
      return `RUN yarn install --production${lockfilePresent ? " --frozen-lockfile" : ""}`;
    case "pnpm":
      return "RUN pnpm prune --prod";
    default:
      return nodeMajor < 16 ? "RUN npm prune --production" : "RUN npm prune --omit=dev";
  }
}

function lockfileInstall(text: string, manager: string, flags: string[], project: NodeProject, lockfilePresent: boolean): string {
  if (!lockfilePresent) return text;
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


