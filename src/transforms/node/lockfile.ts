import semver from "semver";
import { readJson, type BuildContext } from "../../analysis/context.js";
import type { NodePackageManager } from "../../analysis/commands.js";

/**
 * Whether a strict, lockfile-only install (`npm ci`, `yarn --frozen-lockfile`, `--immutable`,
 * `pnpm --frozen-lockfile`) succeeds where the original's plain install did: the lockfile lists every
 * dependency of package.json with a matching version, and the package manager of the image reads it.
 */
export type StrictInstallVerdict = { ok: true } | { ok: false; why: string };

export interface ToolVersions {
  /** Node major of the build image (NaN when the tag does not say). */
  nodeMajor: number;
  /** A package-manager major the Dockerfile installs or pins (npm i -g npm@9, pnpm@8, packageManager). */
  managerMajor?: number;
}

/** npm major shipped with each Node.js major of the official images (the latest release of that line). */
export function bundledNpmMajor(nodeMajor: number): number | undefined {
  if (!Number.isFinite(nodeMajor)) return undefined;
  if (nodeMajor <= 7) return 4;
  if (nodeMajor <= 9) return 5;
  if (nodeMajor <= 14) return 6;
  if (nodeMajor <= 16) return 8;
  if (nodeMajor <= 21) return 10;
  return 10;
}

export function strictInstallVerdict(
  context: BuildContext,
  manager: NodePackageManager,
  lockfile: string,
  manifest: Record<string, Record<string, string>>,
  versions: ToolVersions,
  /** `--legacy-peer-deps`/`--force` on the install, or in an .npmrc the install sees: npm then neither installs nor locks peers. */
  legacyPeerDeps = false,
): StrictInstallVerdict {
  const text = context.read(lockfile);
  if (text === undefined) return { ok: false, why: `${lockfile} could not be read` };
  const wanted = { ...manifest["dependencies"], ...manifest["devDependencies"], ...manifest["optionalDependencies"] };
  switch (manager) {
    case "npm":
      return npmVerdict(context, lockfile, wanted, versions, legacyPeerDeps);
    case "yarn":
      return yarnVerdict(text, wanted);
    case "pnpm":
      return pnpmVerdict(text, wanted, versions);
  }
}

function npmVerdict(context: BuildContext, lockfile: string, wanted: Record<string, string>, versions: ToolVersions, legacyPeerDeps: boolean): StrictInstallVerdict {
  const lock = readJson(context, lockfile);
  if (!lock) return { ok: false, why: `${lockfile} is not valid JSON` };
  const lockVersion = typeof lock["lockfileVersion"] === "number" ? lock["lockfileVersion"] : 1;
  const npmMajor = versions.managerMajor ?? bundledNpmMajor(versions.nodeMajor);
  if (lockVersion >= 3) {
    if (npmMajor === undefined) return { ok: false, why: `${lockfile} is lockfileVersion ${lockVersion} and the image's npm version is unknown (npm 6 cannot read it)` };
    if (npmMajor < 7) return { ok: false, why: `${lockfile} is lockfileVersion ${lockVersion}, which npm ${npmMajor} (node ${versions.nodeMajor}) cannot read` };
  }
  const packages = lock["packages"] as Record<string, { version?: string; name?: string }> | undefined;
  const legacy = lock["dependencies"] as Record<string, { version?: string }> | undefined;
  const useLegacy = (npmMajor !== undefined && npmMajor < 7) || !packages;
  for (const [name, spec] of Object.entries(wanted)) {
    const locked = useLegacy ? legacy?.[name]?.version : packages?.[`node_modules/${name}`]?.version;
    if (locked === undefined) return { ok: false, why: `${lockfile} does not list ${name}, which package.json requires` };
    const verdict = specMatches(name, spec, locked);
    if (verdict !== true) return { ok: false, why: `${lockfile} ${verdict}` };
  }
  if (!useLegacy && packages) {
    const root = packages[""] as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> } | undefined;
    const recorded = { ...root?.dependencies, ...root?.devDependencies };
    for (const name of Object.keys(recorded)) if (!(name in wanted)) return { ok: false, why: `${lockfile} still records ${name}, which package.json no longer requires` };
    const peer = legacyPeerDeps ? undefined : unlockedPeer(packages as Record<string, LockedPackage>);
    if (peer) return { ok: false, why: `${lockfile} lacks ${peer.name}, a peer dependency of ${peer.of} that npm 7 and later install (npm ci stops with "Missing: ${peer.name} from lock file")` };
  }
  return { ok: true };
}

interface LockedPackage {
  version?: string;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** A required peer dependency of a locked package that no node_modules directory on its lookup path holds. */
function unlockedPeer(packages: Record<string, LockedPackage>): { name: string; of: string } | undefined {
  for (const [path, entry] of Object.entries(packages)) {
    if (path === "" || !path.includes("node_modules/")) continue;
    for (const name of Object.keys(entry.peerDependencies ?? {})) {
      if (entry.peerDependenciesMeta?.[name]?.optional || packages[`node_modules/${name}`]) continue;
      // node's lookup: the package's own node_modules, then each enclosing package's
      let found = false;
      for (let dir: string | undefined = path; dir !== undefined && !found; ) {
        found = packages[`${dir}/node_modules/${name}`] !== undefined;
        const up = dir.lastIndexOf("/node_modules/");
        dir = up < 0 ? undefined : dir.slice(0, up);
      }
      if (!found) return { name, of: path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length) };
    }
  }
  return undefined;
}

/** true, or why the locked version does not satisfy the spec (or cannot be checked). */
function specMatches(name: string, spec: string, locked: string): true | string {
  const alias = /^npm:(?:@?[^@]+)@(.+)$/.exec(spec);
  const range = alias ? alias[1]! : spec;
  if (semver.validRange(range) === null) return `pins ${name} to ${locked}, and "${spec}" is not a version range msb can check`;
  if (!semver.valid(locked)) return `pins ${name} to "${locked}", not a registry version msb can check`;
  if (!semver.satisfies(locked, range, { includePrerelease: true })) return `pins ${name} ${locked}, which does not satisfy "${spec}" in package.json`;
  return true;
}

function yarnVerdict(text: string, wanted: Record<string, string>): StrictInstallVerdict {
  const berry = /^__metadata:/m.test(text);
  const keys = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    if (/^\s/.test(line) || !line.trim().endsWith(":") || line.startsWith("#")) continue;
    for (const key of line.slice(0, -1).split(/,\s*/)) keys.add(key.trim().replace(/^"|"$/g, ""));
  }
  for (const [name, spec] of Object.entries(wanted)) {
    const candidates = berry ? [`${name}@npm:${spec}`, `${name}@${spec}`] : [`${name}@${spec}`];
    if (!candidates.some((k) => keys.has(k))) return { ok: false, why: `yarn.lock has no entry for ${name}@${spec}, which package.json requires` };
  }
  return { ok: true };
}

/** Lockfile format majors each pnpm major installs from without rewriting the lockfile. */
const pnpmReads: Record<number, number[]> = { 5: [5], 6: [5], 7: [5], 8: [6], 9: [6, 9], 10: [9] };

/** A pnpm-lock.yaml's `lockfileVersion`: its format major and the version as written (`'6.0'` → 6, "6.0"). */
export function pnpmLockfileVersion(text: string): { format: number; written: string } | undefined {
  const m = /^lockfileVersion:\s*['"]?(\d+)(\.\d+)?/m.exec(text);
  return m ? { format: Number(m[1]), written: `${m[1]}${m[2] ?? ""}` } : undefined;
}

function pnpmVerdict(text: string, wanted: Record<string, string>, versions: ToolVersions): StrictInstallVerdict {
  const version = pnpmLockfileVersion(text);
  if (!version) return { ok: false, why: "pnpm-lock.yaml has no lockfileVersion" };
  const { format } = version;
  const pnpmMajor = versions.managerMajor;
  if (pnpmMajor === undefined) return { ok: false, why: `the pnpm version the image installs is not pinned, so msb cannot tell whether it reads lockfileVersion ${format}` };
  if (!(pnpmReads[pnpmMajor] ?? []).includes(format)) return { ok: false, why: `pnpm ${pnpmMajor} does not install lockfileVersion ${format} as it is` };
  const specifiers = pnpmRootSpecifiers(text, format);
  for (const [name, spec] of Object.entries(wanted)) {
    if (specifiers[name] !== spec) return { ok: false, why: `pnpm-lock.yaml records ${name} as ${specifiers[name] === undefined ? "absent" : `"${specifiers[name]}"`}, package.json asks for "${spec}"` };
  }
  return { ok: true };
}

/** The specifiers pnpm-lock.yaml records for the root project (what `--frozen-lockfile` compares with package.json). */
export function pnpmRootSpecifiers(text: string, format: number): Record<string, string> {
  const lines = text.split(/\r?\n/);
  const out: Record<string, string> = {};
  const unquote = (s: string) => s.trim().replace(/^(['"])(.*)\1$/, "$2");
  if (format < 6) {
    const start = lines.findIndex((l) => l === "specifiers:");
    for (const line of start < 0 ? [] : lines.slice(start + 1)) {
      const e = /^ {2}(\S.*?):\s+(.+)$/.exec(line);
      if (!e) break;
      out[unquote(e[1]!)] = unquote(e[2]!);
    }
    return out;
  }
  // v6+: either top-level dependencies blocks, or importers: { '.': { dependencies: … } }
  const importers = lines.findIndex((l) => l === "importers:");
  let indent = "";
  let from = 0;
  if (importers >= 0) {
    const root = lines.findIndex((l, i) => i > importers && /^ {2}['"]?\.['"]?:\s*$/.test(l));
    if (root < 0) return out;
    indent = "    ";
    from = root + 1;
  }
  let name: string | undefined;
  for (let i = from; i < lines.length; i++) {
    const line = lines[i]!;
    if (importers >= 0 && /^ {0,3}\S/.test(line)) break;
    const section = new RegExp(`^${indent}(dependencies|devDependencies|optionalDependencies):\\s*$`).exec(line);
    if (section) continue;
    const entry = new RegExp(`^${indent}  (\\S.*?):\\s*$`).exec(line);
    if (entry) {
      name = unquote(entry[1]!);
      continue;
    }
    const spec = new RegExp(`^${indent}    specifier:\\s+(.+)$`).exec(line);
    if (spec && name) out[name] = unquote(spec[1]!);
    if (importers < 0 && /^\S/.test(line) && !/^(dependencies|devDependencies|optionalDependencies):/.test(line)) name = undefined;
  }
  return out;
}
