import { posix } from "node:path";
import type { BuildContext } from "../../analysis/context.js";
import { dockerignore } from "../../analysis/dockerignore.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import type { PythonStep } from "./tools.js";

/**
 * Rejects (exit 2) `pip install -r FILE` when FILE lies where an earlier COPY put the build context,
 * one of its directories or a file of it, the context has no such file (or its .dockerignore leaves it out), and no RUN step before the
 * install names it (none could have generated it): pip stops with "Could not open requirements file".
 * Only for a context evidently the build's.
 */
export function rejectMissingRequirementsFile(facts: Facts, steps: readonly PythonStep[], context: BuildContext): void {
  for (const step of steps) {
    if (step.tool !== "pip" || step.kind !== "deps") continue;
    const args = step.words.slice(step.words.indexOf("install") + 1);
    args.forEach((arg, k) => {
      const file = arg === "-r" || arg === "--requirement" ? args[k + 1] : /^--requirement=(.+)$/.exec(arg)?.[1];
      if (file === undefined || file.includes("$") || /^[a-z]+:\/\//.test(file)) return;
      const path = posix.resolve(step.s.cwd, file);
      const missing = missingContextSource(facts, context, path, step.index);
      if (missing === undefined) return;
      const name = posix.basename(file);
      if (facts.body.slice(0, step.index + 1).some((e) => e.run?.segments.some((s) => s !== step.s && s.text.includes(name)))) return;
      const why = missing.ignored ? `the build context's .dockerignore leaves out ${missing.source}, which the COPY would put at ${path}` : `the build context has no ${missing.source} for the COPY to put at ${path}`;
      throw unusable(`line ${facts.body[step.index]!.ins.startLine + 1}: \`${step.s.text}\` cannot run: ${why}, so pip stops with "Could not open requirements file"`);
    });
  }
}

/**
 * Where `path` would come from in the build context: the context paths the COPY steps before `before`
 * put there (latest first; whole-context, directory and file copies), or undefined when a COPY put a
 * context file there or none covers the path.
 */
function missingContextSource(facts: Facts, context: BuildContext, path: string, before: number): { source: string; ignored: boolean } | undefined {
  const ignored = dockerignore(context.read(".dockerignore"));
  const candidates: { source: string; ignored: boolean }[] = [];
  for (let i = before - 1; i >= 0; i--) {
    const copy = facts.body[i]!.copy;
    if (!copy || copy.fromImage || copy.flags["from"] !== undefined) continue;
    const dest = copy.destAbs.replace(/(.)\/$/, "$1");
    const inside = posix.relative(dest, path);
    for (const source of copy.sources) {
      const s = source.replace(/^\.\//, "").replace(/\/$/, "");
      if (/[*?[$]/.test(s)) return undefined;
      const kind = s === "" || s === "." ? "dir" : context.kind(s);
      let candidate: string | undefined;
      if (kind === "dir" && inside !== "" && !inside.startsWith("..")) candidate = s === "" || s === "." ? inside : posix.join(s, inside);
      else if (kind === "file" && (dest === path || posix.join(dest, posix.basename(s)) === path)) candidate = s; // DEST may be a directory without its slash (`COPY requirements.txt /app`)
      if (candidate === undefined) continue;
      const present = context.kind(candidate) !== undefined;
      if (present && !ignored(candidate)) return undefined;
      candidates.push({ source: candidate, ignored: present });
    }
  }
  return candidates[0];
}
