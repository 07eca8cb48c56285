import { describe, expect, it } from "vitest";
import { memoryContext } from "../src/analysis/context.js";
import { convert } from "../src/convert.js";
import { MsbError } from "../src/errors.js";
import { bundledNpmMajor, pnpmRootSpecifiers, strictInstallVerdict } from "../src/transforms/node/lockfile.js";
import { binsOf, packageNameOf } from "../src/transforms/node/bins.js";

const manifest = { dependencies: { express: "^4.18.0" }, devDependencies: { typescript: "~5.4.0" } };
const npmLock = (version: number, packages: Record<string, unknown>) =>
  JSON.stringify({ name: "x", lockfileVersion: version, packages: { "": { dependencies: { express: "^4.18.0" }, devDependencies: { typescript: "~5.4.0" } }, ...packages } });
const v1Lock = (deps: Record<string, unknown>) => JSON.stringify({ name: "x", lockfileVersion: 1, dependencies: deps });

describe("strict installs (npm ci) only when they will succeed", () => {
  const inSync = { "node_modules/express": { version: "4.19.2" }, "node_modules/typescript": { version: "5.4.5", dev: true } };

  it("accepts a v3 lockfile in sync with package.json on a modern npm", () => {
    const context = memoryContext({ "package-lock.json": npmLock(3, inSync) });
    expect(strictInstallVerdict(context, "npm", "package-lock.json", manifest, { nodeMajor: 20 })).toEqual({ ok: true });
  });

  it("refuses a v3 lockfile for npm 6 (node 14 images)", () => {
    const context = memoryContext({ "package-lock.json": npmLock(3, inSync) });
    const verdict = strictInstallVerdict(context, "npm", "package-lock.json", manifest, { nodeMajor: 14 });
    expect(verdict).toMatchObject({ ok: false, why: expect.stringMatching(/lockfileVersion 3.*npm 6/) });
  });

  it("accepts a v3 lockfile on node 14 when the Dockerfile upgrades npm first", () => {
    const context = memoryContext({ "package-lock.json": npmLock(3, inSync) });
    expect(strictInstallVerdict(context, "npm", "package-lock.json", manifest, { nodeMajor: 14, managerMajor: 9 })).toEqual({ ok: true });
  });

  it("refuses a lockfile that misses a dependency added later", () => {
    const context = memoryContext({ "package-lock.json": npmLock(3, { "node_modules/express": { version: "4.19.2" } }) });
    expect(strictInstallVerdict(context, "npm", "package-lock.json", manifest, { nodeMajor: 20 })).toMatchObject({ ok: false, why: expect.stringContaining("typescript") });
  });

  it("refuses a lockfile whose pinned version no longer satisfies package.json", () => {
    const context = memoryContext({ "package-lock.json": npmLock(3, { ...inSync, "node_modules/express": { version: "3.21.2" } }) });
    expect(strictInstallVerdict(context, "npm", "package-lock.json", manifest, { nodeMajor: 20 })).toMatchObject({ ok: false, why: expect.stringContaining("3.21.2") });
  });

  it("reads the v1 dependencies section for npm 6", () => {
    const good = memoryContext({ "package-lock.json": v1Lock({ express: { version: "4.18.2" }, typescript: { version: "5.4.2", dev: true } }) });
    const bad = memoryContext({ "package-lock.json": v1Lock({ express: { version: "4.18.2" } }) });
    expect(strictInstallVerdict(good, "npm", "package-lock.json", manifest, { nodeMajor: 12 })).toEqual({ ok: true });
    expect(strictInstallVerdict(bad, "npm", "package-lock.json", manifest, { nodeMajor: 12 }).ok).toBe(false);
  });

  it("does not guess about specs it cannot check (git URLs, tags)", () => {
    const context = memoryContext({ "package-lock.json": npmLock(3, { ...inSync, "node_modules/lib": { version: "1.0.0" } }) });
    const withGit = { dependencies: { ...manifest.dependencies, lib: "github:me/lib" }, devDependencies: manifest.devDependencies };
    expect(strictInstallVerdict(context, "npm", "package-lock.json", withGit, { nodeMajor: 20 }).ok).toBe(false);
  });

  it("maps node majors to the npm they ship", () => {
    expect([10, 14, 16, 18, 20].map(bundledNpmMajor)).toEqual([6, 6, 8, 10, 10]);
    expect(bundledNpmMajor(NaN)).toBeUndefined();
  });

  it("checks yarn.lock keys against package.json specs", () => {
    const lock = '# yarn lockfile v1\n\n"express@^4.18.0", express@^4.17.1:\n  version "4.19.2"\n\ntypescript@~5.4.0:\n  version "5.4.5"\n';
    expect(strictInstallVerdict(memoryContext({ "yarn.lock": lock }), "yarn", "yarn.lock", manifest, { nodeMajor: 20 })).toEqual({ ok: true });
    const stale = lock.replace("typescript@~5.4.0", "typescript@~5.3.0");
    expect(strictInstallVerdict(memoryContext({ "yarn.lock": stale }), "yarn", "yarn.lock", manifest, { nodeMajor: 20 }).ok).toBe(false);
  });

  const pnpm9 = "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      express:\n        specifier: ^4.18.0\n        version: 4.19.2\n    devDependencies:\n      typescript:\n        specifier: ~5.4.0\n        version: 5.4.5\n\npackages:\n\n  express@4.19.2:\n    resolution: {integrity: x}\n";
  const pnpm6 = "lockfileVersion: '6.0'\n\ndependencies:\n  express:\n    specifier: ^4.18.0\n    version: 4.19.2\n\ndevDependencies:\n  typescript:\n    specifier: ~5.4.0\n    version: 5.4.5\n\npackages:\n\n  /express@4.19.2:\n    dev: false\n";
  const pnpm5 = "lockfileVersion: 5.4\n\nspecifiers:\n  express: ^4.18.0\n  typescript: ~5.4.0\n\ndependencies:\n  express: 4.19.2\n";

  it("reads the root specifiers of pnpm lockfiles 5, 6 and 9", () => {
    const want = { express: "^4.18.0", typescript: "~5.4.0" };
    expect(pnpmRootSpecifiers(pnpm9, 9)).toEqual(want);
    expect(pnpmRootSpecifiers(pnpm6, 6)).toEqual(want);
    expect(pnpmRootSpecifiers(pnpm5, 5)).toEqual(want);
  });

  it("accepts a pnpm lockfile only for a pnpm major that installs it unchanged", () => {
    const verdict = (text: string, major?: number) =>
      strictInstallVerdict(memoryContext({ "pnpm-lock.yaml": text }), "pnpm", "pnpm-lock.yaml", manifest, { nodeMajor: 20, ...(major ? { managerMajor: major } : {}) }).ok;
    expect(verdict(pnpm9, 9)).toBe(true);
    expect(verdict(pnpm9, 8)).toBe(false);
    expect(verdict(pnpm6, 8)).toBe(true);
    expect(verdict(pnpm5, 7)).toBe(true);
    expect(verdict(pnpm6, 7)).toBe(false);
    expect(verdict(pnpm9)).toBe(false);
  });
});

describe("global tools are matched by the commands they install", () => {
  it("knows common packages whose command differs from the name", () => {
    expect(binsOf("@angular/cli@17")).toEqual(["ng"]);
    expect(binsOf("pm2@latest")).toContain("pm2-runtime");
    expect(binsOf("@scope/tool")).toEqual(["tool"]);
    expect(packageNameOf("@nestjs/cli@10.1.0")).toBe("@nestjs/cli");
  });
});

describe("node-sass 4 on a Node.js it has no bindings for", () => {
  const outcome = (image: string, deps: Record<string, string>, install = "npm install", lock?: string) => {
    const files: Record<string, string> = { "package.json": JSON.stringify({ name: "s", version: "1.0.0", scripts: { build: "node-sass a.scss a.css" }, ...deps }), "a.scss": "", "server.js": "" };
    if (lock) files["package-lock.json"] = lock;
    try {
      convert(`FROM ${image}\nWORKDIR /app\nCOPY . .\nRUN ${install}\nRUN npm run build\nCMD ["node", "server.js"]\n`, { context: memoryContext(files) });
      return "converted";
    } catch (error) {
      return error instanceof MsbError ? `${error.exitCode}: ${error.message}` : "threw";
    }
  };

  it("rejects an unlocked ^4 or a locked 4.x on Node.js 16 and newer", () => {
    expect(outcome("node:16", { dependencies: { "node-sass": "^4.12.0" } })).toMatch(/^2: line 4: the install builds node-sass 4\.x, whose newest bindings are for Node\.js 14/);
    const lock = JSON.stringify({ lockfileVersion: 2, packages: { "node_modules/node-sass": { version: "4.12.0" } } });
    expect(outcome("node:20-alpine", { devDependencies: { "node-sass": "^4.12.0" } }, "npm ci", lock)).toMatch(/node-sass 4\.12\.0, whose newest bindings are for Node\.js 12/);
  });

  it("accepts node-sass 4 on Node.js 14, node-sass 7 on 18, and a dev dependency a production install skips", () => {
    expect(outcome("node:14", { dependencies: { "node-sass": "^4.14.1" } })).toBe("converted");
    expect(outcome("node:18", { dependencies: { "node-sass": "^7.0.3" } })).toBe("converted");
    expect(outcome("node:18", { devDependencies: { "node-sass": "^4.14.1" } }, "npm install --omit=dev")).toBe("converted");
  });
});

describe("an .npmrc that relaxes peer dependencies, and when the install sees it", () => {
  const files = {
    "package.json": JSON.stringify({ name: "x", dependencies: { bootstrap: "^5.3.3" } }),
    "package-lock.json": JSON.stringify({ name: "x", lockfileVersion: 3, packages: { "": { dependencies: { bootstrap: "^5.3.3" } }, "node_modules/bootstrap": { version: "5.3.3", peerDependencies: { "@popperjs/core": "^2.11.8" } } } }),
    ".npmrc": "legacy-peer-deps=true\n",
    "server.js": "",
  };
  const installOf = (copy: string) => /RUN (npm \w+)/.exec(convert(`FROM node:20-alpine\nWORKDIR /app\n${copy}\nRUN npm install\nCOPY . .\nCMD ["node", "server.js"]\n`, { context: memoryContext(files) }).dockerfile)?.[1];

  it("lets npm ci install a lockfile without the peers when the .npmrc is copied before the install", () => {
    expect(installOf("COPY package.json package-lock.json .npmrc ./")).toBe("npm ci");
  });

  it("keeps npm install when the .npmrc only arrives with the sources, after the install", () => {
    expect(installOf("COPY package*.json ./")).toBe("npm install");
  });
});
