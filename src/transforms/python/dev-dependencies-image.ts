import { composeCheckoutMountAt } from "../../analysis/compose.js";
import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unsupported } from "../../errors.js";
import type { PythonStep } from "./tools.js";

/** Whether an install asks for the development dependencies by name: `pipenv install --dev`, `poetry install --with dev`, `pip install -r requirements-dev.txt`. */
export function installsDevDependencies(step: PythonStep): boolean {
  if (step.kind !== "deps") return false;
  const words = step.words;
  const valueOf = (flag: string) => words.flatMap((w, k) => (w === flag ? [words[k + 1] ?? ""] : w.startsWith(`${flag}=`) ? [w.slice(flag.length + 1)] : []));
  const devGroup = (v: string) => /(^|,)\s*(dev|develop|development|test|tests)\s*(,|$)/.test(v);
  switch (step.tool) {
    case "pipenv":
      return words.includes("--dev") || words.includes("-d") || valueOf("--categories").some((v) => /dev/.test(v));
    case "poetry":
      return valueOf("--with").some(devGroup) || words.includes("--all-groups");
    case "pdm":
      return words.includes("--dev") || words.includes("-d") || valueOf("-G").some(devGroup) || valueOf("--group").some(devGroup);
    case "uv":
      return words.includes("--dev") || words.includes("--all-groups") || valueOf("--group").some(devGroup);
    case "pip":
      return [...valueOf("-r"), ...valueOf("--requirement")].some((file) => /(^|[/_-])(dev|test)s?([._-]|$)|(^|\/)(dev|test)[^/]*\.txt$/i.test(file));
  }
}

/**
 * Refuses (exit 3) a development image: an install that asks for the development dependencies in an
 * image whose compose service bind-mounts the sources (the context's top level) over the directory the
 * install ran in. The image is a workbench for the mounted tree; a production runtime without the
 * dev tools, run by a user the host tree does not belong to, is not what it is used as.
 */
export function refuseDevDependenciesImage(facts: Facts, steps: readonly PythonStep[], context: BuildContext): void {
  const dev = steps.find(installsDevDependencies);
  if (!dev) return;
  const mount = composeCheckoutMountAt(context, dev.s.cwd);
  if (!mount) return;
  throw unsupported(`development image: line ${facts.body[dev.index]!.ins.startLine + 1} installs the development dependencies (\`${dev.s.text}\`) and ${mount.file} line ${mount.line} bind-mounts the sources over ${mount.target}; msb converts production images only`);
}
