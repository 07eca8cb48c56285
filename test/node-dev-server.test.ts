import { describe, expect, it } from "vitest";
import { devServerIn, recogniseDevServer, startChain } from "../src/analysis/dev-server.js";
import { memoryContext } from "../src/analysis/context.js";
import { convert } from "../src/index.js";

describe("development servers behind start commands", () => {
  it.each([
    ["ng serve --host 0.0.0.0", "angular"],
    ["npx ng serve", "angular"],
    ["vite", "vite"],
    ["vite --host", "vite"],
    ["vite dev --port 3000", "vite"],
    ["nuxt dev", "nuxt"],
    ["next dev -p 4000", "next"],
    ["next", "next"],
    ["react-scripts start", "cra"],
    ["cross-env PORT=4000 react-scripts start", "cra"],
    ["vue-cli-service serve", "vue-cli"],
    ["webpack serve --mode development", "webpack"],
    ["webpack-dev-server --open", "webpack"],
    ["nodemon src/index.js", "nodemon"],
    ["ts-node-dev --respawn src/main.ts", "ts-node-dev"],
    ["node --watch server.js", "node-watch"],
  ])("%s is a development server (%s)", (line, framework) => {
    expect(devServerIn(line)?.framework).toBe(framework);
  });

  it.each(["vite build", "vite preview --port 8080", "next start", "node server.js", "react-scripts build", "ng build", "serve -s build", "node vite.config.js"])(
    "%s is not a development server",
    (line) => expect(devServerIn(line)).toBeUndefined(),
  );

  it("follows npm start and npm run through package.json scripts", () => {
    const scripts = { start: "npm run dev", dev: "vite --port 8080", build: "vite build" };
    expect(recogniseDevServer("npm start", scripts)).toMatchObject({ framework: "vite", via: ["start", "dev"], line: "vite --port 8080" });
    expect(recogniseDevServer("yarn dev", scripts)).toMatchObject({ framework: "vite", via: ["dev"] });
    expect(recogniseDevServer("pnpm run build", scripts)).toBeUndefined();
  });

  it("follows every script a start command runs, yarn's and pnpm's script shorthand included", () => {
    const scripts = { build: "next build", dev: "nodemon server.js", test: "jest" };
    expect(recogniseDevServer("yarn build && yarn dev", scripts)).toMatchObject({ framework: "nodemon", via: ["dev"] });
    expect(recogniseDevServer("npm run build && npm run dev", scripts)).toMatchObject({ framework: "nodemon", via: ["dev"] });
    expect(startChain("yarn build", scripts)).toEqual(["yarn build", "next build"]);
    expect(startChain("pnpm test", scripts)).toEqual(["pnpm test", "jest"]);
    expect(startChain("yarn install && yarn add left-pad", { install: "node setup.js", add: "x" })).toEqual(["yarn install && yarn add left-pad"]);
  });

  it("does not loop on scripts that call themselves", () => {
    expect(recogniseDevServer("npm start", { start: "npm start" })).toBeUndefined();
  });

  it("lists the start command and every script it runs", () => {
    expect(startChain("npm start", { start: "npm run migrate && node dist/main.js", migrate: "prisma migrate deploy" })).toEqual([
      "npm start", "npm run migrate && node dist/main.js", "prisma migrate deploy",
    ]);
  });
});

describe("what the switch from ng serve to a production build changes", () => {
  it("warns that angular.json's production budgets now apply", () => {
    const context = memoryContext({
      "package.json": JSON.stringify({ name: "shop", scripts: { start: "ng serve", build: "ng build" }, dependencies: { "@angular/core": "^17.0.0" }, devDependencies: { "@angular/cli": "^17.0.0" } }),
      "angular.json": JSON.stringify({ projects: { shop: { architect: { build: { options: { outputPath: "dist/shop" }, configurations: { production: { budgets: [{ type: "initial", maximumWarning: "500kb", maximumError: "1mb" }] } } } } } } }),
      "src/main.ts": "",
    });
    const result = convert("FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm install\nEXPOSE 4200\nCMD [\"npx\", \"ng\", \"serve\", \"--host\", \"0.0.0.0\"]\n", { context });
    expect(result.notes.some((n) => n.level === "warning" && n.message.includes("size budgets (initial ≤ 1mb)"))).toBe(true);
  });
});
