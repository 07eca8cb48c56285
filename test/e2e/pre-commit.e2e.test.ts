import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scratchDir } from "../support/scratch.js";

const root = join(import.meta.dirname, "..", "..");
const fixtures = join(root, "fixtures");
const available = spawnSync("sh", ["-c", "command -v pre-commit && command -v git"]).status === 0;
if (!available) console.warn("msb: pre-commit is not installed; the pre-commit hook test is skipped");
const home = scratchDir("pre-commit-home-");

function project(fixture: string): string {
  const dir = scratchDir("pre-commit-");
  cpSync(join(fixtures, fixture), dir, { recursive: true, filter: (p) => !/expected|options\.json/.test(p) });
  execFileSync("git", ["init", "-q"], { cwd: dir });
  execFileSync("git", ["add", "."], { cwd: dir });
  return dir;
}

function tryRepo(dir: string, hook: string) {
  const r = spawnSync("pre-commit", ["try-repo", root, hook, "--files", "Dockerfile"], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, PRE_COMMIT_HOME: home, NO_COLOR: "1", PRE_COMMIT_COLOR: "never" },
    timeout: 10 * 60 * 1000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe.skipIf(!available)("pre-commit hooks (the real framework)", () => {
  it("msb-check fails on a convertible Dockerfile and passes on a multi-stage one", () => {
    const failing = tryRepo(project("node-build"), "msb-check");
    expect(failing.out).toMatch(/msb check\.+Failed/);
    expect(failing.out).toContain("fix: msb convert --write Dockerfile");
    expect(failing.code).toBe(1);
    const passing = tryRepo(project("already-multistage"), "msb-check");
    expect(passing.out).toMatch(/msb check\.+Passed/);
    expect(passing.code).toBe(0);
  }, 15 * 60 * 1000);

  it("msb-fix rewrites the Dockerfile (pre-commit reports the modification)", () => {
    const dir = project("python-user");
    const r = tryRepo(dir, "msb-fix");
    expect(r.out).toMatch(/msb fix\.+Failed/);
    expect(r.out).toMatch(/files were modified by this hook/);
    const again = tryRepo(dir, "msb-fix");
    expect(again.out).toMatch(/msb fix\.+Passed/);
    writeFileSync(join(dir, "unused"), "");
  }, 15 * 60 * 1000);
});
