// The published package as a user gets it: `npm pack`, install the tarball into an empty project,
// run the installed `msb`. Proves that `files`, `bin`, `exports` and the CLI bundle are complete.
// Dependencies come from the npm cache that `npm ci` filled (--prefer-offline), else the registry.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { name: string; version: string };
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
let project = "";
let installed = "";

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), "msb-package-"));
  // npm test has just built dist/; --ignore-scripts keeps pack from building it a second time
  const packed = execFileSync(npm, ["pack", "--ignore-scripts", "--silent", "--pack-destination", project], { cwd: root, encoding: "utf8" }).trim().split("\n").pop()!;
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "msb-package-probe", private: true }));
  execFileSync(npm, ["install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts", "--loglevel=error", join(project, packed)], { cwd: project, stdio: ["ignore", "ignore", "pipe"] });
  installed = join(project, "node_modules", ".bin", "msb");
}, 180_000);

afterAll(() => rmSync(project, { recursive: true, force: true }));

function installedMsb(args: string[], cwd: string, input?: string) {
  const r = spawnSync(installed, args, { cwd, input, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function workspaceWithFixture(name: string): string {
  const dir = mkdtempSync(join(project, "work-"));
  mkdirSync(join(dir, "app"));
  cpSync(join(root, "fixtures", name, "Dockerfile"), join(dir, "app", "Dockerfile"));
  cpSync(join(root, "fixtures", name, "package.json"), join(dir, "app", "package.json"));
  return dir;
}

describe(`the packed ${manifest.name} tarball installed into an empty project`, () => {
  it("ships only the bin, the built code and the manifest", () => {
    const listing = execFileSync("tar", ["-tzf", join(project, `${manifest.name}-${manifest.version}.tgz`)], { encoding: "utf8" }).split("\n").filter(Boolean);
    expect(listing).toContain("package/bin/msb.cjs");
    expect(listing).toContain("package/dist/index.js");
    expect(listing.some((f) => f.startsWith("package/dist/bundle/"))).toBe(true);
    expect(listing.filter((f) => /^package\/(src|test|fixtures|bench|e2e)\//.test(f))).toEqual([]);
  });

  it("installs the msb command and prints the package version", () => {
    const r = installedMsb(["--version"], project);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(manifest.version);
  });

  it("runs through npx by the package name (the documented CI line)", () => {
    const r = spawnSync("npx", ["--offline", manifest.name, "--version"], { cwd: project, encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(manifest.version);
  });

  it("converts a shipped fixture exactly as the source tree does", () => {
    const dir = workspaceWithFixture("node-build");
    const r = installedMsb(["convert", "app/Dockerfile"], dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(root, "fixtures", "node-build", "expected.Dockerfile"), "utf8"));
    const piped = installedMsb(["convert", "-"], join(dir, "app"), readFileSync(join(dir, "app", "Dockerfile"), "utf8"));
    expect(piped.stdout).toBe(r.stdout);
  });

  it("check reports in every format with exit 1 for a convertible file", () => {
    const dir = workspaceWithFixture("node-build");
    const text = installedMsb(["check", "."], dir);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain("app/Dockerfile:1: convert:");
    expect(text.stdout).toContain("1 Dockerfile: 1 to convert, 0 multi-stage, 0 unsupported, 0 unusable");

    const json = installedMsb(["check", ".", "--format", "json"], dir);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { tool: { version: string }; summary: Record<string, number>; files: { file: string; status: string }[] };
    expect(report.tool.version).toBe(manifest.version);
    expect(report.summary.convertible).toBe(1);
    expect(report.files.map((f) => [f.file, f.status])).toEqual([["app/Dockerfile", "convertible"]]);

    const sarif = installedMsb(["check", ".", "--format", "sarif"], dir);
    expect(sarif.code).toBe(1);
    const log = JSON.parse(sarif.stdout) as { version: string; runs: { tool: { driver: { informationUri: string } }; results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    expect(log.version).toBe("2.1.0");
    expect(log.runs[0]!.tool.driver.informationUri).toContain(manifest.name);
    expect(log.runs[0]!.results.map((r) => [r.ruleId, r.locations[0]!.physicalLocation.artifactLocation.uri])).toEqual([["MSB001", "app/Dockerfile"]]);

    const github = installedMsb(["check", ".", "--format", "github"], dir);
    expect(github.code).toBe(1);
    expect(github.stdout).toMatch(/^::warning file=app\/Dockerfile,line=1,title=msb MSB001::single-stage node Dockerfile/);
  });

  it("exports the library API to an ESM importer", () => {
    const script = `import { convert, memoryContext, version } from ${JSON.stringify(manifest.name)};
const r = convert("FROM golang:1.22\\nWORKDIR /src\\nCOPY . .\\nRUN go build -o /app .\\nCMD [\\"/app\\"]\\n", { context: memoryContext({ "go.mod": "module x\\n\\ngo 1.22\\n" }) });
console.log(version, r.stack, r.stages.length > 1);`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: project, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe(`${manifest.version} go true`);
  });
});
