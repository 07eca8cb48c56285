import { commandWords, isGlobalNodeInstall, nodeInstall } from "../../analysis/commands.js";
import { readJson, type BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { contextFileAt } from "../../analysis/copied-file.js";
import { posix } from "node:path";

/** Dependencies whose install or postinstall scripts pnpm would run (a lockfile without requiresBuild entries names them). */
const knownBuildScripts = ["esbuild", "core-js", "core-js-pure", "sharp", "bcrypt", "@swc/core", "better-sqlite3", "sqlite3", "puppeteer", "node-sass", "cpu-features", "ssh2", "es5-ext", "@parcel/watcher", "protobufjs", "canvas", "argon2", "re2", "duckdb", "@scarf/scarf", "bufferutil", "utf-8-validate", "@sentry/cli", "cypress", "lefthook", "nx", "msgpackr-extract", "deasync", "node-pty", "leveldown", "isolated-vm", "prisma", "@prisma/engines", "@prisma/client", "@nestjs/core", "unrs-resolver"];

/**
 * The packages a pnpm lockfile records as having build scripts: `requiresBuild: true` (lockfile 5–6),
 * or known names in its package keys. Packages pnpm skips on Linux (`os: [darwin]`, fsevents) never
 * build there, nor dev dependencies in a production install.
 */
function packagesWithBuildScripts(lockfile: string, production: boolean): string[] {
  const entries = [...lockfile.matchAll(/^ {2}['"]?\/?((?:@[^/\s]+\/)?[^@/\s:'"]+)[@/][^\n]*\n((?:(?! {2}\S)[^\n]*\n)*)/gm)].map((m) => ({ name: m[1]!, body: m[2]! }));
  const installed = entries.filter(({ body }) => {
    const os = /^ {4}os: \[([^\]]*)\]/m.exec(body)?.[1]?.split(",").map((o) => o.trim().replace(/['"]/g, ""));
    if (os && (os.some((o) => o === "!linux") || (!os.some((o) => o.startsWith("!")) && !os.includes("linux")))) return false;
    return !(production && /^ {4}dev: true$/m.test(body));
  });
  // a platform's prebuilt binary (`@esbuild/linux-arm64`, `@rollup/rollup-linux-x64-musl`) has no build script of its own
  const flagged = installed.filter(({ body, name }) => /^ {4}requiresBuild: true$/m.test(body) && !platformBinary.test(name)).map((e) => e.name);
  if (entries.some(({ body }) => /^ {4}requiresBuild: true$/m.test(body))) return [...new Set(flagged)];
  return knownBuildScripts.filter((name) => installed.some((e) => e.name === name));
}

const platformBinary = /^@esbuild\/[\w-]+$|[-/](linux|darwin|win32|freebsd|openbsd|netbsd|android|sunos|aix)-(x64|arm64|arm|ia32|ppc64|s390x|riscv64|loong64|mips64el)(-(gnu|musl|msvc|gnueabihf|musleabihf))?$/;

/** Dependencies that always bring a package with build scripts (react-scripts: core-js, through react-app-polyfill). */
const bringsBuildScripts: Record<string, string> = { "react-scripts": "core-js" };

/**
 * Dependencies and dev dependencies of the project's package.json (the one the image copies, `frontend/package.json`
 * too) that run install scripts themselves (Prisma's generate its engines) or always bring one that does.
 */
function directDependenciesWithBuildScripts(context: BuildContext, declared: readonly string[] | undefined, packageJson: string): string[] {
  const pkg = readJson(context, packageJson);
  const names = declared && declared.length > 0 ? declared : Object.keys({ ...((pkg?.["dependencies"] ?? {}) as object), ...((pkg?.["devDependencies"] ?? {}) as object) });
  const direct = knownBuildScripts.filter((name) => names.includes(name));
  const brought = names.flatMap((name) => (bringsBuildScripts[name] ? [`${bringsBuildScripts[name]} (through ${name})`] : []));
  return [...direct, ...brought];
}

/**
 * Rejects (exit 2) `pnpm install` with pnpm installed unpinned (`npm install -g pnpm`, or `corepack enable`
 * with no packageManager: today's pnpm 12)
 * when the lockfile's dependencies (without one, package.json's known ones) have build scripts and the project allows none: since pnpm 11
 * strictDepBuilds is on by default, and the install stops with ERR_PNPM_IGNORED_BUILDS (proven with
 * pnpm 12.24.0 and core-js: exit 1; package.json's old onlyBuiltDependencies no longer counts). Not
 * with --ignore-scripts, or when pnpm-workspace.yaml, .npmrc or the environment configures builds.
 */
export function rejectPnpmIgnoredBuilds(facts: Facts, context: BuildContext, lockfile: string | undefined, declared?: readonly string[], corepackLatest = false): void {
  // without pnpm's own lockfile (a package-lock.json pnpm does not read), the direct dependencies known to build
  const withScripts = (production: boolean, packageJson: string) => (lockfile === "pnpm-lock.yaml" ? packagesWithBuildScripts(context.read(lockfile) ?? "", production) : directDependenciesWithBuildScripts(context, declared, packageJson));
  const configured = /allowBuilds|strictDepBuilds|strict-dep-builds|dangerouslyAllowAllBuilds|dangerously-allow-all-builds/;
  if (configured.test(context.read("pnpm-workspace.yaml") ?? "") || configured.test(context.read(".npmrc") ?? "")) return;
  if (Object.keys(facts.variables).some((name) => /strict_dep_builds|STRICT_DEP_BUILDS|ALLOW_ALL_BUILDS/i.test(name))) return;
  let unpinned = false;
  let how = "pnpm is installed unpinned";
  for (const entry of facts.body) {
    for (const segment of entry.run?.segments ?? []) {
      const words = commandWords(segment.argv);
      if (isGlobalNodeInstall(segment.argv)) {
        const pnpm = words.find((w) => /^pnpm(@|$)/.test(w));
        if (pnpm !== undefined) unpinned = pnpm === "pnpm" || /^pnpm@(latest|next)$/.test(pnpm);
        continue;
      }
      // corepack with no version named anywhere serves pnpm's latest release, as an unpinned global install does
      if (/\bcorepack\b/.test(segment.text) && corepackLatest) {
        unpinned = true;
        how = "corepack serves pnpm's latest release (package.json names no packageManager)";
        continue;
      }
      if (/\bcorepack\b|get\.pnpm\.io/.test(segment.text)) return;
      const install = nodeInstall(words);
      if (!unpinned || install?.manager !== "pnpm" || /ignore-scripts/.test(segment.text)) continue;
      const production = install.flags.some((f) => f === "--prod" || f === "--production" || f === "-P") || /NODE_ENV=production/.test(segment.text) || facts.variables["NODE_ENV"] === "production";
      // the package.json the install reads: the one copied into its directory (`COPY ./frontend/package*.json ./`)
      const packageJson = contextFileAt(facts, context, posix.join(segment.cwd, "package.json")) ?? "package.json";
      const found = withScripts(production, packageJson);
      if (found.length === 0) return;
      const where = lockfile === "pnpm-lock.yaml" ? "pnpm-lock.yaml" : `the dependencies of ${packageJson}`;
      throw unusable(`line ${entry.ins.startLine + 1}: \`${segment.text}\` cannot run: ${how} (today's pnpm 12, strict about dependency builds since pnpm 11), ${found.slice(0, 3).join(", ")}${found.length > 3 ? ` and ${found.length - 3} more` : ""} in ${where} ha${found.length === 1 ? "s" : "ve"} build scripts no allowBuilds entry approves, so the install stops with ERR_PNPM_IGNORED_BUILDS (pin a pnpm before 11 that runs on the image's Node.js${how.startsWith("corepack") ? ", as package.json's packageManager" : ""}, or list them under allowBuilds in a pnpm-workspace.yaml copied before the install)`);
    }
  }
}
