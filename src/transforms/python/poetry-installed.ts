import { pipInstallArgs } from "../../analysis/commands.js";
import type { Facts } from "../../analysis/facts.js";
import { pinnedVersion, pipRequirements, requirementName, type PythonStep } from "./tools.js";
import { imagePythonVersion } from "./uv-python.js";

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
    for (const spec of pipRequirements(pipInstallArgs(step.words))) {
      if (requirementName(spec) !== "poetry") continue;
      const resolved = spec.replace(/\$\{?POETRY_VERSION\}?/, facts.variables["POETRY_VERSION"] ?? "$POETRY_VERSION");
      const pinned = pinnedVersion(resolved);
      if (pinned) return /^\d/.test(pinned) ? Number(pinned.split(".")[0]) : undefined;
      // no upper bound (`poetry`, `poetry>=1.8`): pip takes the newest
      if (/^poetry(\[[^\]]*\])?(\s*>=?\s*[\d.]+)?$/i.test(resolved)) return newest;
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

/** `poetry==X.Y.Z` for Poetry installed by its official installer at a pinned version (POETRY_VERSION, --version). */
export function installerPoetrySpec(facts: Facts): string | undefined {
  const entry = facts.body.find((e) => e.run?.segments.some((s) => /install\.python-poetry\.org/.test(s.text)));
  if (!entry) return undefined;
  const version = /--version[= ]\s*([0-9][^\s]*)/.exec(entry.ins.text)?.[1] ?? /POETRY_VERSION=["']?([0-9][^\s"']*)/.exec(entry.ins.text)?.[1] ?? facts.variables["POETRY_VERSION"];
  return version !== undefined && /^\d+(\.\d+)*$/.test(version) ? `poetry==${version}` : undefined;
}

/** Whether the build adds poetry-plugin-export (beside Poetry in its pip install, or `poetry self add`). */
export function installsExportPlugin(facts: Facts, steps: PythonStep[]): boolean {
  const inInstall = steps.some((s) => s.kind === "tool-install" && pipRequirements(pipInstallArgs(s.words)).some((spec) => requirementName(spec) === "poetry-plugin-export"));
  return inInstall || facts.body.some((e) => /poetry\s+self\s+add\b[^\n]*poetry-plugin-export|pipx\s+inject\s+poetry\s+[^\n]*poetry-plugin-export/.test(e.ins.text));
}
