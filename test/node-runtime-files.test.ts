import { describe, expect, it } from "vitest";
import { memoryContext } from "../src/analysis/context.js";
import { gatherFacts } from "../src/analysis/facts.js";
import { parseDockerfile } from "../src/parser/document.js";
import { runtimeFiles } from "../src/transforms/node/runtime-files.js";
import { convert } from "../src/convert.js";

const compiled = "FROM node:18\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\nRUN mkdir -p logs\nCMD [\"node\", \"dist/main.js\"]\n";
const files = {
  "package.json": JSON.stringify({ name: "svc", scripts: { build: "tsc" }, dependencies: { express: "^4.19.2" } }),
  "tsconfig.json": JSON.stringify({ compilerOptions: { outDir: "dist" } }),
  "src/main.ts": "", "test/main.test.ts": "", "views/index.ejs": "", "public/app.css": "", "README.md": "",
};
const plan = (dockerfile: string, context: Record<string, string>, start = ["node dist/main.js"]) => {
  const ctx = memoryContext(context);
  return runtimeFiles(gatherFacts(parseDockerfile(dockerfile), ctx), ctx, start, 1);
};

describe("the runtime takes what runs", () => {
  it("keeps package.json, node_modules, the build output, run-time directories and directories RUN makes", () => {
    const result = plan(compiled, files);
    expect(result.whole).toBe(false);
    if (result.whole) return;
    expect(result.keep.map((k) => k.path).sort()).toEqual(["dist", "logs", "node_modules", "package.json", "public", "views"]);
    expect(result.dropped.sort()).toEqual(["README.md", "src", "test", "tsconfig.json"]);
  });

  it("keeps directories that hold only placeholders, unless .dockerignore leaves them out", () => {
    const withPlaceholders = { ...files, "uploads/.gitkeep": "", "cache/images/.gitkeep": "", "docs/guide.md": "" };
    const kept = plan(compiled, withPlaceholders);
    expect(!kept.whole && kept.keep.map((k) => k.path)).toEqual(expect.arrayContaining(["uploads", "cache"]));
    expect(!kept.whole && kept.keep.map((k) => k.path)).not.toContain("docs");
    const ignored = plan(compiled, { ...withPlaceholders, ".dockerignore": "cache\n" });
    expect(!ignored.whole && ignored.keep.map((k) => k.path)).not.toContain("cache");
  });

  it("keeps every .env file of the context's top when an env-file loader is a dependency (NestJS's envFilePath: ['.env.development'])", () => {
    const nest = { ...files, "package.json": JSON.stringify({ name: "svc", scripts: { build: "nest build" }, dependencies: { "@nestjs/config": "^3.2.0" } }), ".env.development": "DB_PORT=5433\n", ".env.test": "" };
    const kept = plan(compiled, nest);
    expect(!kept.whole && kept.keep.map((k) => k.path)).toEqual(expect.arrayContaining([".env.development", ".env.test"]));
    const without = plan(compiled, { ...files, ".env.development": "" });
    expect(!without.whole && without.keep.map((k) => k.path)).not.toContain(".env.development");
  });

  it("keeps a directory of templates under src/ that the code names segment by segment (resolve('src', 'email', 'views'))", () => {
    const mail = { ...files, "src/email/mail.ts": "const dir = resolve('src', 'email', 'views', 'emails');\n", "src/email/views/emails/register.hbs": "" };
    const kept = plan(compiled, mail);
    expect(!kept.whole && kept.keep.map((k) => k.path)).toContain("src/email/views/emails");
    const code = plan(compiled, { ...mail, "src/email/views/emails/helpers.ts": "" });
    expect(!code.whole && code.keep.map((k) => k.path)).not.toContain("src/email/views/emails");
  });

  it("takes a .env the checkout lacks, when dotenv reads it and .dockerignore lets it through", () => {
    const dotenv = { ...files, "package.json": JSON.stringify({ name: "svc", scripts: { build: "tsc" }, dependencies: { dotenv: "^16.4.5" } }) };
    expect(!plan(compiled, dotenv).whole && (plan(compiled, dotenv) as { optional: string[] }).optional).toEqual([".env"]);
    expect((plan(compiled, { ...dotenv, ".dockerignore": ".env\n" }) as { optional: string[] }).optional).toEqual([]);
    expect((plan(compiled, { ...dotenv, ".env": "PORT=1\n" }) as { optional: string[] }).optional).toEqual([]);
    expect((plan(compiled, files) as { optional: string[] }).optional).toEqual([]);
  });

  it("keeps files the start command names", () => {
    const result = plan(compiled, { ...files, "scripts/migrate.js": "" }, ["node scripts/migrate.js && node dist/main.js"]);
    expect(!result.whole && result.keep.map((k) => k.path)).toContain("scripts");
  });

  it.each([
    ["the app runs from its sources", compiled.replace("dist/main.js", "src/main.js"), files, ["node src/main.js"]],
    ["nothing builds", compiled.replace("RUN npm run build\n", ""), files],
    ["a local dependency links into the project", compiled, { ...files, "package.json": JSON.stringify({ dependencies: { shared: "file:./shared" } }) }],
    ["Yarn 2+", compiled, { ...files, ".yarnrc.yml": "nodeLinker: pnp" }],
    ["the sources are copied piecemeal", compiled.replace("COPY . .", "COPY src ./src"), files],
  ] as [string, string, Record<string, string>, string[]?][])("falls back to the whole work directory when %s", (_why, dockerfile, context, start) => {
    expect(plan(dockerfile, context, start).whole).toBe(true);
  });
});

describe("yarn start of a plain node script", () => {
  const dockerfile = "FROM node:20-alpine\nWORKDIR /src\nCOPY . .\nRUN yarn install --immutable\nRUN yarn build\nCMD [\"yarn\", \"start\"]\n";
  const project = { "package.json": JSON.stringify({ scripts: { start: "node dist/app.js", build: "tsc" }, dependencies: { express: "^4.19.2" } }), "yarn.lock": "", "src/app.ts": "" };
  const start = (context: Record<string, string>) => /^CMD .*$/m.exec(convert(dockerfile, { context: memoryContext(context) }).dockerfile)?.[0];

  it("starts node directly when yarn installs node_modules", () => {
    expect(start({ ...project, ".yarnrc.yml": "nodeLinker: node-modules\n" })).toBe('CMD ["node", "dist/app.js"]');
  });
  it("keeps yarn start under Plug'n'Play (Yarn 2+'s default linker), whose loader plain node lacks", () => {
    expect(start({ ...project, ".yarnrc.yml": "yarnPath: .yarn/releases/yarn-4.1.0.cjs\n" })).toBe('CMD ["yarn", "start"]');
    expect(start({ ...project, ".yarnrc.yml": "nodeLinker: pnp\n" })).toBe('CMD ["yarn", "start"]');
  });
});

describe("dev dependencies a file beside package.json imports", () => {
  const dockerfile = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm install\nRUN npm run build\nCMD [\"npm\", \"run\", \"start:prod\"]\n";
  const files = (start: string) => ({
    "package.json": JSON.stringify({ name: "api", scripts: { build: "tsc", "start:prod": start }, dependencies: { express: "^4.21.0" }, devDependencies: { typescript: "^5.7.3", "tsconfig-paths": "^4.2.0" } }),
    "tsconfig-paths-bootstrap.js": "const tsConfigPaths = require('tsconfig-paths');\ntsConfigPaths.register({ baseUrl: './dist', paths: {} });\n",
    "src/main.ts": "import express from 'express';\nexpress().listen(3000);\n",
  });
  const keepsDev = (start: string) => convert(dockerfile, { context: memoryContext(files(start)) }).notes.some((n) => /dev dependencies stay in the runtime: the application loads tsconfig-paths/.test(n.message));

  it("count when a script loads that file, and not when nothing names it", () => {
    expect(keepsDev("node -r ./tsconfig-paths-bootstrap.js dist/main.js")).toBe(true);
    expect(keepsDev("node dist/main")).toBe(false);
  });
});
