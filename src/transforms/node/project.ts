import { has, readJson, type BuildContext } from "../../analysis/context.js";
import type { NodePackageManager } from "../../analysis/commands.js";

/** What package.json and the lockfiles say about a Node.js project. */
export interface NodeProject {
  known: boolean;
  manager: NodePackageManager;
  lockfile?: string;
  yarnBerry: boolean;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
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
]);

export function readNodeProject(context: BuildContext, commandsManager: NodePackageManager | undefined): NodeProject {
  const pkg = readJson(context, "package.json");
  const scripts = (pkg?.["scripts"] ?? {}) as Record<string, string>;
  const dependencies = (pkg?.["dependencies"] ?? {}) as Record<string, string>;
  const devDependencies = (pkg?.["devDependencies"] ?? {}) as Record<string, string>;
  const declared = typeof pkg?.["packageManager"] === "string" ? (pkg["packageManager"] as string) : "";
  const fromLockfile = (Object.keys(lockfiles) as NodePackageManager[]).find((m) => lockfiles[m].some((f) => has(context, f)));
  const manager = commandsManager ?? (declared.split("@")[0] as NodePackageManager | undefined) ?? fromLockfile ?? "npm";
  const lockfile = lockfiles[manager in lockfiles ? manager : "npm"].find((f) => has(context, f));
  const yarnBerry = manager === "yarn" && (has(context, ".yarnrc.yml") || /^yarn@[2-9]/.test(declared));

  const nativeReasons: string[] = [];
  for (const name of Object.keys(dependencies)) if (knownNative.has(name)) nativeReasons.push(`dependency ${name} has native code`);
  if (has(context, "binding.gyp")) nativeReasons.push("binding.gyp in the project");
  const lock = lockfile === "package-lock.json" || lockfile === "npm-shrinkwrap.json" ? readJson(context, lockfile) : undefined;
  const packages = (lock?.["packages"] ?? {}) as Record<string, { dev?: boolean; hasInstallScript?: boolean; os?: string[]; cpu?: string[] }>;
  for (const [path, info] of Object.entries(packages)) {
    if (path === "" || info.dev) continue;
    const name = path.replace(/^.*node_modules\//, "");
    if (info.hasInstallScript) nativeReasons.push(`${name} runs an install script`);
    else if (info.os || info.cpu) nativeReasons.push(`${name} is platform-specific`);
    if (nativeReasons.length > 5) break;
  }

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
  const installConfigFiles = [".npmrc", ".yarnrc", ".yarnrc.yml"].filter((f) => has(context, f));

  return {
    known: pkg !== undefined,
    manager,
    ...(lockfile ? { lockfile } : {}),
    yarnBerry,
    scripts,
    dependencies,
    devDependencies,
    nativeReasons,
    manifestOnlyBlockers,
    installConfigFiles,
  };
}
