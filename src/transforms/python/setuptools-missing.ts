import { commandWords, isPipInstall } from "../../analysis/commands.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { imagePython } from "./uv-python.js";

const python = /^python(3(\.\d+)?)?$/;

/**
 * Rejects (exit 2) `python setup.py …` on an official python image of Python 3.12 or later before
 * any pip install (which could bring setuptools): those images ship pip alone (setuptools and wheel
 * left ensurepip with 3.12, python/cpython gh-95299, and the images from 3.12.6 on, docker-library/python#954)
 * and 3.12 removed distutils, so setup.py stops with "No module named 'setuptools'".
 */
export function rejectSetupPyWithoutSetuptools(facts: Facts): void {
  const image = imagePython(facts);
  if (!image || image.major !== 3 || image.minor < 12) return;
  // images built before docker-library/python#954 (August 2024) still had setuptools: 3.12.0 to 3.12.5
  const patch = /^3\.12\.(\d+)/.exec(facts.resolvedImage.tag)?.[1];
  if (patch !== undefined && Number(patch) <= 5) return;
  for (const entry of facts.body) {
    for (const segment of entry.run?.segments ?? []) {
      const words = commandWords(segment.argv);
      // an earlier pip install may bring setuptools (itself, a requirements file naming it, a package depending on it)
      if (isPipInstall(segment.argv)) return;
      if (/\b(easy_install|ensurepip|get-pip)\b/.test(segment.text)) return;
      if (!python.test(words[0]?.split("/").pop() ?? "") || words.slice(1).find((w) => !w.startsWith("-")) !== "setup.py") continue;
      throw unusable(`line ${entry.ins.startLine + 1}: \`${segment.text.trim()}\` cannot run: ${facts.resolvedImage.raw} is ${image.label}, whose official images ship no setuptools (gone since 3.12.6; 3.12 also removed distutils), so setup.py stops with "No module named 'setuptools'" (run pip install setuptools before it, or install the project with pip install .)`);
    }
  }
}
