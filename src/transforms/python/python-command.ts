import { osPackagesInstalled } from "../../analysis/os-packages-installed.js";
import { commandWords, osPackageStep } from "../../analysis/commands.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { startCommandWords, startInstruction } from "../../analysis/start-command.js";

/**
 * Rejects (exit 2) a start command that runs `python` on a Debian or Ubuntu image whose only Python
 * is python3: the `python` command comes from Python 2's packages or python-is-python3, so the
 * container cannot start. Not when the build may make the command itself (a link, a virtualenv,
 * a PATH of its own, any python- or python2 package).
 */
export function rejectMissingPythonCommand(facts: Facts): void {
  const image = facts.resolvedImage;
  if (!["debian", "ubuntu"].includes(image.name) || !/^(library\/)?(debian|ubuntu)$/.test(image.repository)) return;
  const words = startCommandWords(facts);
  if (!/^(\/usr\/bin\/)?python$/.test(words[0] ?? "")) return;
  if (facts.variables["PATH"] !== undefined) return;
  const packages = osPackagesInstalled(facts);
  if (!packages.some((p) => /^python3(\.\d+)?([-=]|$)/.test(p)) || packages.some((p) => /^python(2[\d.]*)?([-=]|$)/.test(p))) return;
  if (facts.body.some((e) => e.run && /\bln\b[^\n]*python|update-alternatives|\bvenv\b|virtualenv|\bconda\b|pyenv|deadsnakes|\bmake\b/.test(e.ins.text))) return;
  const { keyword, line } = startInstruction(facts);
  throw unusable(`line ${line}: ${keyword} runs \`python\`, which ${image.raw} does not have: the build installs only python3 (python-is-python3 adds the \`python\` command), so the container cannot start`);
}

/**
 * Rejects (exit 2) `pip install` (the bare `pip` command) on Ubuntu 20.04 and older with only
 * python3-pip: those releases' python3-pip installs `pip3` alone, so the build stops with
 * "pip: not found". Not when an earlier step could make `pip` (a pip upgrade, get-pip.py, a
 * virtualenv, a link, python-pip, a PATH of its own).
 */
export function rejectMissingPipCommand(facts: Facts): void {
  const image = facts.resolvedImage;
  if (image.name !== "ubuntu" || !/^(library\/)?ubuntu$/.test(image.repository) || !/^(14\.04|16\.04|18\.04|20\.04|trusty|xenial|bionic|focal)([-.]|$)/.test(image.tag)) return;
  if (facts.variables["PATH"] !== undefined) return;
  const packages: string[] = [];
  for (const entry of facts.body) {
    for (const segment of entry.run?.segments ?? []) {
      const step = osPackageStep(segment.argv);
      if (step?.action === "install") packages.push(...step.packages);
      if (/\bpip3?\s+install\b[^\n]*\bpip\b|get-pip|\bvenv\b|virtualenv|\bln\b[^\n]*pip|\bensurepip\b/.test(segment.text)) return;
      const words = commandWords(segment.argv);
      if (words[0] !== "pip" || words[1] !== "install") continue;
      if (!packages.some((p) => /^python3-pip([=]|$)/.test(p)) || packages.some((p) => /^python-pip([=]|$)|^python2/.test(p))) return;
      throw unusable(`line ${entry.ins.startLine + 1}: \`${segment.text}\` cannot run: ${image.raw}'s python3-pip installs only the pip3 command, so the build stops with "pip: not found" (use pip3 or python3 -m pip)`);
    }
  }
}
