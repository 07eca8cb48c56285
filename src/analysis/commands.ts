/** Recognisers for the simple commands found in RUN steps. Each takes argv words and answers one question. */

export type SegmentKind =
  | "test"
  | "deps"
  | "global-tool"
  | "build"
  | "os-packages"
  | "user-setup"
  | "cd"
  | "other";

export type NodePackageManager = "npm" | "yarn" | "pnpm";

const testRunners = new Set(["jest", "mocha", "vitest", "ava", "tap", "karma", "pytest", "py.test", "tox", "nox", "nose2", "behave", "eslint", "tsc-check"]);
const pythonTestModules = new Set(["pytest", "unittest", "nose2", "tox", "nox"]);
const testScriptName = /^(test|tests|lint|typecheck|type-check)([:_-].*)?$/;
const buildScriptName = /^(build|compile|dist|bundle)([:_-].*)?$/;

/** Drops leading `VAR=value` words, `env`, `exec` and `time`, which do not change what command runs. */
export function commandWords(argv: readonly string[]): string[] {
  let i = 0;
  while (i < argv.length) {
    const word = argv[i] ?? "";
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word) || word === "env" || word === "exec" || word === "time" || word === "command") i++;
    else break;
  }
  return argv.slice(i);
}

export function leadingAssignments(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const word of argv) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(word);
    if (!m) break;
    out[m[1]!] = m[2]!;
  }
  return out;
}

const basename = (word: string) => word.split("/").pop() ?? word;

function isPython(word: string | undefined): boolean {
  return word !== undefined && /^python(\d(\.\d+)?)?$/.test(basename(word));
}

function isPip(word: string | undefined): boolean {
  return word !== undefined && /^pip(\d(\.\d+)?)?$/.test(basename(word));
}

/** The script a `npm run X` / `yarn X` / `pnpm X` line runs, or undefined. */
export function packageScript(argv: readonly string[]): { manager: NodePackageManager; script: string } | undefined {
  const words = commandWords(argv);
  const tool = words[0];
  if (tool !== "npm" && tool !== "yarn" && tool !== "pnpm") return undefined;
  const rest = words.slice(1).filter((w) => !w.startsWith("-"));
  const first = rest[0];
  if (first === undefined) return undefined;
  if (first === "run" || first === "run-script") return rest[1] ? { manager: tool, script: rest[1] } : undefined;
  if (first === "test" || first === "t" || first === "tst") return { manager: tool, script: "test" };
  if (first === "start") return { manager: tool, script: "start" };
  const builtins = new Set(["install", "i", "ci", "add", "remove", "prune", "global", "exec", "dlx", "init", "config", "cache", "audit", "update", "upgrade", "link", "pack", "publish", "set", "version", "why", "list", "ls", "rebuild", "dedupe", "workspace", "workspaces", "x", "fetch", "info", "view", "uninstall", "outdated", "setup"]);
  if (tool !== "npm" && !builtins.has(first)) return { manager: tool, script: first };
  return undefined;
}

export function isTestCommand(argv: readonly string[]): boolean {
  const words = commandWords(argv);
  const tool = words[0];
  if (tool === undefined) return false;
  const script = packageScript(words);
  if (script) return testScriptName.test(script.script);
  if (tool === "npx" || ((tool === "yarn" || tool === "pnpm") && (words[1] === "exec" || words[1] === "dlx"))) {
    const runner = words.slice(tool === "npx" ? 1 : 2).find((w) => !w.startsWith("-"));
    return runner !== undefined && testRunners.has(basename(runner));
  }
  if (testRunners.has(basename(tool))) return true;
  if (["poetry", "pipenv", "uv", "pdm"].includes(basename(tool)) && words[1] === "run") {
    const rest = words.slice(2);
    while (rest[0]?.startsWith("-")) rest.shift();
    return rest.length > 0 && isTestCommand(rest);
  }
  if (isPython(tool)) {
    if (words[1] === "-m" && pythonTestModules.has(words[2] ?? "")) return true;
    if (basename(words[1] ?? "") === "manage.py" && words[2] === "test") return true;
    if (basename(words[1] ?? "") === "setup.py" && words[2] === "test") return true;
  }
  if (tool === "go" && (words[1] === "test" || words[1] === "vet")) return true;
  return false;
}

/** An install of the project's own dependencies (not a global tool). */
/** Options of npm, yarn and pnpm whose value is the next word (`--network-timeout 100000`, `--omit dev`): no package names. */
const nodeValueFlags = new Set([
  "--registry", "--cache", "--cache-folder", "--cache-dir", "--prefix", "--loglevel", "--omit", "--include", "--only", "--userconfig", "--workspace",
  "--fetch-timeout", "--fetch-retries", "--network-timeout", "--network-concurrency", "--modules-folder", "--mutex", "--cwd", "--global-folder",
  "--link-folder", "--preferred-cache-folder", "--store-dir", "--virtual-store-dir", "--filter", "-F", "--dir", "-C", "--reporter",
]);

export function nodeInstall(argv: readonly string[]): { manager: NodePackageManager; verb: string; packages: string[]; flags: string[] } | undefined {
  const words = commandWords(argv);
  const tool = words[0];
  if (tool !== "npm" && tool !== "yarn" && tool !== "pnpm") return undefined;
  const rest = words.slice(1);
  // npm's -w names a workspace; pnpm's -w (--workspace-root) takes no value
  const valueAt = new Set(rest.flatMap((w, i) => (nodeValueFlags.has(w) || (tool === "npm" && w === "-w") ? [i + 1] : [])));
  const verb = rest.find((w, i) => !w.startsWith("-") && !valueAt.has(i)) ?? (tool === "yarn" ? "install" : "");
  const flags = rest.filter((w) => w.startsWith("-"));
  const args = rest.filter((w, i) => !w.startsWith("-") && !valueAt.has(i));
  const isInstallVerb = ["install", "i", "ci", "add", "isntall"].includes(verb) || (tool === "yarn" && args.length === 0);
  if (!isInstallVerb) return undefined;
  return { manager: tool, verb, packages: args.slice(verb === args[0] ? 1 : 0), flags };
}

export function isGlobalNodeInstall(argv: readonly string[]): boolean {
  const words = commandWords(argv);
  if (words[0] === "yarn" && words[1] === "global") return true;
  const install = nodeInstall(words);
  return install !== undefined && install.flags.some((f) => f === "-g" || f === "--global" || f === "--location=global");
}

// pip's general options, which may come before the command (`pip --no-cache-dir install`), and take a value
const pipGeneralValueOptions = new Set([
  "--proxy", "--retries", "--timeout", "--exists-action", "--trusted-host", "--cert", "--client-cert", "--cache-dir",
  "--log", "--log-file", "--python", "--use-feature", "--use-deprecated", "--keyring-provider", "--resume-retries", "--progress-bar",
]);

/** The pip command (`install`, `download`, …) after pip's general options, which may precede it. */
function pipCommand(words: readonly string[]): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (!word.startsWith("-")) return word;
    if (pipGeneralValueOptions.has(word)) i++;
  }
  return undefined;
}

export function isPipInstall(argv: readonly string[]): boolean {
  const words = commandWords(argv);
  if (isPip(words[0])) return pipCommand(words.slice(1)) === "install";
  if (isPython(words[0]) && words[1] === "-m" && words[2] === "pip") return pipCommand(words.slice(3)) === "install";
  return false;
}

/** Arguments of a pip install after `install`. */
export function pipInstallArgs(argv: readonly string[]): string[] {
  const words = commandWords(argv);
  const at = words.indexOf("install");
  return at < 0 ? [] : words.slice(at + 1);
}

/**
 * The go command a segment runs, with go-wrapper (the script the golang images before 1.10 shipped)
 * read as the go commands it runs: `download` is `go get -v -d`, `install` is `go install -v`.
 */
export function goCommandWords(argv: readonly string[]): string[] {
  const words = commandWords(argv);
  if (words[0] !== "go-wrapper") return words;
  if (words[1] === "download") return ["go", "get", "-v", "-d", ...words.slice(2)];
  if (words[1] === "install") return ["go", "install", "-v", ...words.slice(2)];
  return words;
}

export function isGoDeps(argv: readonly string[]): boolean {
  const words = goCommandWords(argv);
  return words[0] === "go" && ((words[1] === "mod" && words[2] === "download") || words[1] === "get" || (words[1] === "mod" && words[2] === "tidy"));
}

export function isGoBuild(argv: readonly string[]): boolean {
  const words = goCommandWords(argv);
  return words[0] === "go" && (words[1] === "build" || words[1] === "install");
}

export function isBuildCommand(argv: readonly string[]): boolean {
  const words = commandWords(argv);
  const script = packageScript(words);
  if (script) return buildScriptName.test(script.script);
  if (isGoBuild(words)) return true;
  const tool = basename(words[0] ?? "");
  if (["tsc", "webpack", "vite", "ng", "next", "parcel", "rollup", "esbuild", "make"].includes(tool)) return true;
  if (tool === "npx" && ["tsc", "webpack", "vite", "ng", "next", "parcel", "rollup", "esbuild"].includes(basename(words[1] ?? ""))) return true;
  return false;
}

export interface OsPackageStep {
  manager: "apt" | "apk" | "yum" | "dnf" | "microdnf";
  action: "install" | "update" | "cleanup" | "remove";
  packages: string[];
  /** apt: whether the install also takes the packages' Recommends (no `--no-install-recommends`). */
  recommends?: boolean;
}

const optionsWithValue: Record<string, Set<string>> = {
  apk: new Set(["--virtual", "-t", "--repository", "-X", "--root", "-p", "--arch", "--keys-dir", "--repositories-file", "--cache-dir"]),
  "apt-get": new Set(["-o", "--option", "-t", "--target-release", "--default-release", "-c", "--config-file"]),
  apt: new Set(["-o", "--option", "-t", "--target-release", "--default-release", "-c", "--config-file"]),
  yum: new Set(["-c", "--config", "--setopt", "--enablerepo", "--disablerepo", "--releasever", "--installroot"]),
  dnf: new Set(["-c", "--config", "--setopt", "--enablerepo", "--disablerepo", "--releasever", "--installroot"]),
  microdnf: new Set(["--setopt", "--enablerepo", "--disablerepo", "--releasever", "--installroot"]),
};

export function osPackageStep(argv: readonly string[]): OsPackageStep | undefined {
  const words = commandWords(argv);
  const tool = basename(words[0] ?? "");
  const args = words.slice(1);
  // options whose value is the next word (`apk add --virtual .build-deps`, `apt-get -o Opt=x`) name no package
  const packagesAfter = (verb: string) => {
    const valued = optionsWithValue[tool] ?? new Set<string>();
    const at = args.indexOf(verb);
    const packages: string[] = [];
    for (let i = at + 1; i < args.length; i++) {
      const w = args[i]!;
      if (valued.has(w)) i++;
      else if (!w.startsWith("-") && w !== "") packages.push(w);
    }
    return packages;
  };
  if (tool === "apt-get" || tool === "apt" || tool === "aptitude") {
    if (args.includes("install")) {
      const recommends = !args.includes("--no-install-recommends") && !args.some((a) => /^(-o)?APT::Install-Recommends=("?)(false|0|no)\2$/i.test(a));
      return { manager: "apt", action: "install", packages: packagesAfter("install"), recommends };
    }
    if (args.includes("update") || args.includes("upgrade") || args.includes("dist-upgrade")) return { manager: "apt", action: "update", packages: [] };
    if (args.includes("purge") || args.includes("remove") || args.includes("autoremove")) return { manager: "apt", action: "remove", packages: [] };
    if (args.includes("clean") || args.includes("autoclean")) return { manager: "apt", action: "cleanup", packages: [] };
    return undefined;
  }
  if (tool === "apk") {
    if (args.includes("add")) return { manager: "apk", action: "install", packages: packagesAfter("add") };
    if (args.includes("update") || args.includes("upgrade")) return { manager: "apk", action: "update", packages: [] };
    if (args.includes("del")) return { manager: "apk", action: "remove", packages: [] };
    return undefined;
  }
  if (tool === "yum" || tool === "dnf" || tool === "microdnf") {
    if (args.includes("install")) return { manager: tool, action: "install", packages: packagesAfter("install") };
    if (args.includes("clean")) return { manager: tool, action: "cleanup", packages: [] };
    if (args.includes("update") || args.includes("makecache")) return { manager: tool, action: "update", packages: [] };
    return undefined;
  }
  if (tool === "rm" && args.some((a) => /\/var\/lib\/apt\/lists|\/var\/cache\/(apk|apt|yum|dnf)/.test(a))) {
    return { manager: "apt", action: "cleanup", packages: [] };
  }
  return undefined;
}

export function isUserSetup(argv: readonly string[]): boolean {
  const tool = basename(commandWords(argv)[0] ?? "");
  return ["useradd", "adduser", "groupadd", "addgroup", "usermod"].includes(tool);
}

/** Kinds of RUN segments that write no application file (dependencies, OS packages, users, `cd`). */
export const segmentKindsWritingNoSources: ReadonlySet<SegmentKind> = new Set<SegmentKind>(["deps", "os-packages", "user-setup", "cd"]);

export function classifySegment(argv: readonly string[]): SegmentKind {
  const words = commandWords(argv);
  if (words.length === 0) return "other";
  if (words[0] === "cd") return "cd";
  if (isTestCommand(words)) return "test";
  if (osPackageStep(words)) return "os-packages";
  if (isUserSetup(words)) return "user-setup";
  if (isGlobalNodeInstall(words)) return "global-tool";
  if (nodeInstall(words) || isPipInstall(words) || isGoDeps(words)) return "deps";
  if (isBuildCommand(words)) return "build";
  return "other";
}
