import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { projectFilePath } from "./project-file.js";
import type { PythonStep } from "./tools.js";

/** Well-known Python command-line programs and the distribution that installs each. */
const programPackages: Record<string, string> = {
  streamlit: "streamlit", gunicorn: "gunicorn", uvicorn: "uvicorn", celery: "celery", daphne: "daphne", hypercorn: "hypercorn",
  "waitress-serve": "waitress", alembic: "alembic", scrapy: "scrapy", jupyter: "jupyter-core", "jupyter-lab": "jupyterlab",
  mlflow: "mlflow", dagster: "dagster", chainlit: "chainlit", gradio: "gradio", panel: "panel", flask: "flask",
};

/** Each tool's lockfile, which lists every package its install puts in the environment. */
const lockfiles: Partial<Record<PythonStep["tool"], string>> = { uv: "uv.lock", poetry: "poetry.lock", pdm: "pdm.lock", pipenv: "Pipfile.lock" };

/** The package names a lockfile lists, normalised (`Flask_Login` → `flask-login`). */
function lockedPackages(lock: string, file: string): Set<string> {
  const names = file === "Pipfile.lock" ? [...lock.matchAll(/^\s{8}"([^"]+)":\s*\{/gm)] : [...lock.matchAll(/^name\s*=\s*"([^"]+)"/gm)];
  return new Set(names.map((m) => m[1]!.toLowerCase().replace(/[-_.]+/g, "-")));
}

/**
 * Rejects (exit 2) a start command that runs a well-known Python program (`streamlit`, `gunicorn`)
 * when every install is a lockfile install (uv, Poetry, PDM, Pipenv) whose lockfile does not list the
 * program's package, and no other step installs anything: the container stops with "executable file
 * not found in $PATH". Only for a context that is evidently the build's.
 */
export function rejectUninstalledStartProgram(facts: Facts, steps: readonly PythonStep[], context: BuildContext): void {
  const start = facts.entrypoint ?? facts.cmd;
  if (start?.form !== "exec") return;
  const program = start.argv[0] ?? "";
  const distribution = programPackages[program];
  if (!distribution) return;
  const installs = steps.filter((s) => s.kind === "deps");
  if (installs.length === 0 || installs.some((s) => lockfiles[s.tool] === undefined || (s.tool === "uv" && s.words[1] === "pip"))) return;
  // another step that may install it: one naming it (`pip install streamlit`, `apt-get install python3-gunicorn`),
  // a pip install of requirement files or local projects, conda, or a script
  const named = new RegExp(`(^|[\\s/="'-])${distribution}([\\s=<>~!;,"'\\[\\]]|$)`, "im");
  if (facts.body.some((e) => e.run && (named.test(e.ins.text) || /\b(pip3?|pipx)\s+install\b[^&;|]*\s(-r|--requirement|-e|--editable|\.)(\s|$)|\b(conda|mamba|micromamba)\b|(^|[\s;&|])(\.\/|\/|sh\s+|bash\s+)[\w./-]*\.sh\b/.test(e.ins.text)))) return;
  // a manifest that names it (a lockfile then out of date, or a stub) is not judged
  const manifests = ["pyproject.toml", "Pipfile"].map((name) => context.read(projectFilePath(facts, context, name)) ?? "").join("\n");
  if (named.test(manifests.replace(/[_.]/g, "-"))) return;
  for (const tool of new Set(installs.map((s) => s.tool))) {
    const file = projectFilePath(facts, context, lockfiles[tool]!);
    const lock = context.read(file);
    const packages = lock === undefined ? undefined : lockedPackages(lock, file);
    if (!packages || packages.size < 2 || packages.has(distribution)) return;
  }
  const line = facts.body.find((e) => e.keyword === (facts.entrypoint ? "ENTRYPOINT" : "CMD") && e.ins.text.includes(program))?.ins.startLine ?? 0;
  throw unusable(`line ${line + 1}: the start command runs ${program}, but the lockfile the build installs from does not list ${distribution} and no other step installs it, so the container stops with "executable file not found in $PATH" (add ${distribution} to the project's dependencies)`);
}
