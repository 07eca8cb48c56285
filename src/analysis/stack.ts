import { commandWords, isPipInstall, nodeInstall } from "./commands.js";
import { has, readJson, type BuildContext } from "./context.js";
import type { Facts } from "./facts.js";
import { unsupported } from "../errors.js";
import { recogniseDevServer } from "./dev-server.js";
import { nginxServedSite } from "./nginx-served-site.js";

export type Stack = "node" | "python" | "go" | "static";
export const supportedStacks: readonly Stack[] = ["node", "python", "go", "static"];

export interface StackDetection {
  stack: Stack;
  reasons: string[];
}

const otherStacks: Record<string, string> = {
  openjdk: "Java", "eclipse-temurin": "Java", amazoncorretto: "Java", maven: "Java (Maven)", gradle: "Java (Gradle)",
  ruby: "Ruby", php: "PHP", composer: "PHP", rust: "Rust", elixir: "Elixir", erlang: "Erlang", haskell: "Haskell",
  perl: "Perl", swift: "Swift", dotnet: ".NET", sdk: ".NET", aspnet: ".NET", "dotnet-sdk": ".NET", r: "R", "r-base": "R",
  julia: "Julia", dart: "Dart", clojure: "Clojure", scratch: "scratch", nginx: "nginx (already a runtime image)",
  httpd: "Apache httpd (already a runtime image)", deno: "Deno", "oven/bun": "Bun", bun: "Bun", windows: "Windows",
  servercore: "Windows", nanoserver: "Windows", postgres: "PostgreSQL", mysql: "MySQL", redis: "Redis", mongo: "MongoDB",
};

const frontEndPackages = ["react-scripts", "vite", "@angular/cli", "@angular/core", "@vue/cli-service", "vue", "svelte", "@sveltejs/kit", "parcel", "parcel-bundler", "gatsby", "preact-cli", "@angular-devkit/build-angular", "next"];

export function detectStack(facts: Facts): StackDetection {
  const image = facts.resolvedImage;
  const context = facts.context;
  const runWords = facts.body.flatMap((e) => e.run?.segments.map((s) => commandWords(s.argv)) ?? []);
  const startWords = [facts.entrypoint, facts.cmd].flatMap((c) => (c ? (c.form === "exec" ? c.argv : c.shell.split(/\s+/)) : []));
  const reasons: string[] = [];
  const score: Record<"node" | "python" | "go", number> = { node: 0, python: 0, go: 0 };

  const installsNodePackages = runWords.some((w) => nodeInstall(w) !== undefined);
  const imageKey = image.repository.split("/").slice(-2).join("/");
  if (image.name === "node") { score.node += 10; reasons.push(`base image ${image.raw}`); }
  else if (image.name === "python" || image.name === "pypy") { score.python += 10; reasons.push(`base image ${image.raw}`); }
  else if (image.name === "golang") { score.go += 10; reasons.push(`base image ${image.raw}`); }
  else if (otherStacks[imageKey] ?? otherStacks[image.name] ?? (image.repository.includes("dotnet") ? ".NET" : undefined)) {
    const name = otherStacks[imageKey] ?? otherStacks[image.name] ?? ".NET";
    if (/runtime image/.test(name) && installsNodePackages) {
      throw unsupported(`builds a Node.js project inside an ${image.name} image (${image.raw}), with a Node.js it installs itself; msb converts builds that start FROM node (build there, then copy the output into ${image.name})`);
    }
    throw unsupported(`detected a ${name} image (${image.raw}); msb supports ${supportedStacks.join(", ")}`);
  }
  if (installsNodePackages) { score.node += 3; reasons.push("installs npm/yarn/pnpm dependencies"); }
  const pipInstall = runWords.some((w) => isPipInstall(w));
  const pipOrToolInstall = pipInstall || runWords.some((w) => /^(poetry|pipenv|uv|pdm)$/.test(w[0]?.split("/").pop() ?? "") && /^(install|sync|pip)$/.test(w[1] ?? ""));
  const goBuild = runWords.some((w) => w[0] === "go" && ["build", "install", "mod"].includes(w[1] ?? ""));
  if (pipInstall) { score.python += 3; reasons.push("installs pip dependencies"); }
  else if (pipOrToolInstall) { score.python += 3; reasons.push("installs Python dependencies"); }
  if (goBuild) { score.go += 3; reasons.push("runs go build"); }
  if (startWords[0] && /^(node|npm|yarn|pnpm|npx)$/.test(startWords[0])) score.node += 2;
  if (startWords[0] && /^(python3?|gunicorn|uvicorn|flask|celery|hypercorn|daphne)/.test(startWords[0])) score.python += 2;
  if (context.known) {
    if (has(context, "package.json")) { score.node += 1; reasons.push("package.json in the build context"); }
    if (has(context, "requirements.txt") || has(context, "pyproject.toml") || has(context, "Pipfile")) { score.python += 1; reasons.push("Python manifest in the build context"); }
    if (has(context, "go.mod")) { score.go += 1; reasons.push("go.mod in the build context"); }
  }
  const best = (Object.entries(score) as ["node" | "python" | "go", number][]).sort((a, b) => b[1] - a[1])[0]!;
  // no language image to decide by: a Go program beside Python packages installed for other programs (a tool an OS package runs)
  if (best[1] < 10 && pipOrToolInstall && goBuild) {
    throw unsupported(`builds for two stacks on ${image.raw || "the base image"} (${reasons.filter((r) => /^(installs (pip|Python)|runs go)/.test(r)).join("; ")}); msb converts an image of one stack, whose runtime it can derive`);
  }
  if (best[1] < 3) {
    throw unsupported(`could not recognise the stack of ${image.raw || "the base image"}; msb supports ${supportedStacks.join(", ")}`);
  }
  if (best[0] === "node" && isStaticFrontEnd(context, startWords)) {
    reasons.push("front-end build tool in package.json and a static or development server as the start command");
    return { stack: "static", reasons };
  }
  if (best[0] === "node" && nginxServedSite(facts)) {
    reasons.push("nginx, installed in the image, serves the site the build writes");
    return { stack: "static", reasons };
  }
  return { stack: best[0], reasons };
}

const staticServers = /^(serve|http-server|live-server|static-server|lite-server|sirv|sirv-cli)$/;
const devServers = /(react-scripts start|vite( |$)|ng serve|vue-cli-service serve|parcel( serve| [^b]|$)|gatsby develop|webpack(-dev-server| serve)|preact watch|next export|vite preview|serve )/;

const frontEndDevServers = new Set<string>(["angular", "vite", "cra", "vue-cli", "webpack", "parcel", "gatsby"]);

function isStaticFrontEnd(context: BuildContext, startWords: string[]): boolean {
  const pkg = readJson(context, "package.json");
  const deps = { ...(pkg?.["dependencies"] as object), ...(pkg?.["devDependencies"] as object) } as Record<string, string>;
  const hasFrontEnd = frontEndPackages.some((name) => name in deps);
  const backEnd = ["express", "fastify", "koa", "@nestjs/core", "hapi", "@hapi/hapi", "socket.io"].some((name) => name in (pkg?.["dependencies"] as object ?? {}));
  const words = startWords[0] === "npx" ? startWords.slice(1) : startWords;
  if (words[0] && staticServers.test(words[0])) return hasFrontEnd || !backEnd;
  const serverRendered = ["nuxt", "@sveltejs/adapter-node", "@remix-run/serve", "@remix-run/node", "@angular/ssr", "@nguniversal/express-engine", "@astrojs/node"].some((name) => name in deps);
  // a start command that runs only a front-end dev server serves no back-end, whatever package.json lists
  const dev = recogniseDevServer(words.join(" "), (pkg?.["scripts"] ?? {}) as Record<string, string>);
  if (hasFrontEnd && !serverRendered && !("next" in deps) && dev && frontEndDevServers.has(dev.framework)) return true;
  if (!hasFrontEnd || backEnd) return false;
  if ("next" in deps) {
    const nextConfig = ["next.config.js", "next.config.mjs", "next.config.ts"].map((f) => context.read(f) ?? "").join("\n");
    const scripts = JSON.stringify(pkg?.["scripts"] ?? {});
    if (!/output\s*:\s*["']export["']/.test(nextConfig) && !/next export/.test(scripts)) return false;
  }
  // server-rendered frameworks build a Node.js server, not static files
  if (serverRendered) return false;
  const scripts = (pkg?.["scripts"] ?? {}) as Record<string, string>;
  const line = words.join(" ");
  const m = /^(npm|yarn|pnpm)( run)? (\S+)/.exec(line);
  const script = m ? scripts[m[3]!] ?? "" : "";
  return devServers.test(line) || devServers.test(script) || (script !== "" && staticServers.test(script.split(/\s+/)[0] ?? ""));
}
