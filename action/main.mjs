// Entry point the GitHub Actions runner starts (action.yml, runs.using: node20).
// The action's code ships in the npm package (dist/bundle/action.js, every dependency bundled), so
// this file stays small and never goes stale: a checkout that has been built runs its own build;
// otherwise the package version named in package.json (the version this tag released) is fetched
// from the npm registry once per runner, its integrity checked, and unpacked with tar. No npm needed.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const built = join(root, "dist", "bundle", "action.js");

async function fetchPackage() {
  const { name, version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const cache = join(process.env.RUNNER_TOOL_CACHE || process.env.RUNNER_TEMP || tmpdir(), name, version);
  const entry = join(cache, "package", "dist", "bundle", "action.js");
  if (existsSync(entry)) return entry;

  const registry = (process.env.npm_config_registry || "https://registry.npmjs.org").replace(/\/+$/, "");
  const metadata = await fetch(`${registry}/${name}/${version}`);
  if (!metadata.ok) throw new Error(`${registry}/${name}/${version}: HTTP ${metadata.status}`);
  const { dist } = await metadata.json();
  const response = await fetch(dist.tarball);
  if (!response.ok) throw new Error(`${dist.tarball}: HTTP ${response.status}`);
  const tarball = Buffer.from(await response.arrayBuffer());
  const [algorithm, expected] = String(dist.integrity).split("-", 2);
  if (createHash(algorithm).update(tarball).digest("base64") !== expected) throw new Error(`${dist.tarball}: integrity check failed`);

  const staging = `${cache}.${process.pid}`;
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, "package.tgz"), tarball);
  const tar = spawnSync("tar", ["-xzf", "package.tgz"], { cwd: staging, stdio: ["ignore", "ignore", "inherit"] });
  if (tar.status !== 0) throw new Error(`tar could not unpack ${dist.tarball}`);
  rmSync(cache, { recursive: true, force: true });
  renameSync(staging, cache);
  return entry;
}

try {
  const entry = existsSync(built) ? built : await fetchPackage();
  const { runAction } = await import(pathToFileURL(entry).href);
  process.exitCode = runAction(process.env);
} catch (error) {
  process.stdout.write(`::error::msb action: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 70;
}
