import { describe, expect, it } from "vitest";
import { convert, memoryContext } from "../src/index.js";
import { exitOutcome } from "./support/outcome.js";

describe("webpack that needs md4 from Node's OpenSSL", () => {
  const lock = (version: string) => JSON.stringify({ lockfileVersion: 2, packages: { "": { name: "web" }, "node_modules/webpack": { version } } });
  const files = (version: string, build = "webpack --mode production") =>
    memoryContext({ "package.json": JSON.stringify({ name: "web", scripts: { build }, devDependencies: { webpack: `^${version}` } }), "package-lock.json": lock(version), "src/index.js": "" });
  const dockerfile = (image: string, extra = "") => `FROM ${image}\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\n${extra}RUN npm run build\nCMD ["npx", "http-server", "dist"]\n`;
  it("rejects the build on Node.js 17 or newer", () => {
    expect(exitOutcome(dockerfile("node:18-alpine"), { context: files("4.46.0"), explicitContext: true })).toBe("2");
    expect(exitOutcome(dockerfile("node:20"), { context: files("5.60.0"), explicitContext: true })).toBe("2");
  });
  it("leaves alone webpack with its own md4, Node.js 16, and the legacy provider", () => {
    expect(exitOutcome(dockerfile("node:18-alpine"), { context: files("4.47.0"), explicitContext: true })).not.toBe("2");
    expect(exitOutcome(dockerfile("node:20"), { context: files("5.61.0"), explicitContext: true })).not.toBe("2");
    expect(exitOutcome(dockerfile("node:16-alpine"), { context: files("4.46.0"), explicitContext: true })).not.toBe("2");
    expect(exitOutcome(dockerfile("node:18-alpine", "ENV NODE_OPTIONS=--openssl-legacy-provider\n"), { context: files("4.46.0"), explicitContext: true })).not.toBe("2");
    expect(exitOutcome(dockerfile("node:18-alpine"), { context: files("4.46.0", "NODE_OPTIONS=--openssl-legacy-provider webpack"), explicitContext: true })).not.toBe("2");
  });
});

describe("require() of a package that became an ES module only", () => {
  const files = (range: string, type?: string) =>
    memoryContext({ "package.json": JSON.stringify({ name: "api", ...(type ? { type } : {}), dependencies: { "node-fetch": range } }), "index.js": 'const fetch = require("node-fetch");\nfetch("https://example.org");\n' });
  const dockerfile = (image: string) => `FROM ${image}\nWORKDIR /app\nCOPY package.json ./\nRUN npm install\nCOPY . .\nCMD ["node", "index.js"]\n`;
  it("rejects it on a Node.js that cannot require ES modules", () => {
    expect(exitOutcome(dockerfile("node:16-alpine"), { context: files("^3.3.2"), explicitContext: true })).toBe("2");
    expect(exitOutcome(dockerfile("node:20.11-alpine"), { context: files("^3.1.0"), explicitContext: true })).toBe("2");
  });
  it("leaves alone the CommonJS major, a Node.js that can, and a release the tag does not name", () => {
    expect(exitOutcome(dockerfile("node:16-alpine"), { context: files("^2.7.0"), explicitContext: true })).toBe("converted");
    expect(exitOutcome(dockerfile("node:22.12-alpine"), { context: files("^3.3.2"), explicitContext: true })).toBe("converted");
    expect(exitOutcome(dockerfile("node:20-alpine"), { context: files("^3.3.2"), explicitContext: true })).toBe("converted");
  });
});

describe("next start without a next build", () => {
  const files = (scripts: Record<string, string>, extra: Record<string, string> = {}) => memoryContext({ "package.json": JSON.stringify({ name: "web", scripts, dependencies: { next: "14.2.5" } }), "pages/index.js": "", ...extra });
  const dockerfile = (steps: string) => `FROM node:18-alpine\nWORKDIR /app\nCOPY . .\nRUN npm install\n${steps}CMD ["npm", "start"]\n`;
  it("is rejected when nothing builds .next", () => expect(exitOutcome(dockerfile(""), { context: files({ start: "next start", build: "next build" }), explicitContext: true })).toBe("2"));
  it("converts when a step builds it, directly or through a script or an install hook", () => {
    expect(exitOutcome(dockerfile("RUN npm run build\n"), { context: files({ start: "next start", build: "next build" }), explicitContext: true })).toBe("converted");
    expect(exitOutcome(dockerfile("RUN npx next build\n"), { context: files({ start: "next start" }), explicitContext: true })).toBe("converted");
    expect(exitOutcome(dockerfile(""), { context: files({ start: "next start", postinstall: "next build" }), explicitContext: true })).toBe("converted");
  });
});

describe("webpack's md4 made safe by the project", () => {
  const lock = JSON.stringify({ lockfileVersion: 2, packages: { "": { name: "web" }, "node_modules/webpack": { version: "4.46.0" }, "node_modules/nuxt": { version: "2.17.3" } } });
  const dockerfile = 'FROM node:18-alpine\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\nCMD ["npx", "http-server", "dist"]\n';
  const files = (extra: Record<string, string>, lockfile = lock.replace(/,"node_modules\/nuxt":\{[^}]*\}/, "")) =>
    memoryContext({ "package.json": JSON.stringify({ name: "web", scripts: { build: "webpack" }, devDependencies: { webpack: "^4.46.0" } }), "package-lock.json": lockfile, "src/index.js": "", ...extra });
  it("is left alone when a config sets the hash or patches createHash, or Nuxt 2.16+ does", () => {
    expect(exitOutcome(dockerfile, { context: files({ "webpack.config.js": "module.exports = { output: { hashFunction: 'sha256' } };" }), explicitContext: true })).not.toBe("2");
    expect(exitOutcome(dockerfile, { context: files({ "vue.config.js": "const crypto = require('crypto'); const h = crypto.createHash; crypto.createHash = (a) => h(a === 'md4' ? 'sha256' : a);" }), explicitContext: true })).not.toBe("2");
    expect(exitOutcome(dockerfile.replace('"webpack"', '"nuxt build"'), { context: files({}, lock), explicitContext: true })).not.toBe("2");
  });
  it("still rejects a config that does not touch the hash", () => {
    expect(exitOutcome(dockerfile, { context: files({ "webpack.config.js": "module.exports = { mode: 'production' };" }), explicitContext: true })).toBe("2");
  });
});

describe("files a compiled app reads at start", () => {
  const dockerfile = "FROM node:18\nWORKDIR /usr/app\nCOPY package.json yarn.lock ./\nRUN yarn install\nCOPY . .\nRUN yarn build\nCMD [\"node\", \"dist/index.js\"]\n";
  const copies = (extra: Record<string, string>) =>
    convert(dockerfile, {
      context: memoryContext({ "package.json": JSON.stringify({ name: "bot", scripts: { build: "tsc" }, dependencies: { "dotenv-safe": "^8.2.0" }, devDependencies: { typescript: "^5.4.0" } }), "yarn.lock": "", "tsconfig.json": JSON.stringify({ compilerOptions: { outDir: "dist" } }), "src/index.ts": "", ".env.example": "TOKEN=\n", ...extra }),
      explicitContext: true,
    }).dockerfile.split("\n").filter((line) => line.startsWith("COPY --from"));

  it("keep .env.example for dotenv-safe, which reads it at start", () => {
    expect(copies({}).some((line) => line.includes("/usr/app/.env.example"))).toBe(true);
  });

  it("never name what .dockerignore kept out of the build stage", () => {
    expect(copies({ ".dockerignore": ".env.example\nnode_modules\n" }).some((line) => line.includes(".env.example"))).toBe(false);
    expect(copies({ ".dockerignore": "config\n", "config/default.json": "{}" }).some((line) => line.includes("/usr/app/config"))).toBe(false);
    expect(copies({ "config/default.json": "{}" }).some((line) => line.includes("/usr/app/config"))).toBe(true);
    // a path the sources read, left out by .dockerignore, is not copied either
    const reads = { "src/index.ts": "readFileSync('./files/codes.txt')", "files/codes.txt": "A1" };
    expect(copies(reads).some((line) => line.includes("/usr/app/files"))).toBe(true);
    expect(copies({ ...reads, ".dockerignore": "files\n" }).some((line) => line.includes("/usr/app/files"))).toBe(false);
  });
});

describe("dependency installs with options that take a value", () => {
  it("are the project's install, not an install of the option's value", async () => {
    const { nodeInstall } = await import("../src/analysis/commands.js");
    expect(nodeInstall(["yarn", "install", "--production", "--network-timeout", "1000000"])?.packages).toEqual([]);
    expect(nodeInstall(["yarn", "--network-timeout", "600000"])?.verb).toBe("install");
    expect(nodeInstall(["npm", "install", "--omit", "dev"])?.packages).toEqual([]);
    expect(nodeInstall(["npm", "install", "--registry", "https://registry.npmjs.org/", "express"])?.packages).toEqual(["express"]);
    expect(nodeInstall(["pnpm", "--filter", "api", "install"])?.verb).toBe("install");
  });
});

describe("pnpm's -w", () => {
  it("is a switch (--workspace-root), so the word after it is a package; npm's -w names a workspace", async () => {
    const { nodeInstall } = await import("../src/analysis/commands.js");
    expect(nodeInstall(["pnpm", "add", "-w", "lodash"])?.packages).toEqual(["lodash"]);
    expect(nodeInstall(["npm", "install", "-w", "api"])?.packages).toEqual([]);
  });
});

describe("npm ci with no lockfile to install from", () => {
  const text = 'FROM node:20-alpine\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nCMD ["node", "server.js"]\n';
  const files = { "package.json": JSON.stringify({ name: "relay", dependencies: { express: "^4.21.2" } }), "server.js": "" };
  const outcome = (extra: Record<string, string>) => exitOutcome(text, { context: memoryContext({ ...files, ...extra }), explicitContext: true });

  it("is rejected when the context has none, or .dockerignore leaves it out", () => {
    expect(outcome({})).toBe("2");
    expect(outcome({ "package-lock.json": JSON.stringify({ lockfileVersion: 3, packages: {} }), ".dockerignore": "package-lock.json\n" })).toBe("2");
  });

  it("converts with a package-lock.json, or an npm-shrinkwrap.json copied before the install", () => {
    const lock = JSON.stringify({ lockfileVersion: 3, packages: {} });
    expect(outcome({ "package-lock.json": lock })).toBe("converted");
    const shrinkwrapped = text.replace("COPY package*.json ./", "COPY package.json npm-shrinkwrap.json ./");
    expect(exitOutcome(shrinkwrapped, { context: memoryContext({ ...files, "npm-shrinkwrap.json": lock }), explicitContext: true })).toBe("converted");
    // package*.json does not match npm-shrinkwrap.json: npm ci runs without it
    expect(outcome({ "npm-shrinkwrap.json": lock })).toBe("2");
  });
});

describe("a global tool whose newest release needs a newer Node.js", () => {
  const files = { "package.json": JSON.stringify({ name: "web", scripts: { build: "react-scripts build" }, dependencies: { react: "^16.13.1" } }), "package-lock.json": JSON.stringify({ lockfileVersion: 1, dependencies: {} }), "src/index.js": "" };
  const served = (tag: string, spec: string) => `FROM node:${tag}\nWORKDIR /app\nCOPY package*.json ./\nRUN npm install\nCOPY . .\nRUN npm run build\nRUN npm install -g ${spec}\nCMD serve -s build -p 3000\n`;
  const outcome = (text: string) => exitOutcome(text, { context: memoryContext(files), explicitContext: true });

  it("is rejected where the install or the start fails: yarn 1 on engines, serve 14 (ES modules) on Node.js 12", () => {
    expect(outcome(served("12.6.0", "serve"))).toBe("2");
    const nest = 'FROM node:18-alpine\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn global add @nestjs/cli\nRUN yarn --frozen-lockfile\nCOPY . .\nRUN yarn build\nCMD ["node", "dist/main"]\n';
    expect(exitOutcome(nest, { context: memoryContext({ "package.json": JSON.stringify({ name: "api", scripts: { build: "nest build" } }), "yarn.lock": "", "src/main.ts": "" }), explicitContext: true })).toBe("2");
  });

  it("converts a pinned release, a Node.js the newest supports, or npm's install of a tool that only declares engines", () => {
    expect(outcome(served("12.6.0", "serve@11"))).toBe("converted");
    expect(outcome(served("18", "serve"))).toBe("converted");
    const nestByNpm = 'FROM node:18-alpine\nWORKDIR /app\nCOPY package*.json ./\nRUN npm install -g @nestjs/cli && npm ci\nCOPY . .\nRUN nest build\nCMD ["node", "dist/main"]\n';
    expect(exitOutcome(nestByNpm, { context: memoryContext({ "package.json": JSON.stringify({ name: "api" }), "package-lock.json": JSON.stringify({ lockfileVersion: 3, packages: {} }), "src/main.ts": "" }), explicitContext: true })).toBe("converted");
  });
});

describe("relative imports whose letter case matches no file on Linux", () => {
  const image = 'FROM node:20-alpine\nWORKDIR /app\nCOPY package.json ./\nRUN npm install\nCOPY . .\nCMD ["node", "server.js"]\n';
  const outcome = (files: Record<string, string>) =>
    exitOutcome(image, { context: memoryContext({ "package.json": JSON.stringify({ name: "x", dependencies: { express: "^4.21.2" } }), ...files }), explicitContext: true });

  it("rejects a require or import that only a case-insensitive file system resolves", () => {
    expect(outcome({ "server.js": "require('./lib/Stats')\n", "lib/stats.js": "" })).toBe("2");
    expect(outcome({ "server.js": "import stats from './Lib/stats.js'\n", "lib/stats.js": "" })).toBe("2");
  });

  it("converts exact matches, TypeScript's ./x.js for x.ts, index files and specifiers no file answers", () => {
    expect(outcome({ "server.js": "require('./lib/stats')\nrequire('./lib')\n", "lib/stats.js": "", "lib/index.js": "" })).toBe("converted");
    expect(outcome({ "server.js": "", "src/app.ts": "import { a } from './util.js'\n", "src/util.ts": "" })).toBe("converted");
    expect(outcome({ "server.js": "require('./generated/client')\n" })).toBe("converted");
  });
});

describe("a static server serving a directory the build never writes", () => {
  const dockerfile = "FROM node:22\nWORKDIR /site\nRUN npm install -g serve\nCOPY . .\nRUN npm ci && npm run build\nCMD [\"serve\", \"-s\", \"build\"]\n";
  const files = (build: string) => ({
    "package.json": JSON.stringify({ name: "s", version: "1.0.0", scripts: { build }, devDependencies: { vite: "^5.4.0" } }),
    "package-lock.json": '{"lockfileVersion":3,"packages":{}}',
    "index.html": "<!doctype html>",
  });

  it("is rejected when Vite writes dist/ and serve serves build/", () => {
    expect(() => convert(dockerfile, { context: memoryContext(files("vite build")) })).toThrowError(/serves nothing: serve serves build\/, which the build never writes \(Vite's default output directory: dist\/\)/);
  });

  it("converts when the build script moves the output to the served directory", () => {
    expect(convert(dockerfile, { context: memoryContext(files("vite build && mv dist build")) }).dockerfile).toContain("COPY --from=build /site/build /usr/share/nginx/html");
  });
});
