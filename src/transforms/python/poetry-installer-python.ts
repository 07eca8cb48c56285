import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { imagePythonVersion } from "./uv-python.js";

/**
 * Rejects (exit 2) the official Poetry installer without a version on Python 3.8 or older: the
 * installer takes the newest release whatever the Python (its get_version), and Poetry 2 requires
 * Python 3.9, so its `pip install poetry==2.…` finds no release for the image's Python.
 */
export function rejectUnpinnedPoetryInstallerOnOldPython(facts: Facts): void {
  const python = imagePythonVersion(facts);
  if (!python || python.major !== 3 || python.minor >= 9) return;
  for (const entry of facts.body) {
    if (!entry.run?.segments.some((s) => /install\.python-poetry\.org/.test(s.text))) continue;
    const pinned = /--version[= ]\s*\S/.test(entry.ins.text) || /POETRY_VERSION=/.test(entry.ins.text) || facts.variables["POETRY_VERSION"] !== undefined;
    if (pinned) continue;
    throw unusable(`line ${entry.ins.startLine + 1}: the Poetry installer (install.python-poetry.org) installs the newest Poetry, 2.x, whatever the Python, and Poetry 2 requires Python 3.9 or later, so it cannot install on the image's Python ${python.major}.${python.minor}; pin a 1.x release (ENV POETRY_VERSION=1.8.5)`);
  }
}
