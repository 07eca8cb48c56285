import { has } from "../../analysis/context.js";
import { commandLine } from "../common/runtime-text.js";
import { added } from "../../plan/types.js";
import { chosenImages } from "../common/base-images.js";
import { execForm } from "../common/exec-form.js";
import { planNodeBuild } from "../node/build.js";
import type { StackDecision, StackPass } from "../types.js";
import { nginxConfigLines, writeConfigCommand } from "./nginx-config.js";
import { findOutputDir, findPort, portFlag } from "./site.js";
import { rejectServedDirectoryNeverBuilt } from "./served-directory-never-built.js";
import { posix } from "node:path";
import { unsupported } from "../../errors.js";
import { recogniseDevServer, type DevServer } from "../../analysis/dev-server.js";
import { reportDevToProduction } from "../node/dev-switch-notes.js";
import { productionBuildCommand } from "../node/production-switch.js";
import { buildInsertIndex, hasBuildStep, requireCopiedSources } from "../node/build-step.js";
import { copyFromStage } from "../common/copy-instruction.js";
import { appendTo } from "../common/multimap.js";
import { nginxServedSite } from "../../analysis/nginx-served-site.js";
import { unprivilegedNginx } from "./unprivileged-nginx.js";
import { originalNginxSteps } from "./original-nginx-steps.js";
import { commandWords, nodeInstall } from "../../analysis/commands.js";

const staticServers = new Set(["serve", "http-server", "live-server", "static-server", "lite-server", "sirv-cli"]);

function installsOnlyStaticServers(argv: readonly string[]): boolean {
  const words = commandWords(argv);
  // `yarn global add serve`: yarn's global form puts the verb after "global"
  const packages = words[0] === "yarn" && words[1] === "global" ? words.slice(3).filter((w) => !w.startsWith("-")) : (nodeInstall(argv)?.packages ?? []);
  return packages.length > 0 && packages.every((p) => staticServers.has(p.replace(/(.)@.*$/, "$1")));
}

export const staticPass: StackPass = {
  name: "static",
  description: "Static front-ends (React, Vue, Angular, Svelte, Vite, CRA, Parcel, Next export): built with node, served by nginx as an unprivileged user",
  plan(input) {
    const { facts, report, context } = input;
    const build = planNodeBuild(input, { prune: false });
    const startCommand = [commandLine(facts.entrypoint), commandLine(facts.cmd)].join(" ").trim();
    const start = startCommand.split(/\s+/).filter(Boolean);
    // nginx the node image installed itself serves a directory its configuration names
    const site = nginxServedSite(facts);
    if (!site) rejectServedDirectoryNeverBuilt(facts, context, build.project, start);
    const output = site ? { dir: site.root, why: site.why } : findOutputDir(context, build.project, start);
    const dev = recogniseDevServer(startCommand, build.project.scripts);
    // the package script the start command runs, if it runs one (`serve -s dist` runs none: the start script's `vite` is not it)
    const startScript = /(?:npm|yarn|pnpm)(?: run)? (\S+)/.exec(startCommand)?.[1];
    const serverLine = `${startCommand} ${startScript ? (build.project.scripts[startScript] ?? "") : ""} ${dev?.line ?? ""}`;
    // nginx the original ran as root listens where its configuration says, on 80 without a listen directive
    const siteConfigs = site ? [site.config, site.mainConfig].filter((c): c is NonNullable<typeof c> => c !== undefined) : [];
    const port = site && facts.exposedPorts.length === 0 && siteConfigs.length > 0 ? { port: listenPorts(siteConfigs.map((c) => c.text).join("\n"))[0]!, why: `the nginx configuration ${siteConfigs.map((c) => c.path).join(", ")}` } : findPort(facts, serverLine);
    if (dev) insertProductionBuild(dev);
    else if (!site && !hasBuildStep(facts) && context.known && !has(context, output.dir)) {
      throw unsupported(`the start command \`${startCommand}\` serves ${output.dir}/, which no build step makes and the build context does not have, so msb cannot tell what the site is built from`);
    }
    report.info(`static files from ${output.dir}/ (${output.why}), served by nginx on port ${port.port} (${port.why})`);
    if (!site) report.info(`the start command \`${startCommand}\` is replaced by nginx, a production static server`);
    if (!site && !portFlag.test(serverLine) && readsPortVariable(serverLine)) {
      report.warn(`the original server listens on $PORT when it is set (Cloud Run and Heroku set it), else on ${port.port}; nginx listens on ${port.port} only: give the platform that port`);
    }
    if (dev) reportDevToProduction(dev, context, report, `nginx serving the production build on port ${port.port}`);

    const omit = new Set<number>();
    const projectConfig = site ? undefined : ["nginx.conf", "default.conf", "nginx/nginx.conf", "nginx/default.conf", "conf/nginx.conf"].find((f) => has(context, f));
    // a configuration the original did not use serves the app only if it listens where the original did
    const projectPorts = projectConfig === undefined ? [] : listenPorts(context.read(projectConfig) ?? "");
    if (projectConfig && !projectPorts.includes(port.port)) report.info(`the project's ${projectConfig} listens on ${projectPorts.join(", ")}, not on ${port.port}, where the original served: msb's own configuration is used`);
    const ownConfig = site ? site.config?.path : projectConfig && projectPorts.includes(port.port) ? projectConfig : undefined;
    const setup: string[] = [];
    const nginxOptions = ["daemon off;"];
    /** The project's whole nginx.conf as the runtime's, with what the nginx user needs to run it. */
    const useMainConfig = (path: string, text: string) => {
      const writable = unprivilegedNginx(text);
      setup.push(...writable.setup);
      nginxOptions.push(...writable.options);
      setup.push(`COPY ${path} /etc/nginx/nginx.conf`);
      if (writable.setup.length + writable.options.length > 0) report.info(`${path} keeps nginx's default ${writable.defaults.join(" and ")}, which the nginx user cannot write: ${writable.how}`);
    };
    if (site?.mainConfig && site.config) {
      useMainConfig(site.mainConfig.path, site.mainConfig.text);
      setup.push(`COPY ${site.config.path} ${site.config.target}`);
      setup.push(...listenFor(site.config, port.port));
      report.info(`the project's own ${site.mainConfig.path} and ${site.config.path} are used as /etc/nginx/nginx.conf and ${site.config.target}`);
    } else if (ownConfig) {
      const text = context.read(ownConfig) ?? "";
      const main = /^\s*http\s*\{/m.test(text);
      const target = main ? "/etc/nginx/nginx.conf" : "/etc/nginx/conf.d/default.conf";
      if (main) {
        useMainConfig(ownConfig, text);
      } else {
        setup.push(writeConfigCommand(nginxConfigLines(port.port, "/etc/nginx/conf.d/*.conf"), "/etc/nginx/nginx.conf", facts.doc.escape));
        setup.push(`COPY ${ownConfig} ${target}`);
        setup.push(...listenFor({ text, target }, port.port));
      }
      report.info(`the project's own ${ownConfig} is used as ${target}`);
    } else {
      setup.push(writeConfigCommand(nginxConfigLines(port.port), "/etc/nginx/nginx.conf", facts.doc.escape));
    }
    if (site) {
      report.info(`nginx, which the original installs in ${facts.resolvedImage.raw}, runs from ${chosenImages.nginx} instead${site.root.startsWith(`${facts.finalWorkdir}/`) ? ": its install and configuration stay out of the build stage" : ""}`);
      for (const i of originalNginxSteps(facts, site)) omit.add(i);
    }
    const serverInstalls = facts.body.flatMap((entry, i) => {
      const segments = entry.run?.segments ?? [];
      // only when every package installed is a static server: `npm i -g pnpm serve` still provides pnpm
      return segments.length > 0 && segments.every((s) => s.kind === "global-tool" && installsOnlyStaticServers(s.argv)) ? [i] : [];
    });
    for (const i of serverInstalls) omit.add(i);
    if (serverInstalls.length > 0) report.info("the global install of the static server is left out: nginx serves the files");
    // a configuration of the project's own serves its root; msb's own serves the image's html directory
    const html = site?.config ? site.root : "/usr/share/nginx/html";
    const sourceDir = site ? site.root : posix.join(facts.finalWorkdir, output.dir);
    const decision: StackDecision = {
      runtimeImage: chosenImages.nginx,
      family: "alpine",
      // the official image's nginx user, by number: works even where /etc/passwd names it differently
      user: { name: "101", group: "101", ownsApp: false },
      omit,
      buildInserts: build.buildInserts,
      moves: build.moves,
      segmentRewrites: build.segmentRewrites,
      cacheTargets: build.cacheTargets,
      runtimeEnv: [],
      runtimeSetup: setup,
      appCopies: (source) => [copyFromStage(source, sourceDir, html)],
      startOverride: [
        ...(facts.exposedPorts.length === 0 ? [added(`EXPOSE ${port.port}`)] : []),
        added(`CMD ${execForm(["nginx", "-g", nginxOptions.join(" ")])}`),
      ],
      installsRuntimePackages: false,
      copiesWorkdir: false,
      // the original's nginx configuration and its site: the runtime has its own copies of both
      ...(site ? { providedByRuntime: (path: string) => path.startsWith("/etc/nginx/") || path === site.root || path.startsWith(`${site.root}/`) } : {}),
    };
    return decision;

    /** A dev-server image that never built: the production build runs after the sources are copied. */
    function insertProductionBuild(server: DevServer): void {
      if (hasBuildStep(facts)) return;
      if (build.installs === 0 && !has(context, "node_modules")) {
        throw unsupported(`development image that never installs its dependencies: the start command runs ${server.tool}, which the image does not have`);
      }
      const command = productionBuildCommand(build.project, server.framework);
      if (!command) {
        throw unsupported(`development image: the start command runs the ${server.tool} development server and package.json has no build script to make a production build from`);
      }
      requireCopiedSources(facts);
      const at = buildInsertIndex(facts);
      appendTo(build.buildInserts, at, added(`RUN ${command}`));
      report.info(`\`RUN ${command}\` added after the sources are copied: the original only ran the development server, which builds in memory`);
    }
  },
};

/**
 * A server block without a `listen` directive listens on 80 when nginx starts as root and on 8000
 * otherwise: the unprivileged runtime names the port the original served on.
 */
function listenFor(config: { text: string; target: string }, port: number): string[] {
  const text = config.text.replace(/#.*$/gm, "");
  if (/(^|[{;])\s*listen\s/m.test(text) || (text.match(/(^|[\s;}])server\s*\{/g) ?? []).length !== 1) return [];
  return [`RUN sed -i 's/server[[:space:]]*{/& listen ${port};/' ${config.target}`];
}

/** Servers that take their port from the PORT variable when no flag names one. */
function readsPortVariable(line: string): boolean {
  return /\bhttp-server\b|react-scripts start|vue-cli-service serve|(^|\/|npx\s+|&&\s*|;\s*)serve(\s|$)/.test(line);
}

/** The ports an nginx configuration's `listen` directives name (80 when none does, nginx's default). */
function listenPorts(config: string): number[] {
  const ports = [...config.replace(/#.*$/gm, "").matchAll(/^\s*listen\s+(?:\[[^\]]*\]:|[\w.-]+:)?(\d+)\b/gm)].map((m) => Number(m[1]));
  return ports.length > 0 ? [...new Set(ports)] : [80];
}
