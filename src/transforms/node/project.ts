import { has, readJson, type BuildContext } from "../../analysis/context.js";
import type { NodePackageManager } from "../../analysis/commands.js";
import { dockerignore } from "../../analysis/dockerignore.js";

/** What package.json and the lockfiles say about a Node.js project. */
export interface NodeProject {
  known: boolean;
  manager: NodePackageManager;
  lockfile?: string;
  yarnBerry: boolean;
  /** Yarn 2+ with its default Plug'n'Play linker: no node_modules, so plain `node` cannot resolve packages. */
  plugAndPlay: boolean;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
  /** The `packageManager` field ("pnpm@8.15.0"), or "". */
  packageManager: string;
  /** The `engines.node` range, or "". */
  enginesNode: string;
  /** Why the project may contain native code (empty: none found). */
  nativeReasons: string[];
  /** Why installing from the manifests alone may not work (empty: it will). */
  manifestOnlyBlockers: string[];
  /** Extra files an install reads (.npmrc, .yarnrc.yml, …) that exist in the context. */
  installConfigFiles: string[];
}

const lockfiles: Record<NodePackageManager, string[]> = {
  npm: ["package-lock.json", "npm-shrinkwrap.json"],
  yarn: ["yarn.lock"],
  pnpm: ["pnpm-lock.yaml"],
};

const knownNative = new Set([
  "bcrypt", "sharp", "sqlite3", "better-sqlite3", "canvas", "argon2", "node-sass", "grpc", "bufferutil", "utf-8-validate",
  "kerberos", "re2", "leveldown", "zeromq", "node-pty", "cpu-features", "usb", "serialport", "libxmljs", "libxmljs2",
  "oracledb", "ibm_db", "hiredis", "microtime", "farmhash", "deasync", "isolated-vm", "@tensorflow/tfjs-node",
  "node-rdkafka", "ffi-napi", "ref-napi", "uws", "epoll", "@serialport/bindings-cpp", "lmdb", "msgpackr-extract", "esbuild", "@swc/core",
  // its query engine is a binary downloaded for the platform of the install (glibc or musl, OpenSSL version)
  "@prisma/client",
]);

export function readNodeProject(context: BuildContext, commandsManager: NodePackageManager | undefined): NodeProject {
  const pkg = readJson(context, "package.json");
  const scripts = (pkg?.["scripts"] ?? {}) as Record<string, string>;
  const dependencies = (pkg?.["dependencies"] ?? {}) as Record<string, string>;
  const devDependencies = (pkg?.["devDependencies"] ?? {}) as Record<string, string>;
  const optionalDependencies = (pkg?.["optionalDependencies"] ?? {}) as Record<string, string>;
  const engines = (pkg?.["engines"] ?? {}) as Record<string, unknown>;
  const declared = typeof pkg?.["packageManager"] === "string" ? (pkg["packageManager"] as string) : "";
  // a lockfile .dockerignore excludes never reaches the build: for the image there is none
  const ignored = dockerignore(context.read(".dockerignore"));
  const reachesBuild = (f: string) => has(context, f) && !ignored(f);
  const fromLockfile = (Object.keys(lockfiles) as NodePackageManager[]).find((m) => lockfiles[m].some(reachesBuild));
  const manager = commandsManager ?? (["npm", "yarn", "pnpm"].includes(declared.split("@")[0] ?? "") ? (declared.split("@")[0] as NodePackageManager) : undefined) ?? fromLockfile ?? "npm";
  const lockfile = lockfiles[manager in lockfiles ? manager : "npm"].find(reachesBuild);
  const yarnBerry = manager === "yarn" && (has(context, ".yarnrc.yml") || /^yarn@[2-9]/.test(declared));
  const linker = /^\s*nodeLinker\s*:\s*["']?([\w-]+)/m.exec(context.read(".yarnrc.yml") ?? "")?.[1];
  const plugAndPlay = yarnBerry && (linker === undefined || linker === "pnp");

  const nativeReasons = nativeCode(context, lockfile, dependencies);

  const manifestOnlyBlockers: string[] = [];
  if (!pkg) manifestOnlyBlockers.push("package.json is not readable");
  for (const hook of ["preinstall", "install", "postinstall", "prepare"]) if (scripts[hook]) manifestOnlyBlockers.push(`the ${hook} script may need the sources`);
  if (pkg?.["workspaces"]) manifestOnlyBlockers.push("workspaces need their own package.json files");
  if (has(context, "pnpm-workspace.yaml")) manifestOnlyBlockers.push("pnpm workspaces need their own package.json files");
  for (const [name, spec] of Object.entries({ ...dependencies, ...devDependencies })) {
    if (/^(file|link|portal|workspace):/.test(spec)) manifestOnlyBlockers.push(`${name} is a local dependency (${spec})`);
  }
  if (yarnBerry) manifestOnlyBlockers.push("Yarn 2+ keeps its release and plugins under .yarn/");
  if (has(context, "patches/")) manifestOnlyBlockers.push("patches/ may be applied at install time");
  const prismaSchema = "@prisma/client" in dependencies || "prisma" in dependencies || "prisma" in devDependencies ? prismaSchemaPath(context, pkg) : undefined;
  if (prismaSchema) manifestOnlyBlockers.push(`@prisma/client generates its client on install from ${prismaSchema}`);
  const installConfigFiles = [".npmrc", ".yarnrc", ".yarnrc.yml"].filter((f) => has(context, f));

  return {
    known: pkg !== undefined,
    manager,
    ...(lockfile ? { lockfile } : {}),
    yarnBerry,
    plugAndPlay,
    scripts,
    dependencies,
    devDependencies,
    optionalDependencies,
    packageManager: declared,
    enginesNode: typeof engines["node"] === "string" ? engines["node"] : "",
    nativeReasons,
    manifestOnlyBlockers,
    installConfigFiles,
  };
}

/** Where `prisma generate` (run by @prisma/client's postinstall) finds the schema, when the context has it. */
function prismaSchemaPath(context: BuildContext, pkg: Record<string, unknown> | undefined): string | undefined {
  const configured = (pkg?.["prisma"] as { schema?: unknown } | undefined)?.schema;
  const candidates = [...(typeof configured === "string" ? [configured] : []), "prisma/schema.prisma", "schema.prisma", "prisma/schema/"];
  return candidates.find((path) => has(context, path));
}

/** Prebuilt binaries published per C library: a glibc build installs the -gnu package, which does not load on musl. */
const perLibcPackage = /(^|\/)(@[^/]+\/)?[\w.-]*linux-(x64|arm64|arm)-(gnu|musl)[\w.-]*$|(^|\/)@img\/sharp-linux|(^|\/)@img\/sharp-libvips-linux/;

/**
 * Why the production dependencies may contain native code that ties them to glibc: known native
 * packages, a binding.gyp, lockfile entries with install scripts, gyp files or per-libc binaries.
 */
function nativeCode(context: BuildContext, lockfile: string | undefined, dependencies: Record<string, string>): string[] {
  const reasons: string[] = [];
  for (const name of Object.keys(dependencies)) if (knownNative.has(name)) reasons.push(`dependency ${name} has native code`);
  if (has(context, "binding.gyp")) reasons.push("binding.gyp in the project");
  if (lockfile === "package-lock.json" || lockfile === "npm-shrinkwrap.json") {
    const lock = readJson(context, lockfile);
    const packages = (lock?.["packages"] ?? {}) as Record<string, { dev?: boolean; hasInstallScript?: boolean; gypfile?: boolean; os?: string[]; cpu?: string[]; libc?: string[] }>;
    for (const [path, info] of Object.entries(packages)) {
      if (path === "" || info.dev) continue;
      const name = path.replace(/^.*node_modules\//, "");
      if (info.hasInstallScript || info.gypfile) reasons.push(`${name} runs an install script`);
      else if (info.libc || perLibcPackage.test(name)) reasons.push(`${name} is a prebuilt binary for one C library`);
      else if (info.os || info.cpu) reasons.push(`${name} is platform-specific`);
      if (reasons.length > 5) break;
    }
  } else if (lockfile) {
    const text = context.read(lockfile) ?? "";
    const names = new Set<string>();
    for (const m of text.matchAll(/^\s{0,4}['"]?\/?((?:@[\w.-]+\/)?[\w.-]+)@/gm)) names.add(m[1]!);
    for (const name of names) {
      if (knownNative.has(name) || perLibcPackage.test(name)) reasons.push(`${lockfile} installs ${name}, which has native code`);
      if (reasons.length > 5) break;
    }
    if (/^\s+(requiresBuild|hasInstallScript): true/m.test(text) && reasons.length === 0) reasons.push(`${lockfile} lists packages that build on install`);
  }
  return reasons;
}
