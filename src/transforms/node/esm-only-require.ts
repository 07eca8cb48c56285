import { readJson, type BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { isRuntimeSource } from "./imported-dev-dependencies.js";
import type { NodeProject } from "./project.js";

/** Packages whose releases from this major on are ES modules only (no CommonJS entry point). */
const esmOnlyFrom: Record<string, number> = { "node-fetch": 3, chalk: 5, got: 12, nanoid: 4, execa: 6, ora: 6, inquirer: 9 };

/**
 * Whether the image's Node.js can require() an ES module: 22.12 and 20.19 enabled it by default;
 * undefined when the tag does not say which release (a floating `node:20` is 20.19 or later).
 */
function requiresEsm(tag: string, major: number): boolean | undefined {
  const minor = /^\d+\.(\d+)/.exec(tag)?.[1];
  if (major >= 23) return true;
  if (major === 22 || major === 20) return minor === undefined ? undefined : Number(minor) >= (major === 22 ? 12 : 19);
  return false;
}

/**
 * Rejects (exit 2) an app whose own CommonJS code `require()`s a package that package.json lets the
 * install take at an ES-module-only major (node-fetch 3, chalk 5, got 12…), on a Node.js that cannot
 * require ES modules (before 20.19 and 22.12): the app stops with ERR_REQUIRE_ESM when it loads the file.
 */
export function rejectRequireOfEsmOnlyPackage(facts: Facts, context: BuildContext, project: NodeProject, nodeMajor: number): void {
  if (!Number.isFinite(nodeMajor) || requiresEsm(facts.resolvedImage.tag, nodeMajor) !== false) return;
  // under "type": "module" a .js file is an ES module itself, where require is not defined
  const commonJs = readJson(context, "package.json")?.["type"] === "module" ? /\.cjs$/ : /\.c?js$/;
  const esmOnly = Object.entries(esmOnlyFrom).filter(([name, from]) => {
    const range = project.dependencies[name];
    return range !== undefined && new RegExp(`^\\s*(?:[\\^~]|>=\\s*)?v?(\\d+)`).test(range) && Number(/(\d+)/.exec(range)![1]) >= from;
  });
  if (esmOnly.length === 0) return;
  let scanned = 0;
  for (const path of context.list()) {
    if (!commonJs.test(path) || !isRuntimeSource(path)) continue;
    if (++scanned > 2000) break;
    const code = (context.read(path) ?? "").replace(/^\s*\/\/.*$/gm, "");
    for (const [name, from] of esmOnly) {
      if (!new RegExp(`\\brequire\\(\\s*["'\`]${name.replace(/[-]/g, "\\-")}["'\`]\\s*\\)`).test(code)) continue;
      throw unusable(`${path} calls require("${name}"), and package.json lets the install take ${name} ${project.dependencies[name]}, which is an ES module only from ${from}.0 on; ${facts.resolvedImage.raw} is Node.js ${nodeMajor}, which cannot require() an ES module, so the app stops when it loads ${path}, with ${nodeMajor >= 12 ? "ERR_REQUIRE_ESM" : "a SyntaxError at the package's import statements"} (pin ${name}@${from - 1}, or load it with import())`);
    }
  }
}
