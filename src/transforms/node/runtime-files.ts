import { posix } from "node:path";
import { has, isDirectory, readJson, topLevel, type BuildContext } from "../../analysis/context.js";
import { commandWords } from "../../analysis/commands.js";
import type { Facts } from "../../analysis/facts.js";
import { tokenize } from "../../parser/shell.js";
import { hasBuildStep } from "./build-step.js";
import { pathsReadBySources } from "./source-read-paths.js";
import { dockerignore } from "../../analysis/dockerignore.js";

/** What of the work directory the runtime needs: all of it, or the listed entries (relative to the WORKDIR). */
export type RuntimeFiles =
  | { whole: true; why: string }
  | { whole: false; keep: { path: string; dir: boolean }[]; dropped: string[]; outputDir: string; optional: string[] };

/** Packages that read `.env` from the working directory at start (NestJS's ConfigModule included). */
const envFileLoaders = ["dotenv", "dotenv-flow", "dotenv-safe", "@nestjs/config"];

/** Files that only keep an otherwise empty directory in git. */
const placeholder = /(^|\/)(\.gitkeep|\.keep|\.gitignore|\.placeholder|\.empty)$/;

/** Directories and files apps commonly read at run time, next to their compiled code. */
const readAtRunTime = [
  "public", "views", "templates", "static", "assets", "locales", "i18n", "lang", "prisma", "config", "migrations", "seeders",
  "uploads", "data", "storage", "db", "database", "certs", "keys", "emails", "mail", "fonts", "graphql", "schema",
  ".env", ".env.production", ".env.local", "ecosystem.config.js", "ecosystem.config.cjs", "ecosystem.json", "process.json",
  "ormconfig.js", "ormconfig.json", "ormconfig.ts", "knexfile.js", ".sequelizerc", "next.config.js", "nest-cli.json",
];

/**
 * A compiled app (the start command runs `node <out>/…` and a build step writes `<out>`) needs its
 * package.json, production node_modules, the build output and what it reads at run time; sources,
 * tests and tooling stay behind. Anything less certain copies the whole work directory.
 */
export function runtimeFiles(facts: Facts, context: BuildContext, startLines: string[], installs: number): RuntimeFiles {
  const workdir = facts.finalWorkdir;
  if (!context.known || !has(context, "package.json")) return { whole: true, why: "the build context is unknown" };
  if (workdir === "/") return { whole: true, why: "the app lives in /" };
  const contextCopies = facts.body.filter((e) => e.copy && !e.copy.fromImage);
  const wholeContext = contextCopies.filter((e) => e.copy!.sources.some((s) => s === "." || s === "./") && e.copy!.destAbs.replace(/\/$/, "") === workdir);
  if (wholeContext.length !== 1) return { whole: true, why: "the sources are not copied with a single COPY . into the WORKDIR" };
  if (contextCopies.some((e) => !e.copy!.destAbs.startsWith(workdir))) return { whole: true, why: "files are copied outside the WORKDIR" };
  if (facts.body.some((e) => e.copy?.fromImage)) return { whole: true, why: "files come from other images" };
  if (!hasBuildStep(facts)) return { whole: true, why: "no build step compiles the app" };

  const words = startLines.flatMap((line) => tokenize(line.replace(/&&|\|\||;/g, " ")));
  // a start script that compiles again (`rm -rf dist && tsc && node dist/server.js`) needs the sources
  const compiler = words.find((w, i) => /^(tsc|babel|webpack|rollup|esbuild|swc)$/.test(w) || (/^(nest|ng|vite|next|nuxt)$/.test(w) && words[i + 1] === "build"));
  if (compiler) return { whole: true, why: `the start command runs ${compiler}, which needs the sources at run time` };
  const relative = (w: string) => {
    const path = w.startsWith("/") ? (w.startsWith(`${workdir}/`) ? w.slice(workdir.length + 1) : "") : w.replace(/^\.\//, "");
    return path;
  };
  const started = startLines.flatMap((line) => line.split(/\s*(?:&&|\|\||;)\s*/)).map((part) => commandWords(tokenize(part))).filter((argv) => argv[0] === "node");
  const scripts = started.map((argv) => argv.slice(1).find((w) => !w.startsWith("-"))).filter((w): w is string => w !== undefined);
  if (scripts.length === 0) return { whole: true, why: "the start command does not run node on a file" };
  const built = scripts.map(relative).find((path) => path.includes("/") && !has(context, path.split("/")[0]!));
  if (!built) return { whole: true, why: `the start command runs ${scripts[0]}, which is not in a directory the build writes` };
  const outputDir = built.split("/")[0]!;

  const tsOut = String(((readJson(context, "tsconfig.json")?.["compilerOptions"] ?? {}) as Record<string, unknown>)["outDir"] ?? "").replace(/^\.\//, "").replace(/\/$/, "");
  if (!["dist", "build", "lib", "out", ".output"].includes(outputDir) && tsOut !== outputDir) {
    return { whole: true, why: `msb cannot tell that the build writes ${outputDir}/` };
  }
  const manifest = readJson(context, "package.json");
  const specs = Object.values({ ...(manifest?.["dependencies"] as object), ...(manifest?.["optionalDependencies"] as object) }) as unknown[];
  if (specs.some((spec) => typeof spec === "string" && /^(file|link|portal|workspace):/.test(spec))) {
    return { whole: true, why: "local dependencies link into the project's own directories" };
  }
  if (manifest?.["workspaces"]) return { whole: true, why: "workspaces link into the project's own directories" };
  if (has(context, ".yarnrc.yml") || has(context, ".pnp.cjs")) return { whole: true, why: "Yarn 2+ keeps its release, settings and resolution map beside package.json" };
  const keep = new Map<string, boolean>([["package.json", false], ...(installs > 0 ? [["node_modules", true] as [string, boolean]] : []), [outputDir, true]]);
  const ignored = dockerignore(context.read(".dockerignore"));
  const add = (path: string) => {
    const top = path.split("/")[0] ?? "";
    // what .dockerignore leaves out never reached the build stage
    if (top === "" || top === "." || top === ".." || keep.has(top) || ignored(top)) return;
    if (has(context, top)) keep.set(top, isDirectory(context, top));
  };
  for (const name of readAtRunTime) add(name);
  // dotenv-safe checks .env against the example file it reads at start, and throws when that is missing
  if ("dotenv-safe" in ((manifest?.["dependencies"] ?? {}) as object)) add(".env.example");
  // an env-file loader reads the files its code names (`envFilePath: ['.env.development']`, `path: '.env.staging'`),
  // which the original's COPY . . brought in with every other .env file
  if (envFileLoaders.some((name) => name in ((manifest?.["dependencies"] ?? {}) as object))) {
    for (const entry of topLevel(context)) if (/^\.env(\.[\w.-]+)?$/.test(entry)) add(entry);
  }
  for (const word of words) add(relative(word));
  const pkg = readJson(context, "package.json");
  if (typeof pkg?.["main"] === "string") add(relative(pkg["main"]));
  if (Array.isArray(pkg?.["files"])) for (const f of pkg["files"] as unknown[]) if (typeof f === "string") add(relative(f));
  for (const dir of directoriesMadeByRun(facts)) if (!keep.has(dir)) keep.set(dir, true);
  for (const path of pathsReadBySources(context, outputDir)) {
    if (ignored(path) || [...keep.keys()].some((k) => path === k || path.startsWith(`${k}/`))) continue;
    keep.set(path, isDirectory(context, path));
  }

  for (const dir of placeholderDirectories(context, ignored)) if (!keep.has(dir)) keep.set(dir, true);
  // a git-ignored .env the deployer puts beside the Dockerfile: the original's COPY . . took it
  const dependencies = { ...(manifest?.["dependencies"] as object) };
  const optional = envFileLoaders.some((name) => name in dependencies) && !has(context, ".env") && !ignored(".env") ? [".env"] : [];

  const dropped = topLevel(context).map((e) => e.replace(/\/$/, "")).filter((e) => !keep.has(e) && e !== "Dockerfile" && e !== ".dockerignore");
  if ([...keep.keys()].some((k) => /\s/.test(k))) return { whole: true, why: "paths with spaces" };
  const order = [...keep.entries()].map(([path, dir]) => ({ path, dir }));
  return { whole: false, keep: order, dropped, outputDir, optional };
}

/**
 * Top-level directories that hold only placeholders (`uploads/.gitkeep`, `volume/files/cache/.gitkeep`):
 * the app writes into them and expects them to exist, as the original's COPY . . made them.
 */
function placeholderDirectories(context: BuildContext, ignored: (path: string) => boolean): string[] {
  const filesByTop = new Map<string, string[]>();
  for (const path of context.list()) {
    if (path.endsWith("/") || !path.includes("/") || ignored(path)) continue;
    const top = path.split("/")[0]!;
    filesByTop.set(top, [...(filesByTop.get(top) ?? []), path]);
  }
  return [...filesByTop].filter(([, files]) => files.every((f) => placeholder.test(f))).map(([top]) => top);
}

/** Top-level directories RUN steps create in the WORKDIR (`mkdir -p data logs`), which the app may write to. */
function directoriesMadeByRun(facts: Facts): string[] {
  const out: string[] = [];
  for (const entry of facts.body) {
    for (const segment of entry.run?.segments ?? []) {
      const argv = commandWords(segment.argv);
      if (argv[0] !== "mkdir") continue;
      for (const arg of argv.slice(1).filter((a) => !a.startsWith("-"))) {
        const abs = posix.resolve(segment.cwd, arg);
        if (abs.startsWith(`${facts.finalWorkdir}/`)) {
          const top = abs.slice(facts.finalWorkdir.length + 1).split("/")[0]!;
          if (!out.includes(top)) out.push(top);
        }
      }
    }
  }
  return out;
}
