import { isDirectory, type BuildContext } from "../../analysis/context.js";

const sourceFile = /\.(ts|js|mjs|cjs|mts|cts)$/;
const testFile = /(^|\/)(__tests__|__mocks__|test|tests|e2e|spec)\/|\.(spec|test)\.\w+$/;
// a string literal naming a relative path with a directory: './src/files/codes.txt', "templates/mail.hbs"
const pathLiteral = /["'`](?:\.\/)?((?:[\w@.-]+\/)+[\w@.-]+)["'`]/g;
// a path built from literal segments: resolve('src', 'email', 'views'), path.join("templates", "mail")
const segmentCall = /\b(?:resolve|join)\(\s*((?:["'`][\w@.-]+["'`]\s*,\s*)+["'`][\w@.-]+["'`])\s*\)/g;

/** The app's own source files (no tests, dependencies, declarations or build output), at most 400. */
export function appSourceFiles(context: BuildContext, outputDir: string): string[] {
  return context.list().filter((p) => sourceFile.test(p) && !testFile.test(p) && !p.startsWith("node_modules/") && !p.startsWith(`${outputDir}/`) && !/\.d\.ts$/.test(p)).slice(0, 400);
}

/**
 * Context paths (files or directories) that the app's own sources name in string literals, such as
 * `readFileSync('./src/files/item-codes.txt')`: a compiled app reads them relative to its working
 * directory at run time, so they must reach a runtime that otherwise drops the sources.
 */
export function pathsReadBySources(context: BuildContext, outputDir: string): string[] {
  const found = new Set<string>();
  for (const file of appSourceFiles(context, outputDir)) {
    const text = context.read(file);
    if (!text) continue;
    const segmented = [...text.matchAll(segmentCall)].map((m) => [...m[1]!.matchAll(/["'`]([\w@.-]+)["'`]/g)].map((s) => s[1]).join("/"));
    for (const path of [...[...text.matchAll(pathLiteral)].map((m) => m[1]!.replace(/\/$/, "")), ...segmented]) {
      if (path.startsWith("node_modules/") || path.split("/").some((part) => part === "..")) continue;
      if (context.kind(path) === "file" && !sourceFile.test(path)) found.add(path);
      // a directory of the sources counts only when it holds no code (templates read at run time)
      else if (context.kind(path) === "dir" && isDirectory(context, path) && path !== "src" && (!path.startsWith("src/") || holdsNoCode(context, path))) found.add(path);
    }
  }
  return [...found].sort();
}

function holdsNoCode(context: BuildContext, dir: string): boolean {
  const inside = context.list().filter((p) => p.startsWith(`${dir}/`) && !p.endsWith("/"));
  return inside.length > 0 && inside.every((p) => !sourceFile.test(p));
}
