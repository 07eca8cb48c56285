import { posix } from "node:path";
import type { BuildContext } from "../../analysis/context.js";
import { unusable } from "../../errors.js";
import { appSourceFiles } from "./source-read-paths.js";

// require('./x'), import … from './x', export … from './x', import('./x'): relative specifiers only
const specifiers = [
  /\brequire\(\s*["'](\.{1,2}\/[^"'\n]+)["']\s*\)/g,
  /^\s*(?:import|export)\b[^;"'\n]*?\bfrom\s*["'](\.{1,2}\/[^"'\n]+)["']/gm,
  /^\s*import\s*["'](\.{1,2}\/[^"'\n]+)["']/gm,
  /\bimport\(\s*["'](\.{1,2}\/[^"'\n]+)["']\s*\)/g,
];
const extensions = ["", ".js", ".json", ".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".mts", ".cts", ".node", ".vue", ".svelte"];
const indexFiles = ["index.js", "index.ts", "index.tsx", "index.jsx", "index.mjs", "index.cjs", "index.json"];

/**
 * Rejects (exit 2) a relative require or import of the app's own sources that names a context file in
 * another letter case only (`require('./routes/LecturerStats')` for `routes/lecturerStats.js`): macOS's
 * and Windows' file systems resolve it, Linux's do not, so the build's compiler or bundler, or the app
 * when it starts, stops with "Cannot find module". Only for a context that is evidently the build's.
 */
export function rejectMiscasedImports(context: BuildContext, contextEvident: boolean): void {
  if (!contextEvident) return;
  const files = context.list().filter((p) => !p.endsWith("/"));
  const byLowerCase = new Map<string, string>();
  for (const path of files) byLowerCase.set(path.toLowerCase(), path);
  const found: { source: string; specifier: string; other: string }[] = [];
  for (const source of appSourceFiles(context, "dist")) {
    const code = context.read(source);
    if (code === undefined || !/\brequire\(|\bimport\b|\bexport\b/.test(code)) continue;
    for (const re of specifiers) {
      for (const m of code.matchAll(re)) {
        const base = posix.normalize(posix.join(posix.dirname(source), m[1]!.replace(/[?#].*$/, "")));
        if (base.startsWith("..")) continue;
        // TypeScript's NodeNext style names the emitted ./x.js for the source ./x.ts
        const bases = /\.[cm]?js$/.test(base) ? [base, base.replace(/\.([cm]?)js$/, ".$1ts"), base.replace(/\.js$/, ".tsx")] : [base];
        const candidates = bases.flatMap((b) => [...extensions.map((e) => `${b}${e}`), ...indexFiles.map((i) => `${b}/${i}`)]);
        if (candidates.some((c) => context.kind(c) === "file")) continue;
        const other = candidates.map((c) => byLowerCase.get(c.toLowerCase())).find((p) => p !== undefined);
        if (other === undefined) continue;
        found.push({ source, specifier: m[1]!, other });
      }
    }
  }
  if (found.length === 0) return;
  const [first] = found;
  const more = found.slice(1, 4).map((f) => `${f.source}'s ${f.specifier} (${f.other})`);
  throw unusable(`${first!.source} imports ${first!.specifier}, but the build context has ${first!.other}, which differs in letter case: Linux's file systems tell the two apart (macOS's and Windows' do not), so it stops with "Cannot find module '${first!.specifier}'"${more.length > 0 ? `; so would ${more.join(", ")}${found.length > 4 ? ` and ${found.length - 4} more` : ""}` : ""} (rename the files or the imports so the cases match)`);
}
