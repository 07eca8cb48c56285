import { describe, expect, it } from "vitest";
import { convert, memoryContext } from "../src/index.js";

const dockerfile = 'FROM node:20-alpine\nWORKDIR /api\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nCMD ["npm", "start"]\n';
const files = (command: string) => ({
  "package.json": JSON.stringify({ name: "g", version: "1.0.0", scripts: { start: "node server.js", dev: "nodemon server.js" }, dependencies: { express: "^4.19.2" }, devDependencies: { nodemon: "^3.1.0" } }),
  "package-lock.json": '{"name":"g","version":"1.0.0","lockfileVersion":3,"packages":{"":{"name":"g"}}}',
  "server.js": "",
  ".dockerignore": "node_modules\n",
  "docker-compose.yml": `services:\n  api:\n    build: .\n    command: ${command}\n`,
});

describe("compose commands that need pruned dev dependencies", () => {
  it("are warned about, naming the file, the command and the packages", () => {
    const notes = convert(dockerfile, { context: memoryContext(files("npm run dev")), explicitContext: true }).notes;
    expect(notes.some((n) => n.level === "warning" && /docker-compose\.yml line 4 runs `npm run dev` in this image, which needs nodemon/.test(n.message))).toBe(true);
  });
  it("are not when the command uses production dependencies only", () => {
    const notes = convert(dockerfile, { context: memoryContext(files("npm start")), explicitContext: true }).notes;
    expect(notes.some((n) => /from devDependencies/.test(n.message))).toBe(false);
  });
});
