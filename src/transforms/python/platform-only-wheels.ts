import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import type { Pins } from "./pip-inputs.js";
import { projectFilePath } from "./project-file.js";
import type { PythonStep } from "./tools.js";

/** Distributions PyPI has only as Windows or macOS wheels, in every release: no sdist, no Linux wheel. */
const platformOnly: Record<string, string> = { pywin32: "Windows", "python-magic-bin": "Windows and macOS" };

const lockfiles: Partial<Record<PythonStep["tool"], { file: string; stops: (name: string) => string; mainGroups: RegExp }>> = {
  pdm: { file: "pdm.lock", stops: (name) => `PDM stops with "No candidate is found for ${name}"`, mainGroups: /"default"/ },
  poetry: { file: "poetry.lock", stops: (name) => `Poetry stops with "Unable to find installation candidates for ${name}"`, mainGroups: /"main"/ },
};

const nonLinuxWheel = /-(win32|win_amd64|win_arm64|macosx_[\w.]+)\.whl$/;

/**
 * Rejects (exit 2) an install that takes, with no environment marker leaving it out on Linux, a
 * distribution published only as Windows or macOS wheels (pywin32 from a `pip freeze` made on Windows,
 * python-magic-bin): the installer finds no file it can use on Linux and stops. Judged from the pip
 * requirements read, and from a PDM or Poetry lock's own file list for each main-group package (in the
 * lock formats that record a package's groups and marker with it).
 */
export function rejectPlatformOnlyWheels(facts: Facts, steps: readonly PythonStep[], pins: Pins | undefined, context: BuildContext): void {
  const pip = steps.find((s) => s.kind === "deps" && s.tool === "pip");
  for (const [name, platforms] of Object.entries(platformOnly)) {
    const spec = pins?.get(name)?.find((s) => !s.includes(";"));
    if (spec === undefined || !pip) continue;
    throw unusable(`line ${facts.body[pip.index]!.ins.startLine + 1}: \`${pip.s.text.trim()}\` cannot run: it installs "${spec}", which PyPI has only as ${platforms} wheels (no source distribution, no Linux wheel), so pip stops with "No matching distribution found for ${spec}" (add ; sys_platform == "win32" to the requirement, or remove it)`);
  }
  const install = steps.find((s) => s.kind === "deps" && lockfiles[s.tool] !== undefined && /^(install|sync)$/.test(s.words[1] ?? ""));
  const lock = install && lockfiles[install.tool];
  if (!install || !lock) return;
  const text = context.read(projectFilePath(facts, context, lock.file));
  for (const block of text?.split(/^\[\[package\]\]$/m).slice(1) ?? []) {
    const name = /^name = "([^"]+)"/m.exec(block)?.[1];
    const groups = /^groups = (\[.*\])/m.exec(block)?.[1];
    // only locks that record groups per package (Poetry 2's lock-version 2.1, PDM's static locks) record its marker there too
    if (name === undefined || groups === undefined || !lock.mainGroups.test(groups) || /^markers? = /m.test(block)) continue;
    const files = [...(/^files = \[([\s\S]*?)^\]/m.exec(block)?.[1] ?? "").matchAll(/file = "([^"]+)"/g)].map((m) => m[1]!);
    if (files.length === 0 || !files.every((f) => nonLinuxWheel.test(f))) continue;
    const version = /^version = "([^"]+)"/m.exec(block)?.[1] ?? "";
    throw unusable(`line ${facts.body[install.index]!.ins.startLine + 1}: \`${install.s.text.trim()}\` cannot run: ${lock.file} locks ${name} ${version}, whose files are only Windows or macOS wheels (no source distribution, no Linux wheel), with no marker that leaves it out on Linux, so ${lock.stops(name)} (give it a marker such as sys_platform == "win32" and lock again, or depend on a package that supports Linux)`);
  }
}
