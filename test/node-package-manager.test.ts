import { describe, expect, it } from "vitest";
import { convert, memoryContext } from "../src/index.js";
import { MsbError } from "../src/errors.js";
import { exitOutcome } from "./support/outcome.js";

const context = memoryContext({ "package.json": JSON.stringify({ scripts: { start: "node server.js" } }), "pnpm-lock.yaml": "lockfileVersion: '6.0'\n", "server.js": "" });
const withSteps = (from: string, ...steps: string[]) => [`FROM ${from}`, "WORKDIR /app", "COPY . .", ...steps, "RUN pnpm install --frozen-lockfile", 'CMD ["node", "server.js"]', ""].join("\n");

describe("pnpm on an official node image", () => {
  it("is rejected (exit 2) when no step provides it: the image has npm and yarn 1 only", () => {
    const attempt = () => convert(withSteps("node:18-alpine"), { context });
    expect(attempt).toThrow(MsbError);
    expect(attempt).toThrow('line 4: runs pnpm, which node:18-alpine does not have (official node images ship npm and yarn 1; corepack is present but not enabled): add "RUN corepack enable" or "RUN npm install -g pnpm" before it');
  });

  it.each([
    ["RUN corepack enable"],
    ["RUN corepack enable pnpm && corepack prepare pnpm@8.15.0 --activate"],
    ["RUN npm install -g pnpm@8"],
    ["RUN npm i --global pnpm"],
    ["RUN npm -g install pnpm"],
    ["RUN npm i pnpm@9 -g"],
    ["RUN yarn global add pnpm"],
    ["RUN wget -qO- https://get.pnpm.io/install.sh | ENV=\"$HOME/.shrc\" SHELL=\"$(which sh)\" sh -"],
    ["COPY --from=ghcr.io/pnpm/pnpm:8 /pnpm /usr/local/bin/pnpm"],
  ])("converts once a step provides it: %s", (step) => {
    expect(convert(withSteps("node:20-slim", step), { context }).status).toBe("converted");
  });

  it("trusts other base images to have it", () => {
    expect(convert(withSteps("example.org/node-pnpm:20"), { context }).status).toBe("converted");
  });
});

describe("yarn on Node.js 26 images, which no longer bundle it", () => {
  const text = (image: string, install: string) => `FROM ${image}\nWORKDIR /app\nCOPY package.json ./\n${install}RUN yarn install\nCOPY . .\nCMD ["node", "index.js"]\n`;
  const context = memoryContext({ "package.json": '{ "name": "x", "version": "1.0.0" }', "index.js": "console.log(1)\n" });
  it.each(["node:26", "node:alpine", "node", "node:lts-slim"])("rejects yarn on %s", (image) => {
    expect(() => convert(text(image, ""), { context })).toThrow(/runs yarn, which .* does not have: node images stopped bundling Yarn 1 with Node\.js 26/);
  });
  it.each([["node:24-alpine", ""], ["node:hydrogen", ""], ["node:lts-hydrogen", ""], ["node:26", "RUN npm install -g yarn\n"], ["node", "RUN npm i yarn -g && yarn --version\n"], ["node:26", "RUN apk add --no-cache yarn\n"]])("converts on %s %j", (image, install) => {
    expect(convert(text(image, install), { context }).status).toBe("converted");
  });
});

describe("an LTS line named as lts-CODENAME (node:lts-hydrogen)", () => {
  it("is that line's Node.js (18), with the codename's own variant as the runtime (node:hydrogen-alpine)", () => {
    const context = memoryContext({ "package.json": '{ "name": "x", "version": "1.0.0" }', "index.js": "console.log(1)\n" });
    const result = convert('FROM node:lts-hydrogen\nWORKDIR /app\nCOPY package.json ./\nRUN yarn\nCOPY . .\nCMD ["node", "index.js"]\n', { context });
    expect(result.dockerfile).toMatch(/^FROM node:hydrogen-(alpine|slim) AS runtime$/m);
  });
});

describe("pnpm through corepack with no version on Node.js 18.20+ and 21", () => {
  const text = (image: string) => `FROM ${image}\nWORKDIR /app\nRUN corepack enable\nCOPY package.json pnpm-lock.yaml ./\nRUN pnpm install --frozen-lockfile\nCOPY . .\nCMD ["node", "index.js"]\n`;
  const context = (packageManager?: string) => memoryContext({ "package.json": JSON.stringify({ name: "x", version: "1.0.0", ...(packageManager ? { packageManager } : {}) }), "pnpm-lock.yaml": "lockfileVersion: '6.0'\n", "index.js": "" });
  it.each(["node:18-slim", "node:21-alpine", "node:18.20.4"])("is rejected on %s: its corepack starts pnpm 11+ through a bin it no longer has", (image) => {
    expect(() => convert(text(image), { context: context(), explicitContext: true })).toThrow(/MODULE_NOT_FOUND/);
  });
  it.each([["node:20-slim", undefined], ["node:18-slim", "pnpm@8.15.9"], ["node:18.12.1", undefined]])("converts on %s with packageManager %s", (image, packageManager) => {
    expect(convert(text(image), { context: context(packageManager), explicitContext: true }).status).toBe("converted");
  });
});

describe("pnpm through corepack with no version where corepack knows only npm's old signing key", () => {
  const text = (image: string, cmd = '["node", "index.js"]') => `FROM ${image}\nWORKDIR /app\nRUN corepack enable\nCOPY package.json pnpm-lock.yaml ./\nRUN pnpm install --frozen-lockfile\nCOPY . .\nCMD ${cmd}\n`;
  const context = (packageManager?: string, scripts: Record<string, string> = {}) => memoryContext({ "package.json": JSON.stringify({ name: "x", version: "1.0.0", scripts, ...(packageManager ? { packageManager } : {}) }), "pnpm-lock.yaml": "lockfileVersion: '6.0'\n", "index.js": "" });
  it.each(["node:22.13-alpine", "node:20.18.3-slim", "node:23.6.1", "node:lts-alpine3.19", "node:20-alpine3.19"])("is rejected on %s", (image) => {
    expect(() => convert(text(image), { context: context(), explicitContext: true })).toThrow(/Cannot find matching keyid/);
  });
  it.each([["node:22.14-alpine", undefined], ["node:20.19.0", undefined], ["node:22.12", "pnpm@9.12.0"]])("converts on %s with packageManager %s", (image, packageManager) => {
    expect(convert(text(image), { context: context(packageManager), explicitContext: true }).status).toBe("converted");
  });
  it("is rejected before a development server is refused: an input that cannot build is rejected", () => {
    expect(exitOutcome(text("node:22.12", '["pnpm", "dev"]'), { context: context(undefined, { dev: "nodemon index.js" }), explicitContext: true })).toBe("2");
    expect(exitOutcome(text("node:22.14", '["pnpm", "dev"]'), { context: context(undefined, { dev: "nodemon index.js" }), explicitContext: true })).toBe("3");
  });
});

describe("pnpm installed unpinned with no pnpm lockfile", () => {
  const text = 'FROM node:20-alpine\nWORKDIR /api\nRUN npm i -g pnpm\nCOPY package*.json ./\nRUN pnpm i\nCOPY . .\nCMD ["pnpm", "run", "start"]\n';
  const pkg = (deps: Record<string, string>) => JSON.stringify({ name: "api", version: "1.0.0", scripts: { start: "node index.js" }, dependencies: deps });
  it("is rejected when package.json names dependencies that run install scripts, unless builds are configured", () => {
    expect(exitOutcome(text, { context: memoryContext({ "package.json": pkg({ "@prisma/client": "^5.22.0", express: "^4.21.2" }), "package-lock.json": "{}", "index.js": "" }), explicitContext: true })).toBe("2");
    expect(exitOutcome(text, { context: memoryContext({ "package.json": pkg({ "@prisma/client": "^5.22.0" }), "pnpm-workspace.yaml": "allowBuilds:\n  '@prisma/client': true\n", "index.js": "" }), explicitContext: true })).toBe("converted");
    expect(exitOutcome(text, { context: memoryContext({ "package.json": pkg({ express: "^4.21.2" }), "index.js": "" }), explicitContext: true })).toBe("converted");
  });
});

describe("unpinned pnpm (today's, strict about dependency builds) and the lockfile's build scripts", () => {
  const lockfile = [
    "lockfileVersion: 5.4",
    "",
    "packages:",
    "",
    "  /bcrypt/5.1.0:",
    "    resolution: {integrity: sha512-x}",
    "    requiresBuild: true",
    "    dev: true",
    "",
    "  /fsevents/2.3.2:",
    "    resolution: {integrity: sha512-y}",
    "    os: [darwin]",
    "    requiresBuild: true",
    "    dev: false",
    "    optional: true",
    "",
    "  /lodash/4.17.21:",
    "    resolution: {integrity: sha512-z}",
    "    dev: false",
    "",
  ].join("\n");
  const files = { "package.json": JSON.stringify({ scripts: { start: "node src/app.js" } }), "pnpm-lock.yaml": lockfile, "src/app.js": "" };
  const dockerfile = (install: string) => ["FROM node:18.14.0-alpine", "RUN npm install -g pnpm", "WORKDIR /app", "COPY . .", `RUN ${install}`, 'CMD ["node", "src/app.js"]', ""].join("\n");

  it("counts neither packages pnpm skips on Linux (fsevents, os: [darwin]) nor dev dependencies in a production install", () => {
    expect(exitOutcome(dockerfile("pnpm i --production"), { context: memoryContext(files), explicitContext: true })).toBe("converted");
    expect(exitOutcome(dockerfile("NODE_ENV=production pnpm install"), { context: memoryContext(files), explicitContext: true })).toBe("converted");
  });

  it("counts a dev dependency's build script when dev dependencies are installed", () => {
    expect(() => convert(dockerfile("pnpm install"), { context: memoryContext(files), explicitContext: true })).toThrow("line 5: `pnpm install` cannot run: pnpm is installed unpinned (today's pnpm 12, strict about dependency builds since pnpm 11), bcrypt in pnpm-lock.yaml has build scripts");
  });
});

describe("Prisma on node's bookworm slim images", () => {
  const pkg = JSON.stringify({ name: "orders", version: "1.0.0", dependencies: { "@prisma/client": "^5.22.0" } });
  const context = memoryContext({ "package.json": pkg, "index.js": "require('@prisma/client')\n" });
  const text = (setup: string) => `FROM node:20-slim\n${setup}WORKDIR /app\nCOPY package.json ./\nRUN npm install\nCOPY . .\nCMD ["node", "index.js"]\n`;
  it("converts when a step installs OpenSSL (apt, versioned or not)", () => {
    expect(convert(text("RUN apt-get update -y && apt-get install -y openssl\n"), { context }).status).toBe("converted");
    expect(convert(text("RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libssl3=3.0.15-1~deb12u1\n"), { context }).status).toBe("converted");
  });
  it("is rejected when no step installs it, a purge of it included", () => {
    expect(() => convert(text(""), { context })).toThrow(/Prisma cannot load its query engine on node:20-slim/);
    expect(() => convert(text("RUN apt-get purge -y openssl\n"), { context })).toThrow(/Prisma cannot load its query engine/);
  });
});
