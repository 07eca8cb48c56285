import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { commandWords, nodeInstall, packageScript } from "../../analysis/commands.js";
import { unusable } from "../../errors.js";
import { binsOf } from "./bins.js";
import type { NodeProject } from "./project.js";

/** The first program a package script runs, past variable assignments and cross-env. */
function firstProgram(script: string): string | undefined {
  const words = script.trim().split(/\s+/);
  let i = 0;
  while (i < words.length && (/^\w+=/.test(words[i]!) || words[i] === "cross-env" || (words[i - 1] === "cross-env" && /^\w+=/.test(words[i]!)))) i++;
  return words[i];
}

/**
 * Rejects (exit 2) a build step that runs a tool the install left out: an install without
 * devDependencies (`yarn install --production`, `npm ci --omit=dev`, NODE_ENV=production) followed by
 * a build script whose program comes from devDependencies only (`tsc` → typescript), which stops with
 * "not found"; or react-scripts building a project with a tsconfig.json while typescript is left out:
 * react-scripts 5's webpack config resolves typescript whenever tsconfig.json exists (4 verifies the
 * TypeScript setup first), and the build stops.
 */
export function rejectBuildToolLeftOutByProductionInstall(facts: Facts, context: BuildContext, project: NodeProject, productionOnly: boolean, lastInstall: number): void {
  if (!productionOnly || !project.known) return;
  const installed = new Set([...Object.keys(project.dependencies), ...Object.keys(project.optionalDependencies)]);
  // packages a step installs by name (`npm i -g typescript`, `yarn add react-scripts`) are there whatever the flags
  for (const entry of facts.body) for (const segment of entry.run?.segments ?? []) for (const name of nodeInstall(segment.argv)?.packages ?? []) installed.add(name.replace(/(.)@.*$/, "$1"));
  const devOnly = Object.keys(project.devDependencies).filter((name) => !installed.has(name));
  const installedBins = new Set([...installed].flatMap((name) => binsOf(name)));
  for (const entry of facts.body.slice(lastInstall + 1)) {
    for (const segment of entry.run?.segments ?? []) {
      const script = packageScript(commandWords(segment.argv));
      const text = script ? project.scripts[script.script] : undefined;
      if (!text) continue;
      const program = firstProgram(text);
      const line = `line ${entry.ins.startLine + 1}: \`${segment.text.trim()}\``;
      const owner = program && !installedBins.has(program) ? devOnly.find((name) => binsOf(name).includes(program)) : undefined;
      if (owner) throw unusable(`${line} runs ${program}, from ${owner}, which package.json lists under devDependencies and the production install before it left out, so the build stops with "${program}: not found"; install with dev dependencies for the build, or move ${owner} to dependencies`);
      if (program === "react-scripts" && /^react-scripts\s+build\b/.test(text.trim().replace(/^(\w+=\S*\s+)+/, "")) && context.kind("tsconfig.json") === "file" && !installed.has("typescript")) {
        throw unusable(`${line} runs react-scripts build, which loads typescript because the project has a tsconfig.json, and typescript ${"typescript" in project.devDependencies ? "is a devDependency the production install before it left out" : "is not a dependency"}: the build stops (react-scripts 5: "Cannot find module 'typescript'"); install with dev dependencies for the build, or move typescript to dependencies`);
      }
    }
  }
}
