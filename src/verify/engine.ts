import { spawn } from "node:child_process";
import { chmodSync, closeSync, fchmodSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { retryingEngineFaults } from "./engine-faults.js";

export interface ImageInfo {
  sizeBytes: number;
  user: string;
  entrypoint: string[];
  cmd: string[];
  workdir: string;
  env: string[];
  exposedPorts: number[];
}

export interface BuildResult {
  ok: boolean;
  seconds: number;
  /** The last lines of the engine's output, for the report when the build fails. */
  log: string;
}

export interface Running {
  /** Output collected so far. */
  output(): string;
  /** Resolves with the exit code when the process ends. */
  exited: Promise<number>;
  stop(): Promise<void>;
}

/** A container engine, driven through execa with argument arrays (never shell strings). */
export interface Engine {
  name: "docker" | "podman" | "buildah";
  build(file: string, context: string, tag: string): Promise<BuildResult>;
  inspect(tag: string): Promise<ImageInfo>;
  /** Starts the image's own start command; for servers, `port` is published on 127.0.0.1. */
  start(tag: string, info: ImageInfo, port?: number): Promise<Running>;
  removeImages(tags: string[]): Promise<void>;
}

export interface EngineOptions {
  /** Extra arguments placed right after the engine's name (e.g. --root DIR for podman/buildah). */
  globalArgs: string[];
  /** buildah only: the isolation to build and run with (default chroot). */
  isolation: string;
  /** docker/podman: the network for builds and containers (`host` where no bridge exists; ports are then not published). */
  network?: string;
  /** The engine's executable, when not the one on PATH (e.g. /usr/bin/docker, whose client uses the daemon's built-in BuildKit). */
  command?: string;
}

const tail = (text: string, lines = 30) => text.split("\n").slice(-lines).join("\n");

export async function detectEngine(preferred: string | undefined, options: EngineOptions): Promise<Engine | undefined> {
  const order = preferred ? [preferred] : ["docker", "podman", "buildah"];
  for (const name of order) {
    const probe = name === "docker" ? ["info", "--format", "{{.ServerVersion}}"] : ["--version"];
    try {
      await execa(options.command ?? name, [...options.globalArgs, ...probe], { timeout: 15000, stdin: "ignore" });
      if (name === "buildah") return buildahEngine(options);
      return cliEngine(name as "docker" | "podman", options);
    } catch {
      /* try the next engine */
    }
  }
  return undefined;
}

/**
 * Starts a process whose stdout/stderr is a log file any user may open: a program running as a
 * non-root user that opens /dev/stdout (nginx does) needs that, as container runtimes arrange by
 * handing the stdio pipes to the container's user.
 */
function startProcess(command: string, args: string[], cleanup: () => Promise<void>): Running {
  const dir = mkdtempSync(join(tmpdir(), "msb-run-"));
  const log = join(dir, "output.log");
  const fd = openSync(log, "a");
  chmodSync(dir, 0o755);
  fchmodSync(fd, 0o666);
  // child_process (not execa) because the child's stdio must be this very file, not a pipe to it
  const child = spawn(command, args, { detached: true, stdio: ["ignore", fd, fd] });
  closeSync(fd);
  const output = () => {
    try {
      return readFileSync(log, "utf8").slice(-1_000_000);
    } catch {
      return "";
    }
  };
  const exited = new Promise<number>((resolve) => {
    child.once("error", () => resolve(127));
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  let stopped = false;
  return {
    output,
    exited,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGTERM");
        } catch {
          /* already gone */
        }
        const timer = setTimeout(() => {
          try {
            process.kill(-child.pid!, "SIGKILL");
          } catch {
            /* already gone */
          }
        }, 3000);
        await exited;
        clearTimeout(timer);
      }
      await cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function parseInfo(config: Record<string, unknown>, sizeBytes: number): ImageInfo {
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  const ports = Object.keys((config["ExposedPorts"] ?? {}) as object).map((p) => Number.parseInt(p, 10)).filter(Number.isFinite);
  return {
    sizeBytes,
    user: String(config["User"] ?? ""),
    entrypoint: list(config["Entrypoint"]),
    cmd: list(config["Cmd"]),
    workdir: String(config["WorkingDir"] ?? ""),
    env: list(config["Env"]),
    exposedPorts: ports,
  };
}

function buildahEngine(options: EngineOptions): Engine {
  const g = options.globalArgs;
  return {
    name: "buildah",
    async build(file, context, tag) {
      const started = Date.now();
      const r = await retryingEngineFaults(async () => {
        const run = await execa("buildah", [...g, "bud", "--isolation", options.isolation, "--layers=false", "-t", tag, "-f", file, context], { reject: false, all: true, stdin: "ignore" });
        return { ok: run.exitCode === 0, log: run.all ?? "" };
      });
      return { ok: r.ok, seconds: (Date.now() - started) / 1000, log: tail(r.log) };
    },
    async inspect(tag) {
      const r = await execa("buildah", [...g, "inspect", "--type", "image", tag]);
      const json = JSON.parse(r.stdout) as { OCIv1?: { config?: Record<string, unknown> }; Manifest?: string };
      // the local manifest lists uncompressed layers: their sizes add up to the image size
      const layers = (JSON.parse(json.Manifest ?? "{}") as { layers?: { size?: number }[] }).layers ?? [];
      return parseInfo(json.OCIv1?.config ?? {}, layers.reduce((sum, l) => sum + (l.size ?? 0), 0));
    },
    async start(tag, info) {
      const from = await execa("buildah", [...g, "from", "--pull=never", tag]);
      const container = from.stdout.trim().split("\n").pop()!;
      const argv = [...info.entrypoint, ...info.cmd];
      const args = [...g, "run", "--isolation", options.isolation, ...(info.user ? ["--user", info.user] : []), ...(info.workdir ? ["--workingdir", info.workdir] : []), container, "--", ...argv];
      return startProcess("buildah", args, async () => {
        await execa("buildah", [...g, "rm", container], { reject: false });
      });
    },
    async removeImages(tags) {
      if (tags.length > 0) await execa("buildah", [...g, "rmi", "-f", ...tags], { reject: false });
    },
  };
}

function cliEngine(name: "docker" | "podman", options: EngineOptions): Engine {
  const g = options.globalArgs;
  const bin = options.command ?? name;
  const network = options.network ? ["--network", options.network] : [];
  return {
    name,
    async build(file, context, tag) {
      const started = Date.now();
      const r = await retryingEngineFaults(async () => {
        const run = await execa(bin, [...g, "build", ...network, "-t", tag, "-f", file, context], { reject: false, all: true, stdin: "ignore", env: { DOCKER_BUILDKIT: "1" } });
        return { ok: run.exitCode === 0, log: run.all ?? "" };
      });
      return { ok: r.ok, seconds: (Date.now() - started) / 1000, log: tail(r.log) };
    },
    async inspect(tag) {
      const r = await execa(bin, [...g, "image", "inspect", tag]);
      const json = (JSON.parse(r.stdout) as { Config?: Record<string, unknown>; Size?: number }[])[0] ?? {};
      return parseInfo(json.Config ?? {}, json.Size ?? 0);
    },
    async start(tag, _info, port) {
      const containerName = `msb-verify-${process.pid}-${Date.now()}`;
      // on the host network the server's port is already on 127.0.0.1; publishing is refused there
      const publish = port && options.network !== "host" ? ["-p", `127.0.0.1:${port}:${port}`] : [];
      const args = [...g, "run", "--rm", "--name", containerName, ...network, ...publish, tag];
      return startProcess(bin, args, async () => {
        await execa(bin, [...g, "rm", "-f", containerName], { reject: false });
      });
    },
    async removeImages(tags) {
      if (tags.length > 0) await execa(bin, [...g, "rmi", "-f", ...tags], { reject: false });
    },
  };
}
