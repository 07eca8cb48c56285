import { readJson, type BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import type { NodeProject } from "../node/project.js";

export interface SiteOutput {
  dir: string;
  why: string;
}

/** Where the front-end build writes its files: the static server's argument, the tool's config, or its default. */
export function findOutputDir(context: BuildContext, project: NodeProject, start: string[]): SiteOutput {
  return servedDirectory(start) ?? buildOutputDir(context, project) ?? { dir: "dist", why: "the usual output directory of Vite, Vue CLI, Parcel and webpack (assumed)" };
}

/** The directory the original's static server is told to serve (`serve -s build`). */
export function servedDirectory(start: string[]): SiteOutput | undefined {
  const words = start[0] === "npx" ? start.slice(1) : start;
  if (!/^(serve|http-server|live-server|static-server|sirv|sirv-cli|lite-server)$/.test(words[0] ?? "")) return undefined;
  const dir = words.slice(1).find((w, i, all) => !w.startsWith("-") && !/^-[lpa]$|^--(listen|port|address)$/.test(all[i - 1] ?? "") && !/^\d+$/.test(w));
  return dir ? { dir: dir.replace(/^\.\//, "").replace(/\/$/, ""), why: `${words[0]} serves ${dir}` } : undefined;
}

/** Where the front-end tool writes, from the build script's flag, the tool's config, or a framework's fixed default. */
export function buildOutputDir(context: BuildContext, project: NodeProject): SiteOutput | undefined {
  const build = project.scripts["build"] ?? "";
  const flag = /--(?:outDir|out-dir|dist-dir|output-path)[= ](\S+)/.exec(build);
  if (flag) return { dir: flag[1]!.replace(/^\.\//, "").replace(/\/$/, ""), why: `the build script writes to ${flag[1]}` };
  const deps = { ...project.dependencies, ...project.devDependencies };
  if (/\bng build\b/.test(build) || "@angular/core" in deps) {
    const angular = readJson(context, "angular.json");
    const projects = (angular?.["projects"] ?? {}) as Record<string, { architect?: { build?: { builder?: string; options?: { outputPath?: string | { base: string } } } } }>;
    const first = Object.values(projects)[0];
    const options = first?.architect?.build?.options;
    const outputPath = typeof options?.outputPath === "string" ? options.outputPath : options?.outputPath?.base;
    // the application builder (@angular-devkit/build-angular:application, @angular/build:application) writes browser/
    const application = /:application$/.test(first?.architect?.build?.builder ?? "");
    const browser = application ? "/browser" : "";
    if (outputPath) return { dir: `${outputPath.replace(/\/$/, "")}${browser}`, why: `angular.json outputPath${application ? " (the application builder writes browser/)" : ""}` };
    const name = Object.keys(projects)[0];
    return { dir: `${name ? `dist/${name}` : "dist"}${browser}`, why: `Angular's default output${application ? " (the application builder writes browser/)" : ""}` };
  }
  for (const file of ["vite.config.ts", "vite.config.js", "vite.config.mjs"]) {
    const m = /outDir\s*:\s*["'`]([^"'`]+)/.exec(context.read(file) ?? "");
    if (m) return { dir: m[1]!.replace(/^\.\//, ""), why: `${file} outDir` };
  }
  const vue = /outputDir\s*:\s*["'`]([^"'`]+)/.exec(context.read("vue.config.js") ?? "");
  if (vue) return { dir: vue[1]!.replace(/^\.\//, "").replace(/\/$/, ""), why: "vue.config.js outputDir" };
  if ("react-scripts" in deps) return { dir: "build", why: "Create React App writes build/" };
  if ("next" in deps) return { dir: "out", why: "next export writes out/" };
  if ("@sveltejs/kit" in deps) return { dir: "build", why: "SvelteKit's static adapter writes build/" };
  if ("gatsby" in deps) return { dir: "public", why: "Gatsby writes public/" };
  if (/^vite build$/.test(build.trim())) return { dir: "dist", why: "Vite's default output directory" };
  return undefined;
}

const defaultPorts: [RegExp, number][] = [
  [/\bhttp-server\b/, 8080], [/react-scripts start/, 3000], [/\bvite preview\b/, 4173], [/\bvite\b/, 5173],
  [/\bng serve\b/, 4200], [/vue-cli-service serve/, 8080], [/\bwebpack(-dev-server| serve)\b/, 8080], [/\bparcel\b/, 1234],
  [/\bgatsby develop\b/, 8000], [/\blive-server\b/, 8080],
  // last: the word "serve" also stands in the commands above
  [/\bserve\b/, 3000],
];

/** A static server's port flag (`-l 3000`, `--port=8080`, `-l tcp://0.0.0.0:3000`). */
export const portFlag = /(?:^|\s)(?:-l|-p|--port|--listen)[= ](?:tcp:\/\/[^:\s]*:)?(\d+)/;

/** The port the original served on: EXPOSE first, then the server's flags, then its default. */
export function findPort(facts: Facts, startLine: string): { port: number; why: string } {
  const exposed = facts.exposedPorts.map((p) => Number.parseInt(p, 10)).find((p) => Number.isFinite(p));
  if (exposed !== undefined) return { port: exposed, why: "EXPOSE" };
  const flag = portFlag.exec(startLine);
  if (flag) return { port: Number(flag[1]), why: "the server's port flag" };
  const portEnv = facts.variables["PORT"];
  if (portEnv && /^\d+$/.test(portEnv)) return { port: Number(portEnv), why: "ENV PORT" };
  for (const [pattern, port] of defaultPorts) if (pattern.test(startLine)) return { port, why: "the server's default port" };
  return { port: 8080, why: "no port was given (assumed 8080)" };
}
