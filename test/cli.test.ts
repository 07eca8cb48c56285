import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, cpSync, readFileSync, readdirSync, writeFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scratchDir } from "./support/scratch.js";

const bin = join(import.meta.dirname, "..", "bin", "msb.cjs");
const fixtures = join(import.meta.dirname, "..", "fixtures");

function msb(args: string[], input?: string, env: Record<string, string> = {}, cwd?: string) {
  const result = spawnSync(process.execPath, [bin, ...args], { input, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...env }, ...(cwd ? { cwd } : {}) });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("msb convert (the built CLI)", () => {
  it("prints the converted Dockerfile and exits 0", () => {
    const r = msb(["convert", join(fixtures, "node-build", "Dockerfile")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(fixtures, "node-build", "expected.Dockerfile"), "utf8"));
    expect(r.stderr).toBe("");
  });

  it("reads standard input with the current directory as context", () => {
    const r = msb(["convert", "-"], readFileSync(join(fixtures, "go-seed", "Dockerfile"), "utf8"), {}, join(fixtures, "go-seed"));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(fixtures, "go-seed", "expected.Dockerfile"), "utf8"));
  });

  it("prints an already multi-stage file unchanged with a note on stderr", () => {
    const file = join(fixtures, "already-multistage", "Dockerfile");
    const r = msb(["convert", file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(file, "utf8"));
    expect(r.stderr).toMatch(/already a multi-stage build/);
  });

  it.each([
    ["bad-empty", 2, /is empty/],
    ["bad-no-from", 2, /has no FROM/],
    ["bad-unterminated-heredoc", 2, /never terminated/],
    ["bad-binary", 2, /binary file/],
    ["unsupported-java", 3, /Java/],
  ])("%s: exit %i, one line on stderr, nothing on stdout", (name, code, message) => {
    const r = msb(["convert", join(fixtures, name, "Dockerfile")]);
    expect(r.code).toBe(code);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain(join(fixtures, name, "Dockerfile"));
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it("exit 2 for a missing file, a directory and an unknown option", () => {
    expect(msb(["convert", "/nonexistent/Dockerfile"]).code).toBe(2);
    const dir = msb(["convert", fixtures]);
    expect(dir.code).toBe(2);
    expect(dir.stderr).toMatch(/is a directory/);
    expect(msb(["convert", "--bogus"]).code).toBe(2);
    expect(msb(["convert", "--tests", "never", join(fixtures, "node-build", "Dockerfile")]).code).toBe(2);
  });

  it("--json prints the documented fields", () => {
    const r = msb(["convert", "--json", join(fixtures, "python-flask-pytest", "Dockerfile")]);
    const json = JSON.parse(r.stdout);
    expect(json.stack).toBe("python");
    expect(json.stages.map((s: { name: string }) => s.name)).toEqual(["build", "test", "prune", "runtime"]);
    expect(json.dockerfile).toBe(readFileSync(join(fixtures, "python-flask-pytest", "expected.Dockerfile"), "utf8"));
    expect(json.notes.length).toBeGreaterThan(0);
  });

  it("--explain writes decisions to stderr, without colour when not a TTY", () => {
    const r = msb(["convert", "--explain", join(fixtures, "node-native-apt", "Dockerfile")], undefined, { NO_COLOR: "" });
    expect(r.stderr).toMatch(/slim runtime/);
    expect(r.stderr).not.toMatch(/\u001b\[/);
    const forced = msb(["convert", "--explain", join(fixtures, "node-native-apt", "Dockerfile")], undefined, { NO_COLOR: "", FORCE_COLOR: "1" });
    expect(forced.stderr).toMatch(/\u001b\[/);
  });

  it("--diff prints a unified diff", () => {
    const r = msb(["convert", "--diff", join(fixtures, "node-build", "Dockerfile")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^@@ /m);
    expect(r.stdout).toMatch(/^\+FROM node:18-slim AS runtime$/m);
  });

  it("--write rewrites in place keeping the mode, and leaves refused input untouched", () => {
    const dir = scratchDir("cli-");
    const file = join(dir, "Dockerfile");
    copyFileSync(join(fixtures, "python-user", "Dockerfile"), file);
    copyFileSync(join(fixtures, "python-user", "requirements.txt"), join(dir, "requirements.txt"));
    chmodSync(file, 0o640);
    expect(msb(["convert", "--write", file]).code).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(readFileSync(join(fixtures, "python-user", "expected.Dockerfile"), "utf8"));
    expect(statSync(file).mode & 0o777).toBe(0o640);
    const bad = join(dir, "Bad.Dockerfile");
    writeFileSync(bad, "FROM eclipse-temurin:21\nCMD [\"java\"]\n");
    expect(msb(["convert", "--write", bad]).code).toBe(3);
    expect(readFileSync(bad, "utf8")).toBe("FROM eclipse-temurin:21\nCMD [\"java\"]\n");
  });

  it("--write into a read-only directory fails with exit 4 and the original intact", () => {
    if (process.getuid?.() === 0) {
      // root ignores directory permissions; simulate with a file whose directory vanished instead
      const r = msb(["convert", "-o", "/nonexistent-dir/Dockerfile", join(fixtures, "node-build", "Dockerfile")]);
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/could not be written/);
      return;
    }
    const dir = scratchDir("ro-");
    const file = join(dir, "Dockerfile");
    copyFileSync(join(fixtures, "node-build", "Dockerfile"), file);
    chmodSync(dir, 0o555);
    const r = msb(["convert", "--write", file]);
    chmodSync(dir, 0o755);
    expect(r.code).toBe(4);
    expect(readFileSync(file, "utf8")).toBe(readFileSync(join(fixtures, "node-build", "Dockerfile"), "utf8"));
  });

  it("--help and --version exit 0", () => {
    expect(msb(["--help"]).code).toBe(0);
    expect(execFileSync(process.execPath, [bin, "--version"], { encoding: "utf8" }).trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe("the V8 code cache the msb command starts through", () => {
  const converted = readFileSync(join(fixtures, "node-build", "expected.Dockerfile"), "utf8");
  const run = (cacheDir: string) => msb(["convert", join(fixtures, "node-build", "Dockerfile")], undefined, { MSB_CACHE_DIR: cacheDir });
  const caches = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".v8cache"));

  it("is written by the first run and read by the next, with the same output", () => {
    const dir = scratchDir("cache-");
    const first = run(dir);
    expect([first.code, first.stdout]).toEqual([0, converted]);
    const [cache] = caches(dir);
    expect(cache).toMatch(new RegExp(`^cli-[0-9a-f]{8}-\\d+-\\d+-${process.version}-${process.arch}\\.v8cache$`));
    const written = statSync(join(dir, cache!)).mtimeMs;
    const second = run(dir);
    expect([second.code, second.stdout, second.stderr]).toEqual([0, converted, ""]);
    expect(statSync(join(dir, cache!)).mtimeMs).toBe(written);
  });

  it("two installs of msb keep a cache each, and a cache not keyed by install is removed", () => {
    const dir = scratchDir("cache-");
    const other = scratchDir("install-");
    cpSync(join(import.meta.dirname, "..", "bin"), join(other, "bin"), { recursive: true });
    cpSync(join(import.meta.dirname, "..", "dist", "bundle"), join(other, "dist", "bundle"), { recursive: true });
    const unkeyed = `cli-606666-1796446678249-${process.version}-${process.arch}.v8cache`;
    writeFileSync(join(dir, unkeyed), "unkeyed");
    run(dir);
    const [own] = caches(dir);
    expect(own).not.toBe(unkeyed);
    const written = statSync(join(dir, own!)).mtimeMs;
    const r = spawnSync(process.execPath, [join(other, "bin", "msb.cjs"), "convert", join(fixtures, "node-build", "Dockerfile")], { encoding: "utf8", env: { ...process.env, MSB_CACHE_DIR: dir } });
    expect([r.status, r.stdout]).toEqual([0, converted]);
    expect(caches(dir).sort()).toEqual([own, caches(dir).find((c) => c !== own)].sort());
    expect(caches(dir).length).toBe(2);
    run(dir);
    expect(statSync(join(dir, own!)).mtimeMs).toBe(written);
  });

  it("a corrupt cache is rejected by V8 and rewritten; the run is unaffected", () => {
    const dir = scratchDir("cache-");
    run(dir);
    const [cache] = caches(dir);
    writeFileSync(join(dir, cache!), "not a code cache");
    const r = run(dir);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, converted, ""]);
    expect(statSync(join(dir, cache!)).size).toBeGreaterThan(1000);
  });

  it("an unwritable cache directory and MSB_NO_COMPILE_CACHE only cost speed", () => {
    const dir = scratchDir("cache-");
    const blocked = join(dir, "file-not-dir");
    writeFileSync(blocked, "");
    const r = run(join(blocked, "msb"));
    expect([r.code, r.stdout, r.stderr]).toEqual([0, converted, ""]);
    const off = msb(["convert", join(fixtures, "node-build", "Dockerfile")], undefined, { MSB_CACHE_DIR: dir, MSB_NO_COMPILE_CACHE: "1" });
    expect([off.code, off.stdout]).toEqual([0, converted]);
    expect(caches(dir)).toEqual([]);
  });
});
