import { posix } from "node:path";
import { pipInstallArgs } from "../../analysis/commands.js";
import type { BuildContext } from "../../analysis/context.js";
import { dockerignore } from "../../analysis/dockerignore.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { pinnedVersion, pipRequirements, requirementName, type PythonStep } from "./tools.js";
import { imagePythonVersion } from "./uv-python.js";

// RUN segments that write no project file
const inert = new Set<string>(["deps", "os-packages", "user-setup", "cd"]);

/**
 * The major version of the Poetry the build installs: a pinned or bounded pip/pipx install, or the
 * official installer with POETRY_VERSION. An unpinned install is the newest, 2.x, on the Pythons it
 * supports (3.9 and later); undefined when the build does not install Poetry itself.
 */
export function installedPoetryMajor(facts: Facts, steps: PythonStep[]): number | undefined {
  const python = imagePythonVersion(facts);
  const newest = python && python.major === 3 && python.minor < 9 ? 1 : 2;
  for (const step of steps) {
    if (step.kind !== "tool-install") continue;
    for (const spec of pipRequirements(step.tool === "pip" && step.words[0] !== "pipx" ? pipInstallArgs(step.words) : step.words.slice(2))) {
      if (requirementName(spec) !== "poetry") continue;
      const resolved = spec.replace(/\$\{?POETRY_VERSION\}?/, facts.variables["POETRY_VERSION"] ?? "$POETRY_VERSION");
      const pinned = pinnedVersion(resolved);
      if (pinned) return /^\d/.test(pinned) ? Number(pinned.split(".")[0]) : undefined;
      if (/^poetry(\[[^\]]*\])?$/i.test(resolved)) return newest;
      if (/<\s*2(\.0)*\s*(,|$)|~=\s*1\.|==\s*1\./.test(resolved)) return 1;
      return undefined;
    }
  }
  for (const entry of facts.body) {
    for (const s of entry.run?.segments ?? []) {
      if (!/install\.python-poetry\.org/.test(s.text)) continue;
      const version = /--version[= ]\s*([0-9][^\s]*)/.exec(entry.ins.text)?.[1] ?? /POETRY_VERSION=["']?([0-9][^\s"']*)/.exec(entry.ins.text)?.[1] ?? facts.variables["POETRY_VERSION"];
      if (version === undefined) return newest;
      return /^\d/.test(version) ? Number(version.split(".")[0]) : undefined;
    }
  }
  return undefined;
}

/** The TOML table `[name]` of a pyproject.toml, up to the next table header. */
function table(toml: string, name: string): string | undefined {
  const start = toml.search(new RegExp(`^\\[${name.replace(/\./g, "\\.")}\\]\\s*$`, "m"));
  if (start < 0) return undefined;
  const rest = toml.slice(start).split(/\r?\n/).slice(1);
  const end = rest.findIndex((l) => /^\s*\[/.test(l));
  return (end < 0 ? rest : rest.slice(0, end)).join("\n");
}

/**
 * Rejects (exit 2) a `poetry install` that installs the project itself under Poetry 2 when the
 * project's package is not in the image at that step: since 2.0 Poetry stops with "The current
 * project could not be installed: No file/folder found for package …" (1.x only warned). Checked
 * only where every earlier copy into the install's directory is understood: the whole context, or
 * single files; projects that name their `packages` or turn package mode off are left alone.
 */
export function rejectPoetryRootWithoutPackage(facts: Facts, steps: PythonStep[], context: BuildContext, contextEvident: boolean): void {
  if (!contextEvident) return;
  const major = installedPoetryMajor(facts, steps);
  if (major === undefined || major < 2) return;
  const pyproject = context.read("pyproject.toml");
  if (pyproject === undefined) return;
  const poetry = table(pyproject, "tool.poetry") ?? "";
  if (/^\s*package-mode\s*=\s*false/m.test(poetry) || /^\s*packages\s*=/m.test(poetry)) return;
  const name = /^\s*name\s*=\s*["']([^"']+)["']/m.exec(table(pyproject, "project") ?? poetry)?.[1];
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
    if (earlier.some((e, i) => e.run && (e.run.form === "heredoc" || e.run.segments.some((s, j) => !inert.has(s.kind) && !toolWords.has(`${i}:${j}`))))) return;
    let wholeContext = false;
    const files = new Set<string>();
    for (const entry of earlier) {
      const copy = entry.copy;
      if (!copy) continue;
      const dest = normalized(copy.destAbs);
      if (!(dest === cwd || dest === "/" || dest.startsWith(`${cwd}/`) || cwd.startsWith(`${dest}/`))) continue;
      if (copy.fromImage || copy.isAdd || copy.heredoc) return;
      for (const source of copy.sources) {
        const path = source.replace(/^\.\//, "").replace(/\/$/, "");
        if (path === "." || path === "") {
          if (dest !== cwd) return;
          wholeContext = true;
        } else if (dest === cwd && context.kind(path) === "file" && !/[*?[]/.test(path)) {
          files.add(posix.basename(path));
        } else return;
      }
    }
    const present = candidates.some((c) => (wholeContext && context.kind(c) !== undefined && !ignored(c)) || files.has(c));
    if (present) continue;
    const where = wholeContext ? "the build context has none of" : "no earlier step copies";
    throw unusable(`line ${facts.body[step.index]!.ins.startLine + 1}: \`${step.s.text}\` cannot run: Poetry ${major} installs the project itself and stops when its package is missing ("No file/folder found for package ${name}"), and ${where} ${module}/, src/${module}/ or ${module}.py in ${cwd} (add --no-root, set package-mode = false, or copy the package before the install)`);
  }
}

function normalized(dir: string): string {
  return dir.length > 1 ? dir.replace(/\/$/, "") : dir;
}

/** The directory and its parents up to `/`, nearest first. */
function ancestors(dir: string): string[] {
  const out = [dir];
  while (out[out.length - 1] !== "/") out.push(posix.dirname(out[out.length - 1]!));
  return out;
}
