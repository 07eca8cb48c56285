import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { convert } from "../../src/index.js";
import { directoryContext } from "../../src/analysis/fs-context.js";
import { detectEngine, type Engine } from "../../src/verify/engine.js";
import { verify } from "../../src/verify/verify.js";
import { diskShortage, neededGb } from "./free-disk.js";

// Docker Engine with its built-in BuildKit: the engine most users build with. Stage skipping, the
// test gate and COPY ownership are BuildKit's semantics, proven here with real builds.
const root = join(import.meta.dirname, "..", "..");
const state = process.env["MSB_E2E_DIR"] ?? "/var/tmp/msb-e2e";
// the distribution's client uses the daemon's built-in BuildKit; a newer client first on PATH may insist on buildx
const docker = process.env["MSB_DOCKER"] ?? "/usr/bin/docker";
const env = { ...process.env, DOCKER_BUILDKIT: "1" };
const answers = existsSync(docker) && spawnSync(docker, ["info", "--format", "{{.ServerVersion}}"], { env, encoding: "utf8", timeout: 20_000 }).status === 0;
const canLoad = spawnSync("sh", ["-c", "command -v buildah"]).status === 0 && process.getuid?.() === 0;
const reason = !existsSync(docker)
  ? `no Docker client at ${docker} (set MSB_DOCKER); docker e2e skipped`
  : !answers
    ? "no Docker Engine answers (set DOCKER_HOST to a running daemon; .ci/run starts a private one); docker e2e skipped"
    : diskShortage(state, neededGb.docker);
if (reason) console.warn(`msb e2e: ${reason}`);

const prefix = `msb-e2e-docker-${process.pid}`;
const tags: string[] = [];
const scratch: string[] = [];

function build(context: string, dockerfile: string, name: string): { ok: boolean; log: string; tag: string } {
  const tag = `${prefix}-${name}`;
  tags.push(tag);
  const file = join(context, `${name}.Dockerfile`);
  writeFileSync(file, dockerfile);
  const r = spawnSync(docker, ["build", "--network", "host", "--progress", "plain", "-t", tag, "-f", file, context], { env, encoding: "utf8", timeout: 15 * 60 * 1000 });
  return { ok: r.status === 0, log: `${r.stdout}${r.stderr}`, tag };
}

/** Runs a program as the image's own user in its own WORKDIR (`--entrypoint` replaces only the program). */
function runIn(tag: string, program: string, ...args: string[]) {
  const r = spawnSync(docker, ["run", "--rm", "--network", "host", "--entrypoint", program, tag, ...args], { env, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

function copyOfFixture(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `msb-docker-${name}-`));
  scratch.push(dir);
  cpSync(join(root, "fixtures", name), dir, { recursive: true });
  rmSync(join(dir, "expected.Dockerfile"), { force: true });
  return dir;
}

const converted = (dir: string) => convert(readFileSync(join(dir, "Dockerfile"), "utf8"), { context: directoryContext(dir) }).dockerfile;

describe.skipIf(reason !== "")("real builds with Docker Engine (BuildKit)", () => {
  beforeAll(() => {
    if (canLoad) {
      execFileSync("bash", [join(root, "e2e", "images.sh"), state], { stdio: "inherit", timeout: 40 * 60 * 1000 });
      execFileSync("bash", [join(root, "e2e", "docker-load.sh"), state], { stdio: "inherit", timeout: 20 * 60 * 1000, env: { ...process.env, MSB_DOCKER: docker } });
    }
    const missing = ["node:18", "python:3.11", "python:3.11-slim"].filter((i) => spawnSync(docker, ["image", "inspect", i], { env }).status !== 0);
    if (missing.length > 0) throw new Error(`stand-in images missing from Docker: ${missing.join(", ")} (e2e/images.sh, then e2e/docker-load.sh)`);
  }, 60 * 60 * 1000);

  // on the private engine .ci/run starts (vfs storage copies every layer), each test's images and
  // build cache would fill the disk within the suite; a user's own engine keeps its cache
  afterEach(() => {
    if (process.env["MSB_E2E_PRIVATE_DOCKER"] !== "1") return;
    if (tags.length > 0) spawnSync(docker, ["rmi", "-f", ...tags.splice(0)], { env });
    spawnSync(docker, ["builder", "prune", "-af"], { env });
  });

  afterAll(() => {
    if (tags.length > 0) spawnSync(docker, ["rmi", "-f", ...tags], { env });
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  });

  it("BuildKit makes a WORKDIR root's and COPY --chown keeps that owner (why msb sets USER first)", () => {
    const dir = copyOfFixture("e2e-python-flask");
    const naive = [
      "FROM python:3.11-slim",
      "RUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app app",
      "WORKDIR /app",
      "COPY --chown=app:app . /app",
      "USER app",
    ].join("\n");
    const image = build(dir, `${naive}\n`, "naive-workdir");
    expect(image.ok, image.log).toBe(true);
    const probe = runIn(image.tag, "python", "-c", "open('probe', 'w').write('x')");
    expect(probe.code).not.toBe(0);
    expect(probe.out).toMatch(/PermissionError/);
  });

  it("python: a plain build runs the tests, the runtime user writes in WORKDIR and data directories, no test artefacts ship", () => {
    const dir = copyOfFixture("e2e-python-flask");
    const original = readFileSync(join(dir, "Dockerfile"), "utf8");
    writeFileSync(join(dir, "Dockerfile"), original.replace(/^COPY \. \.$/m, "COPY . .\nRUN mkdir -p /data/uploads"));
    const text = converted(dir);
    // the runtime takes it from the last stage before it (build, or prune where packaging tools are removed)
    expect(text).toMatch(/^COPY --from=(build|prune) --chown=app:app \/data \/data$/m);
    const image = build(dir, text, "python-gate");
    expect(image.ok, image.log).toBe(true);
    expect(image.log).toMatch(/\[test \d\/\d\] RUN python -m pytest tests\//);
    expect(image.log).toMatch(/passed/);
    const probe = runIn(image.tag, "python", "-c", [
      "import os",
      "open('probe', 'w').write('x')",
      "open('/data/notes.db', 'w').write('x')",
      "open('/data/uploads/a.txt', 'w').write('x')",
      "assert not os.path.exists('.pytest_cache'), '.pytest_cache shipped'",
      "print('uid', os.getuid(), 'cwd', os.getcwd())",
    ].join("\n"));
    expect(probe.out).toMatch(/^uid [1-9]\d* cwd \/app$/m);
    expect(probe.code, probe.out).toBe(0);
  });

  it("python: the original's user with a group of another name owns WORKDIR (--chown takes the user's group from /etc/passwd)", () => {
    const dir = copyOfFixture("e2e-python-flask");
    const original = readFileSync(join(dir, "Dockerfile"), "utf8");
    writeFileSync(join(dir, "Dockerfile"), original.replace(/^EXPOSE/m, "RUN groupadd --system appgroup && useradd --system -g appgroup --create-home appuser\nUSER appuser\nEXPOSE"));
    const text = converted(dir);
    expect(text).toMatch(/^COPY --from=\w+ --chown=appuser \/app \/app$/m);
    const image = build(dir, text, "python-own-group");
    expect(image.ok, image.log).toBe(true);
    const probe = runIn(image.tag, "sh", "-c", "touch probe && stat -c '%U:%G' . probe && id -gn");
    expect(probe.code, probe.out).toBe(0);
    expect(probe.out.trim().split("\n")).toEqual(["appuser:appgroup", "appuser:appgroup", "appgroup"]);
  });

  it("python: a VOLUME under the WORKDIR, made by a root mkdir before WORKDIR runs, leaves the WORKDIR the runtime user's", () => {
    const dir = copyOfFixture("e2e-python-flask");
    const original = readFileSync(join(dir, "Dockerfile"), "utf8");
    writeFileSync(join(dir, "Dockerfile"), original.replace(/^EXPOSE/m, 'VOLUME ["/app/uploads"]\nEXPOSE'));
    const text = converted(dir);
    expect(text).toMatch(/^RUN mkdir -p \/app\/uploads && chown app:app \/app \/app\/uploads$/m);
    const image = build(dir, text, "python-volume-under-workdir");
    expect(image.ok, image.log).toBe(true);
    const probe = runIn(image.tag, "sh", "-c", "touch /app/.env uploads/a && stat -c '%U' /app /app/uploads");
    expect(probe.code, probe.out).toBe(0);
    expect(probe.out.trim().split("\n")).toEqual(["app", "app"]);
    // without /app in the chown, the root mkdir -p leaves it root's: WORKDIR after USER does not change that
    const naive = build(dir, text.replace("chown app:app /app /app/uploads", "chown app:app /app/uploads"), "python-volume-naive");
    expect(naive.ok, naive.log).toBe(true);
    expect(runIn(naive.tag, "sh", "-c", "touch /app/.env").code).not.toBe(0);
  });

  it("python: packages from an apt source the build adds (Debian's non-free) install in the runtime from that source", () => {
    const dir = copyOfFixture("e2e-python-flask");
    const original = readFileSync(join(dir, "Dockerfile"), "utf8");
    const source = 'RUN echo "deb http://deb.debian.org/debian bookworm non-free" > /etc/apt/sources.list.d/non-free.list \\\n    && apt-get update && apt-get install -y --no-install-recommends unrar && rm -rf /var/lib/apt/lists/*\n';
    writeFileSync(join(dir, "Dockerfile"), original.replace(/^WORKDIR/m, `${source}WORKDIR`));
    const text = converted(dir);
    expect(text).toMatch(/^COPY --from=\w+ \/tmp\/apt-sources\/ \/tmp\/apt-sources\/$/m);
    const image = build(dir, text, "python-apt-source");
    expect(image.ok, image.log).toBe(true);
    const probe = runIn(image.tag, "sh", "-c", "id -un && unrar | sed -n 2p");
    expect(probe.code, probe.out).toBe(0);
    expect(probe.out).toMatch(/^app\nUNRAR \d/);
  });

  it("python: a failing test fails the default build", () => {
    const dir = copyOfFixture("e2e-python-flask");
    writeFileSync(join(dir, "tests", "test_broken.py"), "def test_broken():\n    assert 1 + 1 == 3\n");
    const image = build(dir, converted(dir), "python-failing");
    expect(image.ok).toBe(false);
    expect(image.log).toMatch(/test_broken/);
  });

  it("node: the default build runs npm test and the runtime user writes in WORKDIR", () => {
    const dir = copyOfFixture("e2e-node-api");
    const image = build(dir, converted(dir), "node-gate");
    expect(image.ok, image.log).toBe(true);
    expect(image.log).toMatch(/\[test \d\/\d\] RUN npm test/);
    const probe = runIn(image.tag, "node", "-e", "require('fs').writeFileSync('probe', 'x'); console.log('uid', process.getuid(), 'cwd', process.cwd())");
    expect(probe.code, probe.out).toBe(0);
    expect(probe.out).toMatch(/^uid [1-9]\d* cwd \/app$/m);
  });

  it("static: the production build msb adds to a dev-server image runs as root after the original's USER node", () => {
    const dir = copyOfFixture("e2e-static-vite");
    writeFileSync(join(dir, "Dockerfile"), "FROM node:18\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nUSER node\nCOPY --chown=node:node . .\nEXPOSE 5173\nCMD [\"npm\", \"run\", \"dev\", \"--\", \"--host\", \"0.0.0.0\"]\n");
    const text = converted(dir);
    expect(text).toMatch(/^USER root\nRUN npm run build\nUSER node$/m);
    const image = build(dir, text, "static-dev-user");
    expect(image.ok, image.log).toBe(true);
    const probe = runIn(image.tag, "sh", "-c", "test -s /usr/share/nginx/html/index.html && id -u");
    expect(probe.code, probe.out).toBe(0);
    expect(probe.out.trim()).toBe("101");
  });

  describe("msb verify with Docker", () => {
    let engine: Engine;
    beforeAll(async () => {
      const found = await detectEngine("docker", { globalArgs: [], isolation: "chroot", network: "host", command: docker });
      if (!found) throw new Error("docker did not answer");
      engine = found;
    });
    for (const name of ["e2e-node-api", "e2e-python-flask", "e2e-go-http", "e2e-static-vite"]) {
      it(name, async () => {
        const dir = join(root, "fixtures", name);
        const originalText = readFileSync(join(dir, "Dockerfile"), "utf8");
        const report = await verify({ engine, originalText, convertedText: converted(dir), context: dir, timeoutMs: 60_000, track: () => undefined });
        expect(report.original.built, report.original.log).toBe(true);
        expect(report.converted.built, report.converted.log).toBe(true);
        expect(report.sameBehaviour).toBe(true);
        expect(report.converted.user).not.toMatch(/^(root|0)?(:|$)/);
        expect(report.converted.sizeBytes!).toBeLessThan(report.original.sizeBytes!);
        expect(report.verdict).toBe("ok");
      }, 20 * 60 * 1000);
    }
  });
});
