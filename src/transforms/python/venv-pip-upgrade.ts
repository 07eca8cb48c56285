import { pipInstallArgs } from "../../analysis/commands.js";
import { pipRequirements, requirementName, type PythonStep } from "./tools.js";

const upgradable = new Set(["pip", "setuptools", "wheel"]);
const shellWord = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`);

/**
 * The original's `pip install --upgrade pip setuptools wheel` before its first dependency install
 * upgraded the image's own pip; msb's virtual environment starts with the older pip that venv
 * bundles (which may not read newer wheel tags), so the same upgrade runs inside it when pip is what
 * installs the dependencies (Poetry, Pipenv, uv and PDM bring their own installers).
 */
export function venvPipUpgrade(steps: readonly PythonStep[], firstDeps: PythonStep, venv: string): string | undefined {
  if (firstDeps.tool !== "pip") return undefined;
  const before = (s: PythonStep) => s.index < firstDeps.index || (s.index === firstDeps.index && s.segment < firstDeps.segment);
  const upgrade = steps.filter((s) => s.kind === "config" && s.tool === "pip" && before(s)).find((s) => {
    const args = pipInstallArgs(s.s.argv);
    const names = pipRequirements(args).map(requirementName);
    return names.length > 0 && names.every((n) => upgradable.has(n)) && names.includes("pip") && !args.some((a) => /^(--user|--target|-t|--prefix|--root)$/.test(a));
  });
  return upgrade ? `${venv}/bin/python -m pip install ${pipInstallArgs(upgrade.s.argv).map(shellWord).join(" ")}` : undefined;
}

/**
 * Python 3.7 and older bundle a pip for venv that predates the manylinux2010/2014 wheel tags (3.6:
 * pip 18.1; 3.7.0: pip 10), while the official image upgraded its own pip: the venv's pip is brought
 * to the image's own version, so the same wheels install instead of source builds.
 */
export function venvPipAsImage(venv: string, imagePython = "python3"): string {
  return `${venv}/bin/python -m pip install -q "pip==$(${imagePython} -m pip --version | cut -d' ' -f2)"`;
}
