import { posix } from "node:path";
import type { BuildContext } from "../../analysis/context.js";
import { contextFileAt } from "../../analysis/copied-file.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { requirementName, type PythonStep } from "./tools.js";
import { heldBelow } from "./version-bounds.js";
import { imagePythonVersion } from "./uv-python.js";

/** Distributions whose newest sdist stops in its setup.py on an older Python, and from which release on. */
const newestRefuses: { name: string; below: number; from: string }[] = [
  // lxml 6.0's setup.py: "This lxml version requires Python 3.8 or later." then sys.exit(1)
  { name: "lxml", below: 8, from: "6.0" },
];

/** install_requires of a setup.py, and where they are written: its list of literals, or the requirements file it reads (`open('requirements.txt')`). */
function installRequires(setupPy: string, path: string, context: BuildContext): { specs: string[]; where: string } {
  const requirementsFile = /\bopen\(\s*(?:os\.path\.join\([^)]*?)?["']([\w./-]*requirements[\w.-]*\.txt)["']/.exec(setupPy)?.[1];
  if (requirementsFile) {
    const file = posix.join(posix.dirname(path), requirementsFile);
    const lines = context.read(file)?.split(/\r?\n/) ?? [];
    return { specs: lines.map((l) => l.replace(/(^|\s)#.*$/, "").trim()).filter((l) => l !== "" && !l.startsWith("-")), where: `${path} (from ${file})` };
  }
  const list = /\binstall_requires\s*=\s*\[([^\]]*)\]/.exec(setupPy)?.[1] ?? "";
  return { specs: [...list.matchAll(/["']([^"']+)["']/g)].map((m) => m[1]!.trim()), where: path };
}

/**
 * Rejects (exit 2) `python setup.py install` on a Python older than a dependency's newest release needs:
 * setup.py install resolves install_requires with setuptools' easy_install, which never reads an index's
 * Requires-Python (setuptools/package_index.py has no such check), so it takes the newest release even
 * where pip would take an older one, and that release's setup.py stops the build.
 */
export function rejectSetupPyInstallOfTooNewDependency(facts: Facts, steps: readonly PythonStep[], context: BuildContext): void {
  const python = imagePythonVersion(facts);
  if (!python || python.major !== 3) return;
  for (const step of steps) {
    if (step.kind !== "deps" || !/(^|\/)setup\.py$/.test(step.words[1] ?? "") || step.words[2] !== "install") continue;
    const file = contextFileAt(facts, context, posix.resolve(step.s.cwd, step.words[1]!));
    const text = file === undefined ? undefined : context.read(file);
    if (file === undefined || text === undefined) continue;
    const requires = installRequires(text, file, context);
    for (const dependency of newestRefuses) {
      const specs = requires.specs.filter((spec) => requirementName(spec) === dependency.name);
      if (python.minor >= dependency.below || specs.length === 0 || heldBelow(specs, dependency.from)) continue;
      throw unusable(`line ${facts.body[step.index]!.ins.startLine + 1}: \`${step.s.text.trim()}\` cannot build: setup.py install fetches the install_requires of ${requires.where} with easy_install, which ignores Requires-Python and takes the newest ${dependency.name} (${dependency.from} or later), whose setup.py stops on Python ${python.major}.${python.minor} (it needs 3.${dependency.below}); install the project with pip instead (\`pip install .\`, which honours Requires-Python)`);
    }
  }
}
