import { readJson, type BuildContext } from "../../analysis/context.js";
import { tokenize } from "../../parser/shell.js";
import { devServerIn, type DevServer } from "../../analysis/dev-server.js";
import type { NodeProject } from "./project.js";

/** A server-rendering framework whose production server msb can start. */
export type ServerFramework = "next" | "nuxt" | "nuxt2" | "sveltekit" | "remix" | "angular-ssr" | "astro";

/** How a production image of a server-rendered app starts: argv, and environment its server reads. */
export interface ProductionServer {
  framework: ServerFramework;
  start: string[];
  env: Record<string, string>;
  why: string;
}

/** The server-rendering framework of the project, if its production build makes a Node.js server. */
export function serverFramework(project: NodeProject, context: BuildContext): ServerFramework | undefined {
  const deps = { ...project.dependencies, ...project.devDependencies };
  if ("nuxt" in deps || "nuxt3" in deps) return /^[~^]?2\./.test(deps["nuxt"] ?? "") ? "nuxt2" : "nuxt";
  if ("next" in deps) {
    const config = ["next.config.js", "next.config.mjs", "next.config.ts"].map((f) => context.read(f) ?? "").join("\n");
    return /output\s*:\s*["']export["']/.test(config) || /next export/.test(project.scripts["build"] ?? "") ? undefined : "next";
  }
  if ("@sveltejs/adapter-node" in deps) return "sveltekit";
  if (Object.keys(deps).some((d) => /^@remix-run\/(serve|node|express)$/.test(d))) return "remix";
  if ("@angular/ssr" in deps || "@nguniversal/express-engine" in deps) return "angular-ssr";
  if ("astro" in deps && "@astrojs/node" in deps) return "astro";
  return undefined;
}

/** The command that makes the production build: the project's build script, or the framework's CLI. */
export function productionBuildCommand(project: NodeProject, framework: string): string | undefined {
  const build = project.scripts["build"];
  if (build !== undefined && !devServerIn(build)) return project.manager === "npm" ? "npm run build" : `${project.manager} run build`;
  const cli: Record<string, string> = {
    angular: "npx ng build", "angular-ssr": "npx ng build", vite: "npx vite build", cra: "npx react-scripts build",
    "vue-cli": "npx vue-cli-service build", gatsby: "npx gatsby build", next: "npx next build", nuxt: "npx nuxi build",
    nuxt2: "npx nuxt build", sveltekit: "npx vite build", astro: "npx astro build",
  };
  return cli[framework];
}

/** The production server of a server-rendered app on the port its development server used. */
export function productionServer(framework: ServerFramework, project: NodeProject, context: BuildContext, dev: DevServer, port: number): ProductionServer {
  const bin = (name: string) => `node_modules/.bin/${name}`;
  const host = /(?:^|\s)(?:--hostname|-H|--host)[= ](\S+)/.exec(dev.line)?.[1];
  switch (framework) {
    case "next":
      return { framework, start: [bin("next"), "start", "-p", String(port), ...(host ? ["-H", host] : [])], env: {}, why: "next start serves the production build" };
    case "nuxt":
      return { framework, start: ["node", ".output/server/index.mjs"], env: { PORT: String(port) }, why: "Nuxt's production build is a Node.js server in .output/" };
    case "nuxt2":
      return { framework, start: [bin("nuxt"), "start", "--port", String(port), "--hostname", host ?? "0.0.0.0"], env: {}, why: "nuxt start serves the production build" };
    case "sveltekit":
      return { framework, start: ["node", "build"], env: { PORT: String(port) }, why: "SvelteKit's node adapter writes a server to build/" };
    case "astro":
      return { framework, start: ["node", "./dist/server/entry.mjs"], env: { PORT: String(port), HOST: "0.0.0.0" }, why: "Astro's node adapter writes a server to dist/server/" };
    case "remix": {
      const start = project.scripts["start"];
      const words = start && !devServerIn(start) ? tokenize(start) : ["remix-serve", "./build/index.js"];
      return { framework, start: [words[0]!.includes("/") || words[0] === "node" ? words[0]! : bin(words[0]!), ...words.slice(1)], env: { PORT: String(port) }, why: "remix-serve serves the production build" };
    }
    case "angular-ssr": {
      const script = Object.entries(project.scripts).find(([name, text]) => /^serve:ssr/.test(name) && /^node\s/.test(text));
      if (script) return { framework, start: tokenize(script[1]), env: { PORT: String(port) }, why: `the ${script[0]} script runs the server-side rendering server` };
      const angular = readJson(context, "angular.json");
      const name = Object.keys((angular?.["projects"] ?? {}) as object)[0] ?? "app";
      return { framework, start: ["node", `dist/${name}/server/server.mjs`], env: { PORT: String(port) }, why: "Angular's application builder writes the server to dist/<project>/server/" };
    }
  }
}
