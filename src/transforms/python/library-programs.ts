import type { BuildContext } from "../../analysis/context.js";

/** Programs Python libraries start at run time (GitPython imports fail without git), by distribution name. */
const programsOf: Record<string, string[]> = {
  gitpython: ["git"],
  pydub: ["ffmpeg"],
  "ffmpeg-python": ["ffmpeg"],
  moviepy: ["ffmpeg"],
  pdf2image: ["poppler-utils"],
  pytesseract: ["tesseract-ocr"],
  pdfkit: ["wkhtmltopdf"],
};

const manifests = ["requirements.txt", "requirements/base.txt", "requirements/prod.txt", "requirements/production.txt", "pyproject.toml", "Pipfile", "Pipfile.lock", "poetry.lock", "uv.lock", "pdm.lock"];

/**
 * The OS programs the project's Python dependencies run as subprocesses, found by distribution name in
 * its manifests and lockfiles: an OS package installing one stays in the runtime.
 */
export function programsPythonLibrariesRun(context: BuildContext): string[] {
  return [...new Set(mentionedDistributions(context, Object.keys(programsOf)).flatMap((name) => programsOf[name]!))];
}

/** Which of `names` the project's manifests and lockfiles name as a distribution. */
export function mentionedDistributions(context: BuildContext, names: readonly string[]): string[] {
  const text = manifests.map((m) => context.read(m) ?? "").join("\n").toLowerCase();
  return names.filter((name) => new RegExp(`(^|["'\\s\\[,])${name.replace(/[.-]/g, "[-_.]")}(?=$|[\\s"'=<>~!;\\[,]|\\s*=)`, "m").test(text));
}
