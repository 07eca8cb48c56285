import { posix } from "node:path";
import { segmentKindsWritingNoSources } from "../../analysis/commands.js";
import type { BuildContext } from "../../analysis/context.js";
import { dockerignore } from "../../analysis/dockerignore.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { installedPoetryMajor } from "./poetry-installed.js";
import type { PythonStep } from "./tools.js";
import { tomlTable } from "./toml-table.js";
import { copiedBefore, normalized } from "../../analysis/copied-before.js";

/**
 * Rejects (exit 2) a `poetry install` that installs the project itself under Poetry 2 when the
 * project's package is not in the image at that step: since 2.0 Poetry stops with "The current
 * project could not be installed: No file/folder found for package …" (1.x only warned). Checked
 * only where the context holds the pyproject.toml and every earlier copy into the install's directory
 * is understood (the whole context, or single files); projects that name their `packages` (an empty
 * list names none) or turn package mode off are left alone.
 */
export function rejectPoetryRootWithoutPackage(facts: Facts, steps: PythonStep[], context: BuildContext): void {
  const major = installedPoetryMajor(facts, steps);
  if (major === undefined || major < 2) return;
  const pyproject = context.read("pyproject.toml");
  if (pyproject === undefined) return;
  const poetry = tomlTable(pyproject, "tool.poetry") ?? "";
  // an empty `packages = []` names none: poetry-core's Module then looks for the project's own name, as without it
  if (/^\s*package-mode\s*=\s*false/m.test(poetry) || (/^\s*packages\s*=/m.test(poetry) && !/^\s*packages\s*=\s*\[\s*\]/m.test(poetry))) return;
  const name = /^\s*name\s*=\s*["']([^"']+)["']/m.exec(tomlTable(pyproject, "project") ?? poetry)?.[1];
  if (name === undefined) return;
  const module = name.toLowerCase().replace(/[-.]+/g, "_");
  const candidates = [module, `src/${module}`, `${module}.py`, `src/${module}.py`];
  const ignored = dockerignore(context.read(".dockerignore"));
  const toolWords = new Set(steps.filter((s) => s.kind !== "deps" || s.tool !== "poetry").map((s) => `${s.index}:${s.segment}`));

  for (const step of steps) {
    if (step.tool !== "poetry" || step.kind !== "deps" || step.words.some((w) => w === "--no-root")) continue;
    const earlier = facts.body.slice(0, step.index);
    // Poetry works in the nearest directory up from where it runs that has a pyproject.toml
    const cwd = ancestors(step.s.cwd).find((dir) => earlier.some((e) => e.copy && !e.copy.fromImage && normalized(e.copy.destAbs) === dir && e.copy.sources.some((s) => /^(\.\/?|(\.\/)?pyproject\.toml)$/.test(s))));
    if (cwd === undefined) continue;
    if (earlier.some((e, i) => e.run && (e.run.form === "heredoc" || e.run.segments.some((s, j) => !segmentKindsWritingNoSources.has(s.kind) && !toolWords.has(`${i}:${j}`))))) return;
    const copied = copiedBefore(facts, context, step.index, cwd);
    if (!copied) return;
    const { wholeContext, files } = copied;
    // compared without case: a package directory spelled like the project (`MyApp/`) is not judged here
    const listed = wholeContext ? context.list().map((p) => p.replace(/\/$/, "")).filter((p) => !ignored(p)).map((p) => p.toLowerCase()) : [];
    const copiedFiles = [...files].map((f) => f.toLowerCase());
    const present = candidates.some((c) => listed.includes(c) || copiedFiles.includes(c));
    if (present) continue;
    const where = wholeContext ? "the build context has none of" : "no earlier step copies";
    throw unusable(`line ${facts.body[step.index]!.ins.startLine + 1}: \`${step.s.text}\` cannot run: Poetry ${major} installs the project itself and stops when its package is missing ("No file/folder found for package ${name}"), and ${where} ${module}/, src/${module}/ or ${module}.py in ${cwd} (add --no-root, set package-mode = false${wholeContext ? "" : ", copy the package before the install"} or pin Poetry 1.x, which only warns)`);
  }
}

/** The directory and its parents up to `/`, nearest first. */
function ancestors(dir: string): string[] {
  const out = [dir];
  while (out[out.length - 1] !== "/") out.push(posix.dirname(out[out.length - 1]!));
  return out;
}
