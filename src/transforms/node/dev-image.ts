import { readJson } from "../../analysis/context.js";
import { unsupported } from "../../errors.js";
import { commandLine } from "../common/runtime-text.js";
import type { PassInput } from "../types.js";
import { binsOf, commandLineWords } from "./bins.js";
import { devServerIn, recogniseDevServer, startChain, devServerPort, type DevServer, type Framework } from "../../analysis/dev-server.js";
import { productionServer, serverFramework, type ProductionServer, type ServerFramework } from "./production-switch.js";
import type { NodeProject } from "./project.js";

/** The development server each server-rendering framework runs in development. */
const devServerOf: Record<ServerFramework, Framework[]> = {
  next: ["next"], nuxt: ["nuxt"], nuxt2: ["nuxt"], sveltekit: ["vite"], remix: ["remix", "vite"], "angular-ssr": ["angular"], astro: ["astro"],
};

export interface StartPlan {
  /** The development server the original starts, when it starts one. */
  dev?: DevServer;
  /** The production server that replaces it (server-rendered frameworks). */
  server?: ProductionServer;
  /** Command lines the runtime runs: the start command and the package scripts it calls. */
  lines: string[];
}

/**
 * What the runtime starts. A development server of a server-rendered framework becomes its production
 * server; any other development server (nodemon, a front-end dev server next to a back-end) is refused.
 */
export function planStart(input: PassInput): StartPlan {
  const { facts, context } = input;
  const startCommand = [commandLine(facts.entrypoint), commandLine(facts.cmd)].join(" ").trim();
  const pkg = readJson(context, "package.json");
  const scripts = (pkg?.["scripts"] ?? {}) as Record<string, string>;
  const dev = recogniseDevServer(startCommand, scripts);
  if (!dev) return { lines: startChain(startCommand, scripts) };
  const via = dev.via.length > 0 ? ` (through the ${dev.via.map((s) => `"${s}"`).join(" → ")} script)` : "";
  const project = { dependencies: (pkg?.["dependencies"] ?? {}) as Record<string, string>, devDependencies: (pkg?.["devDependencies"] ?? {}) as Record<string, string>, scripts } as NodeProject;
  const framework = serverFramework(project, context);
  if (!framework || !devServerOf[framework].includes(dev.framework)) {
    const hotReload = ["nodemon", "ts-node-dev", "node-watch", "nest-watch", "tsc-watch"].includes(dev.framework);
    const kind = hotReload
      ? "a hot-reloading development server"
      : !pkg
        ? "a development server, and the build context has no package.json to make a production build from (are the sources mounted at run time?)"
        : "a development server msb knows no production build for in this project";
    const production = ["start:prod", "start:production", "prod", "production"].find((name) => scripts[name] !== undefined && !devServerIn(scripts[name]!));
    const hint = hotReload && production ? ` (a production image would run the "${production}" script: ${scripts[production]})` : "";
    throw unsupported(`development image: the start command runs ${dev.tool}${via}, ${kind}; msb converts production images only${hint}`);
  }
  const exposed = facts.exposedPorts.map((p) => Number.parseInt(p, 10)).find((p) => Number.isFinite(p));
  const port = devServerPort(dev) ?? exposed ?? 3000;
  return { dev, server: productionServer(framework, project, context, dev, port), lines: [] };
}

/** Dev dependencies whose commands the runtime runs (ts-node, a CLI kept in devDependencies). */
export function devDependenciesUsed(project: NodeProject, lines: string[]): string[] {
  const words = commandLineWords(lines.join("\n"));
  return Object.keys(project.devDependencies).filter((name) => binsOf(name).some((bin) => words.has(bin)));
}
