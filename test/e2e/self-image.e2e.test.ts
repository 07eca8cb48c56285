// msb's own container image (the repository's Dockerfile), built with Docker (BuildKit) and used
// the two documented ways: `check .` on a mounted directory, and `convert -` on standard input.
// Needs a Docker Engine at $DOCKER_HOST. Where the official node:20-alpine cannot be pulled, a
// stand-in under that name is built from the node:18-slim stand-in with this machine's Node 20.
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diskShortage, neededGb } from "./free-disk.js";

const root = join(import.meta.dirname, "..", "..");
const docker = existsSync("/usr/bin/docker") ? "/usr/bin/docker" : "docker";
const base = "node:20-alpine";
const tag = `msb-e2e-self:${process.pid}`;
const env = { ...process.env, DOCKER_BUILDKIT: "1" };
const run = (args: string[], input?: string): SpawnSyncReturns<string> => spawnSync(docker, args, { env, input, encoding: "utf8", maxBuffer: 64 << 20 });

const reason = !process.env["DOCKER_HOST"]
  ? "DOCKER_HOST is not set (no Docker Engine for the image test); msb's own image is not tested"
  : run(["info", "--format", "{{.ServerVersion}}"]).status !== 0
    ? `no Docker Engine answers at ${process.env["DOCKER_HOST"]}; msb's own image is not tested`
    : diskShortage(process.env["MSB_E2E_DIR"] ?? "/var/tmp/msb-e2e", neededGb.self);
if (reason) console.warn(`msb e2e: ${reason}`);

const scratch = mkdtempSync(join(tmpdir(), "msb-self-image-"));
chmodSync(scratch, 0o755);
let createdBase = false;

function ensureBase(): void {
  if (run(["image", "inspect", base]).status === 0) return;
  if (run(["image", "inspect", "node:18-slim"]).status !== 0) throw new Error(`neither ${base} nor the node:18-slim stand-in is in the engine (run e2e/images.sh)`);
  if (!process.versions.node.startsWith("20.")) throw new Error(`the ${base} stand-in takes this machine's Node, which is ${process.version}, not 20`);
  const dir = join(scratch, "base");
  mkdirSync(dir);
  copyFileSync(process.execPath, join(dir, "node"));
  writeFileSync(join(dir, "Dockerfile"), `FROM node:18-slim\nCOPY node /usr/local/bin/node\nENV NODE_VERSION=${process.versions.node}\n`);
  const built = run(["build", "--network", "host", "-q", "-t", base, dir]);
  if (built.status !== 0) throw new Error(`building the ${base} stand-in failed:\n${built.stderr}`);
  createdBase = true;
}

const sizeMb = (image: string) => Number(run(["image", "inspect", "--format", "{{.Size}}", image]).stdout.trim()) / 1e6;

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(scratch, "project-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  chmodSync(dir, 0o755); // the image runs as the node user
  return dir;
}

describe.skipIf(reason !== "")("msb's own image (Dockerfile at the repository root)", () => {
  beforeAll(() => {
    ensureBase();
    const built = run(["build", "--network", "host", "-t", tag, root]);
    if (built.status !== 0) throw new Error(`docker build of msb's image failed:\n${built.stderr.split("\n").slice(-30).join("\n")}`);
  }, 20 * 60 * 1000);

  afterAll(() => {
    run(["rmi", "-f", tag]);
    if (createdBase) run(["rmi", base]);
    rmSync(scratch, { recursive: true, force: true });
  });

  it("is multi-stage, runs as non-root and adds under 2 MB to its base", () => {
    expect(spawnSync(process.execPath, [join(root, "bin", "msb.cjs"), "check", join(root, "Dockerfile")], { encoding: "utf8" }).status).toBe(0);
    expect(run(["image", "inspect", "--format", "{{.Config.User}}", tag]).stdout.trim()).toBe("node");
    const total = sizeMb(tag);
    const added = total - sizeMb(base);
    console.log(`msb image: ${total.toFixed(1)} MB with the ${base} base here, msb's own layers ${added.toFixed(2)} MB`);
    expect(added).toBeLessThan(2);
  });

  it("docker run -v $PWD:/work -w /work IMAGE check . reports the mounted project", () => {
    const node = readFileSync(join(root, "fixtures", "node-build", "Dockerfile"), "utf8");
    const pkg = readFileSync(join(root, "fixtures", "node-build", "package.json"), "utf8");
    const dir = project({ "api/Dockerfile": node, "api/package.json": pkg, "Dockerfile.done": readFileSync(join(root, "Dockerfile"), "utf8") });
    chmodSync(join(dir, "api"), 0o755);
    const r = run(["run", "--rm", "--network", "host", "-v", `${dir}:/work`, "-w", "/work", tag, "check", "."]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("api/Dockerfile:1: convert: single-stage node Dockerfile");
    expect(r.stdout).toContain("2 Dockerfiles: 1 to convert, 1 multi-stage, 0 unsupported, 0 unusable");
    const sarif = run(["run", "--rm", "--network", "host", "-v", `${dir}:/work`, "-w", "/work", tag, "check", "Dockerfile.done", "--format", "sarif"]);
    expect(sarif.status).toBe(0);
    expect(JSON.parse(sarif.stdout).runs[0].results).toEqual([]);
  });

  it("docker run -i IMAGE convert - converts standard input like the local CLI", () => {
    const input = readFileSync(join(root, "fixtures", "go-seed", "Dockerfile"), "utf8");
    const r = run(["run", "--rm", "-i", "--network", "host", tag, "convert", "-"], input);
    expect(r.status).toBe(0);
    const empty = mkdtempSync(join(scratch, "empty-"));
    const local = spawnSync(process.execPath, [join(root, "bin", "msb.cjs"), "convert", "-"], { cwd: empty, input, encoding: "utf8" });
    expect(r.stdout).toBe(local.stdout);
    // the same warnings too: the image's empty /work, like the empty directory here, lacks go.mod
    expect(r.stderr).toBe(local.stderr);
    expect(r.stderr).toMatch(/^(<stdin>: warning: [^\n]+\n)*$/);
    expect(r.stdout).toMatch(/^FROM .* AS runtime$/m);
  });

  it("rejects an unusable input with msb's exit code and one line on stderr", () => {
    const r = run(["run", "--rm", "-i", "--network", "host", tag, "convert", "-"], "RUN echo no FROM\n");
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^msb: <stdin>: /);
  });
});
