import type { BuildContext } from "../../analysis/context.js";
import type { NodeProject } from "./project.js";

/**
 * Dev dependencies the application loads when it runs: `npm install` in the original installed them,
 * so the image worked even though package.json lists them under devDependencies; a prune would break
 * it. Found from the import/require specifiers of the app's own source files (tests, build-tool
 * configs and static assets left out), the runtime modules a Nuxt 2 config names, and Nuxt 2's own
 * need of vuex when the app has a store.
 */
export function importedDevDependencies(context: BuildContext, project: NodeProject, runtimeText = ""): string[] {
  const dev = new Set(Object.keys(project.devDependencies));
  if (dev.size === 0 || !context.known || bundlesDevDependencies(context, project)) return [];
  const found = new Set<string>();
  let scanned = 0;
  const sources: { path: string; text: string }[] = [];
  for (const path of context.list()) {
    if (!isRuntimeSource(path)) continue;
    if (++scanned > maxScannedFiles) break;
    const text = context.read(path);
    if (text !== undefined) sources.push({ path, text });
  }
  const references = [context.read("package.json") ?? "", runtimeText];
  for (const { path, text } of sources) {
    // a file beside package.json that nothing names (no script, start command or import: `tsconfig-paths-bootstrap.js`) is not loaded
    if (!path.includes("/") && !/^(nuxt|next|remix|app|server|index|main)\.config\./.test(path) && !mentioned(path, references, sources)) continue;
    for (const specifier of importSpecifiers(text)) {
      const name = packageName(specifier);
      if (name && dev.has(name)) found.add(name);
    }
    if (/^nuxt\.config\.[cm]?[jt]s$/.test(path)) {
      for (const name of nuxtRuntimeModules(text)) if (dev.has(name)) found.add(name);
    }
  }
  if (dev.has("vuex") && "nuxt" in project.dependencies && context.kind("store") === "dir") found.add("vuex");
  // node-config reads config/*.ts through ts-node, which a devDependency (ts-node, or ts-node-dev's) brings
  if ("config" in project.dependencies && context.list().some((p) => /^config\/[^/]+\.ts$/.test(p))) {
    const tsNode = ["ts-node", "ts-node-dev"].find((name) => dev.has(name));
    if (tsNode) found.add(tsNode);
  }
  return [...found].sort();
}

/**
 * SvelteKit's adapter-node bundles every devDependency into its build output with Rollup and loads only
 * the dependencies from node_modules, so the sources importing a devDependency need nothing of it at run time.
 */
function bundlesDevDependencies(context: BuildContext, project: NodeProject): boolean {
  if (!("@sveltejs/adapter-node" in { ...project.dependencies, ...project.devDependencies })) return false;
  const config = ["svelte.config.js", "svelte.config.mjs", "svelte.config.ts"].map((f) => context.read(f)).find((t) => t !== undefined);
  return config !== undefined && /['"]@sveltejs\/adapter-node['"]/.test(config);
}

/** Whether a top-level file is named by package.json, the start command or another source (`./bootstrap`, `bootstrap.js`). */
function mentioned(path: string, references: string[], sources: { path: string; text: string }[]): boolean {
  const stem = path.replace(/\.[^.]+$/, "");
  const named = new RegExp(`(^|[^\\w-])${stem.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(\\.[cm]?[jt]sx?)?(?![\\w-])`);
  return references.some((text) => named.test(text)) || sources.some((s) => s.path !== path && named.test(s.text));
}

const maxScannedFiles = 2000;
const sourceFile = /\.(?:[cm]?[jt]sx?|vue|svelte)$/;
const notRuntime = /(?:^|\/)(?:node_modules|\.git|dist|build|out|coverage|public|static|\.next|\.nuxt|\.output|tests?|__tests__|__mocks__|e2e|cypress|\.storybook|stories|spec|scripts|docs?)\//;
const testOrTooling = /(?:\.(?:test|spec|stories|e2e|cy)\.[^/]+$)|(?:^|\/)\.?(?:webpack|vite|vitest|rollup|babel|jest|tailwind|postcss|eslint|eslintrc|prettier|prettierrc|karma|protractor|playwright|cypress|commitlint|stylelint|vue|tsup|esbuild|svelte|astro|lint-staged|gulpfile|gruntfile|\.?release)(?:\.config)?[^/]*$/i;

/** A source file the app loads when it runs: not a test, a build-tool config, a static asset or a type declaration. */
export function isRuntimeSource(path: string): boolean {
  return sourceFile.test(path) && !notRuntime.test(path) && !testOrTooling.test(path) && !path.endsWith(".d.ts");
}

const importPatterns = [
  /\b(?:import|export)\s+(type\s+)?[^'";]*?\bfrom\s*(['"])([^'"\n]+)\2/g,
  /\bimport\s*(?:\(\s*)?(['"])([^'"\n]+)\1/g,
  /\brequire(?:\.resolve)?\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g,
];

/** Module specifiers a file loads at run time; type-only imports are erased by the compiler. */
function importSpecifiers(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(importPatterns[0]!)) if (!match[1]) out.push(match[3]!);
  for (const pattern of importPatterns.slice(1)) for (const match of text.matchAll(pattern)) out.push(match[2]!);
  return out;
}

function packageName(specifier: string): string | undefined {
  if (/^(?:\.|\/|node:|[a-z]+:\/\/|~|@\/|#)/.test(specifier)) return undefined;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? (parts.length >= 2 ? `${parts[0]}/${parts[1]}` : undefined) : parts[0];
}

/** The quoted names in a Nuxt 2 config's `modules: [...]` (run by `nuxt start`; buildModules are not). */
function nuxtRuntimeModules(text: string): string[] {
  const at = /(?:^|[^\w])modules\s*:\s*\[/m.exec(text);
  if (!at) return [];
  const start = at.index + at[0].length;
  let depth = 1;
  let end = start;
  for (; end < text.length && depth > 0; end++) {
    if (text[end] === "[") depth++;
    else if (text[end] === "]") depth--;
  }
  return [...text.slice(start, end).matchAll(/(['"])([^'"\n]+)\1/g)].map((m) => packageName(m[2]!)).filter((n): n is string => n !== undefined);
}
