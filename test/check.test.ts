import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { scratchDir } from "./support/scratch.js";
import type { Log } from "sarif";

const bin = join(import.meta.dirname, "..", "bin", "msb.cjs");
const fixtures = join(import.meta.dirname, "..", "fixtures");
let tree: string;

function msb(args: string[], cwd = tree) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  tree = scratchDir("check-");
  for (const [name, fixture] of [["api", "node-build"], ["svc", "already-multistage"], ["java", "unsupported-java"], ["broken", "bad-no-from"]]) {
    mkdirSync(join(tree, name));
    cpSync(join(fixtures, fixture), join(tree, name), { recursive: true });
  }
  mkdirSync(join(tree, "node_modules", "dep"), { recursive: true });
  writeFileSync(join(tree, "node_modules", "dep", "Dockerfile"), "FROM node:18\nRUN npm install\n");
  writeFileSync(join(tree, "svc", "worker.Dockerfile"), readFileSync(join(fixtures, "already-multistage", "Dockerfile")));
});

describe("msb check", () => {
  it("exit 0 when nothing needs converting", () => {
    const r = msb(["check", "svc"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/svc\/Dockerfile:1: ok/);
    expect(r.stdout).toMatch(/svc\/worker\.Dockerfile/);
  });

  it("exit 1 when a file would be converted, with the command that converts it", () => {
    const r = msb(["check", "api/Dockerfile", "svc"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("fix: msb convert --write api/Dockerfile");
  });

  it("exit 2 on unusable input, and skips node_modules", () => {
    const r = msb(["check", "."]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/broken\/Dockerfile:1: unusable: has no FROM/);
    expect(r.stdout).not.toContain("node_modules");
  });

  it("unsupported stacks pass unless --strict", () => {
    expect(msb(["check", "java"]).code).toBe(0);
    expect(msb(["check", "--strict", "java"]).code).toBe(1);
  });

  it("exit 2 for a path that matches nothing", () => {
    const r = msb(["check", "nope/"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope\/: no such file/);
  });

  it("globs", () => {
    const r = msb(["check", "--format", "json", "*/Dockerfile"]);
    const json = JSON.parse(r.stdout);
    expect(json.files.map((f: { file: string }) => f.file).sort()).toEqual(["api/Dockerfile", "broken/Dockerfile", "java/Dockerfile", "svc/Dockerfile"]);
  });

  it("json follows the documented schema", () => {
    const json = JSON.parse(msb(["check", "--format", "json", "."]).stdout);
    expect(json.version).toBe(1);
    expect(json.summary).toEqual({ convertible: 1, "multi-stage": 4, unsupported: 1, unusable: 1 });
    const api = json.files.find((f: { file: string }) => f.file === "api/Dockerfile");
    expect(api).toMatchObject({ status: "convertible", line: 1, stack: "node", rule: "MSB001", fix: "msb convert --write api/Dockerfile" });
    expect(api.converted).toBeUndefined();
  });

  it("sarif 2.1.0 with rules and locations", () => {
    const log = JSON.parse(msb(["check", "--format", "sarif", "."]).stdout) as Log;
    expect(log.version).toBe("2.1.0");
    const run = log.runs[0]!;
    expect(run.tool.driver.name).toBe("msb");
    const ruleIds = run.tool.driver.rules!.map((r) => r.id);
    expect(ruleIds).toEqual(["MSB001", "MSB002", "MSB003"]);
    expect(run.results!.map((r) => [r.ruleId, r.locations![0]!.physicalLocation!.artifactLocation!.uri, r.locations![0]!.physicalLocation!.region!.startLine]).sort()).toEqual([
      ["MSB001", "api/Dockerfile", 1],
      ["MSB002", "java/Dockerfile", 1],
      ["MSB003", "broken/Dockerfile", 1],
    ]);
    for (const result of run.results!) expect(ruleIds[result.ruleIndex!]).toBe(result.ruleId);
  });

  it("github annotations", () => {
    const lines = msb(["check", "--format", "github", "."]).stdout.trim().split("\n").sort();
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^::error file=broken\/Dockerfile,line=1,title=msb MSB003::has no FROM instruction$/);
    expect(lines[2]).toMatch(/^::warning file=api\/Dockerfile,line=1,title=msb MSB001::single-stage node/);
  });

  it("--fix converts in place and then passes", () => {
    const dir = scratchDir("fix-");
    cpSync(join(fixtures, "python-user"), dir, { recursive: true });
    const r = msb(["check", "--fix", "Dockerfile"], dir);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, "Dockerfile"), "utf8")).toBe(readFileSync(join(fixtures, "python-user", "expected.Dockerfile"), "utf8"));
    expect(msb(["check", "Dockerfile"], dir).code).toBe(0);
  });

  it("reads .msbrc.json and lets flags win", () => {
    const dir = scratchDir("rc-");
    cpSync(join(fixtures, "unsupported-java"), dir, { recursive: true });
    writeFileSync(join(dir, ".msbrc.json"), JSON.stringify({ strict: true, format: "json" }));
    const r = msb(["check", "."], dir);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).summary.unsupported).toBe(1);
    expect(msb(["check", "--format", "text", "."], dir).stdout).toMatch(/unsupported: detected a Java image/);
    writeFileSync(join(dir, ".msbrc.json"), JSON.stringify({ strict: "yes" }));
    const bad = msb(["check", "."], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/\.msbrc\.json: invalid value for "strict"/);
  });

  it("reads the msb key of package.json", () => {
    const dir = scratchDir("pkg-");
    cpSync(join(fixtures, "node-build"), dir, { recursive: true });
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    writeFileSync(join(dir, "package.json"), JSON.stringify({ ...pkg, msb: { ignore: ["Dockerfile"] } }));
    const r = msb(["check", "."], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("convert:");
  });
});
