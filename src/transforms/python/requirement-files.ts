import { posix } from "node:path";
import type { BuildContext } from "../../analysis/context.js";
import { contextFileAt } from "../../analysis/copied-file.js";
import type { Facts } from "../../analysis/facts.js";
import type { PythonStep } from "./tools.js";

/**
 * The requirement lines a pip install step reads from its -r and -c files, nested includes too, each
 * with the context file it came from; complete is false when a file cannot be read or a line names a
 * local project or URL whose own requirements are unknown.
 */
export function requirementFileLines(facts: Facts, step: PythonStep, context: BuildContext): { lines: { spec: string; file: string }[]; complete: boolean } {
  const lines: { spec: string; file: string }[] = [];
  let complete = true;
  const readFile = (file: string, depth: number): void => {
    const text = depth > 3 ? undefined : context.read(file.replace(/^\.\//, ""));
    if (text === undefined) {
      complete = false;
      return;
    }
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.replace(/(^|\s)#.*$/, "").trim();
      if (line === "") continue;
      const include = /^(-r|--requirement|-c|--constraint)\s*=?\s*(\S+)/.exec(line);
      if (include) readFile(`${file.includes("/") ? file.slice(0, file.lastIndexOf("/") + 1) : ""}${include[2]}`, depth + 1);
      else if (/^(-e|--editable|\.|\/|git\+|https?:)/.test(line)) complete = false;
      else if (!line.startsWith("-")) lines.push({ spec: line, file });
    }
  };
  for (const path of requirementFilePaths(step)) {
    const file = contextFileAt(facts, context, path);
    if (file === undefined) complete = false;
    else readFile(file, 0);
  }
  return { lines, complete };
}

/** The image paths of the files a pip install step names with -r or -c (`/tmp/requirements.txt`). */
export function requirementFilePaths(step: PythonStep): string[] {
  const args = step.words.slice(step.words.indexOf("install") + 1);
  return args.flatMap((arg, k) => (["-r", "--requirement", "-c", "--constraint"].includes(arg) && args[k + 1] !== undefined ? [posix.resolve(step.s.cwd, args[k + 1]!)] : []));
}
