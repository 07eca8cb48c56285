// The GitHub Action run the way the runner runs it: `node action/main.mjs` in the workspace, inputs
// as INPUT_<NAME> variables (upper-cased, hyphens kept), outputs appended to $GITHUB_OUTPUT.
import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const fixtures = join(root, "fixtures");
const scratch = mkdtempSync(join(tmpdir(), "msb-action-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function workspace(): string {
  const dir = mkdtempSync(join(scratch, "workspace-"));
  for (const [name, files] of [["web", ["Dockerfile", "package.json"]], ["done", ["Dockerfile"]], ["legacy", ["Dockerfile"]]] as const) {
    mkdirSync(join(dir, name));
    const source = { web: "node-build", done: "already-multistage", legacy: "unsupported-java" }[name];
    for (const file of files) copyFileSync(join(fixtures, source, file), join(dir, name, file));
  }
  return dir;
}

interface ActionRun {
  code: number;
  stdout: string;
  outputs: Record<string, string>;
}

async function runAction(dir: string, inputs: Record<string, string>, entry = join(root, "action", "main.mjs"), env: Record<string, string> = {}): Promise<ActionRun> {
  const outputFile = join(dir, "..", `${dir.split("/").pop()}.output`);
  writeFileSync(outputFile, "");
  const inputEnv = Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]));
  const { INIT_CWD: _a, ...inherited } = process.env;
  const result = await promisify(execFile)(process.execPath, [entry], { cwd: dir, env: { ...inherited, ...inputEnv, ...env, GITHUB_OUTPUT: outputFile, GITHUB_WORKSPACE: dir } }).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );
  const outputs = Object.fromEntries(readFileSync(outputFile, "utf8").split("\n").filter(Boolean).map((line) => line.split("=", 2) as [string, string]));
  return { ...result, outputs };
}

describe("the GitHub Action (action.yml → action/main.mjs)", () => {
  it("declares a node20 entry point and the documented inputs and outputs", () => {
    const yml = readFileSync(join(root, "action.yml"), "utf8");
    expect(yml).toMatch(/runs:\n {2}using: node20\n {2}main: action\/main\.mjs\n/);
    for (const name of ["paths", "format", "sarif-file", "strict", "config"]) expect(yml).toContain(`\n  ${name}:\n    description:`);
    for (const name of ["files", "would-change", "errors"]) expect(yml).toContain(`\n  ${name}:\n    description:`);
  });

  it("annotates the convertible Dockerfile, sets the counts and fails the step", async () => {
    const dir = workspace();
    const run = await runAction(dir, { paths: ".", format: "github", strict: "false", "sarif-file": "msb.sarif" });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^::warning file=web\/Dockerfile,line=1,title=msb MSB001::single-stage node Dockerfile .*Fix: msb convert --write web\/Dockerfile$/m);
    expect(run.stdout).toMatch(/^::notice file=legacy\/Dockerfile,line=\d+,title=msb MSB002::/m);
    expect(run.stdout).not.toContain("done/Dockerfile");
    expect(run.outputs).toEqual({ files: "3", "would-change": "1", "multi-stage": "1", unsupported: "1", errors: "0" });
    expect(existsSync(join(dir, "msb.sarif"))).toBe(false);
  });

  it("writes a SARIF file for code scanning under the sarif-file name", async () => {
    const dir = workspace();
    const ok = await runAction(dir, { paths: "web\ndone", format: "sarif", "sarif-file": "reports/msb.sarif" });
    expect(ok.code).toBe(1);
    const log = JSON.parse(readFileSync(join(dir, "reports", "msb.sarif"), "utf8")) as { version: string; runs: { results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] };
    expect(log.version).toBe("2.1.0");
    expect(log.runs[0]!.results.map((r) => [r.ruleId, r.level, r.locations[0]!.physicalLocation.artifactLocation.uri, r.locations[0]!.physicalLocation.region.startLine])).toEqual([["MSB001", "warning", "web/Dockerfile", 1]]);
    expect(ok.stdout).not.toContain("::warning");
    expect(ok.outputs).toEqual({ files: "2", "would-change": "1", "multi-stage": "1", unsupported: "0", errors: "0", "sarif-file": "reports/msb.sarif" });
  });

  it("passes with nothing to convert, and strict fails on an unsupported stack", async () => {
    const dir = workspace();
    expect((await runAction(dir, { paths: "done legacy" })).code).toBe(0);
    const strict = await runAction(dir, { paths: "done legacy", strict: "true" });
    expect(strict.code).toBe(1);
    expect(strict.outputs["unsupported"]).toBe("1");
  });

  it("reads the config input (its ignore list) and reports errors as annotations with exit 2", async () => {
    const dir = workspace();
    writeFileSync(join(dir, "msb.json"), JSON.stringify({ ignore: ["web/**"] }));
    const configured = await runAction(dir, { config: "msb.json" });
    expect(configured.code).toBe(0);
    expect(configured.outputs["files"]).toBe("2");
    const missing = await runAction(dir, { paths: "nowhere" });
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain("::error::msb: nowhere: no such file or Dockerfile");
    expect(missing.outputs["errors"]).toBe("1");
    const badFormat = await runAction(dir, { format: "xml" });
    expect(badFormat.code).toBe(2);
    expect(badFormat.stdout).toBe('::error::msb: input format must be github or sarif, not "xml"\n');
    const badStrict = await runAction(dir, { strict: "yes" });
    expect(badStrict.code).toBe(2);
  });

  it("fetches its own package version from the registry when the checkout is not built", async () => {
    // the action as `uses: owner/repo@tag` checks it out: action.yml, action/, package.json, no dist/
    const checkout = mkdtempSync(join(scratch, "checkout-"));
    cpSync(join(root, "action"), join(checkout, "action"), { recursive: true });
    copyFileSync(join(root, "package.json"), join(checkout, "package.json"));
    const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { name: string; version: string };
    const packed = execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", scratch], { cwd: root, encoding: "utf8" }).trim().split("\n").pop()!;
    const tarball = readFileSync(join(scratch, packed));
    const requests: string[] = [];
    const registry = createServer((request, response) => {
      requests.push(request.url ?? "");
      const base = `http://127.0.0.1:${(registry.address() as AddressInfo).port}`;
      if (request.url === `/${manifest.name}/${manifest.version}`) {
        const integrity = `sha512-${createHash("sha512").update(tarball).digest("base64")}`;
        response.end(JSON.stringify({ name: manifest.name, version: manifest.version, dist: { tarball: `${base}/${manifest.name}/-/${packed}`, integrity } }));
      } else if (request.url === `/${manifest.name}/-/${packed}`) {
        response.end(tarball);
      } else {
        response.statusCode = 404;
        response.end();
      }
    });
    await new Promise<void>((resolve) => registry.listen(0, "127.0.0.1", resolve));
    try {
      const toolCache = join(scratch, "tool-cache");
      const env = { npm_config_registry: `http://127.0.0.1:${(registry.address() as AddressInfo).port}/`, RUNNER_TOOL_CACHE: toolCache };
      const run = await runAction(workspace(), {}, join(checkout, "action", "main.mjs"), env);
      expect(run.stdout).toMatch(/^::warning file=web\/Dockerfile,line=1/m);
      expect(run.code).toBe(1);
      expect(run.outputs["would-change"]).toBe("1");
      expect(existsSync(join(toolCache, manifest.name, manifest.version, "package", "dist", "bundle", "action.js"))).toBe(true);
      const again = await runAction(workspace(), { paths: "done" }, join(checkout, "action", "main.mjs"), env);
      expect(again.code).toBe(0);
      expect(requests).toHaveLength(2); // the second run used the runner's tool cache
    } finally {
      registry.close();
    }
  });
});
