import { commandWords, isPipInstall, pipInstallArgs } from "../../analysis/commands.js";
import type { ClassifiedSegment, Facts } from "../../analysis/facts.js";
import type { BuildContext } from "../../analysis/context.js";
import { requirementFileLines } from "./requirement-files.js";

/** The packaging tools msb recognises in RUN steps. */
export type PythonTool = "pip" | "poetry" | "pipenv" | "uv" | "pdm";

export type PythonStepKind =
  /** Installs a packaging tool itself (`pip install poetry==1.8.3`): build stage only. */
  | "tool-install"
  /** Installs the project's dependencies or the project (into the environment the runtime gets). */
  | "deps"
  /** Configures or upgrades a tool (`poetry config virtualenvs.create false`, `pip install -U pip`). */
  | "config"
  /** Creates a virtual environment of the original's own. */
  | "venv";

export interface PythonStep {
  index: number;
  segment: number;
  s: ClassifiedSegment;
  words: string[];
  tool: PythonTool;
  kind: PythonStepKind;
}

/** Packages that are packaging tools, never application dependencies. */
export const packagingTools: Record<string, PythonTool> = { poetry: "poetry", pipenv: "pipenv", uv: "uv", pdm: "pdm" };
const toolCompanions = new Set(["poetry-plugin-export", "poetry-plugin-bundle", "poetry-dynamic-versioning", "pip", "setuptools", "wheel", "virtualenv", "pip-tools", "pipx"]);
/** pip options that take a value as the next word. */
const pipValueOptions = new Set(["-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url", "--extra-index-url", "-f", "--find-links", "-t", "--target", "--prefix", "--root", "--trusted-host", "--platform", "--python-version", "--implementation", "--abi", "--only-binary", "--no-binary", "--progress-bar", "--cache-dir", "--src", "--upgrade-strategy", "-C", "--config-settings", "--global-option", "--install-option", "--python", "--log", "--timeout", "--retries", "--proxy", "--cert", "--client-cert", "--exists-action"]);

/** Requirement words of a pip install (package specs), without options and their values. */
export function pipRequirements(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let k = 0; k < args.length; k++) {
    const a = args[k]!;
    if (pipValueOptions.has(a)) k++;
    else if (!a.startsWith("-")) out.push(a);
  }
  return out;
}

/** The distribution name of a requirement spec (`poetry[plugin]==1.8.3` → `poetry`). */
export function requirementName(spec: string): string {
  return (spec.split(/[^A-Za-z0-9_.-]/)[0] ?? "").toLowerCase().replace(/_/g, "-");
}

/** The version a requirement pins with `==`, if any. */
export function pinnedVersion(spec: string): string | undefined {
  return /==\s*([0-9][^,;\s]*)/.exec(spec)?.[1];
}

export function pythonCommand(words: readonly string[]): readonly string[] {
  // `python -m poetry …`, `python3 -m uv …` run the tool like its script
  if (/^python[0-9.]*$/.test(words[0]?.split("/").pop() ?? "") && words[1] === "-m" && words[2] && packagingTools[words[2]]) return words.slice(2);
  return words;
}

/** Recognises the Python packaging steps of the original's RUN instructions, in order. */
export function pythonSteps(facts: Facts): PythonStep[] {
  const steps: PythonStep[] = [];
  facts.body.forEach((entry, index) => {
    (entry.run?.segments ?? []).forEach((s, segment) => {
      const words = commandWords(s.argv);
      const base = { index, segment, s, words };
      if (isPipInstall(words)) {
        const args = pipInstallArgs(words);
        const names = pipRequirements(args).map(requirementName);
        // `pip install --upgrade pip -r requirements.txt` installs the project's dependencies too
        const readsRequirements = args.some((a) => ["-r", "--requirement", "-e", "--editable"].includes(a) || /^(-r.|--requirement=|--editable=)/.test(a));
        const isTool = !readsRequirements && names.length > 0 && names.some((n) => packagingTools[n]) && names.every((n) => packagingTools[n] || toolCompanions.has(n));
        const selfUpgrade = !readsRequirements && names.length > 0 && names.every((n) => n === "pip" || n === "setuptools" || n === "wheel");
        steps.push({ ...base, tool: "pip", kind: isTool ? "tool-install" : selfUpgrade ? "config" : "deps" });
        return;
      }
      // setup.py install/develop installs into the environment of the python that runs it, like pip install .
      if (/^python[0-9.]*$/.test(words[0]?.split("/").pop() ?? "") && /(^|\/)setup\.py$/.test(words[1] ?? "") && (words[2] === "install" || words[2] === "develop")) {
        steps.push({ ...base, tool: "pip", kind: "deps" });
        return;
      }
      if (words[0] === "pipx" && words[1] === "install" && packagingTools[requirementName(words[2] ?? "")]) {
        steps.push({ ...base, tool: "pip", kind: "tool-install" });
        return;
      }
      if (/^python[0-9.]*$/.test(words[0]?.split("/").pop() ?? "") && words[1] === "-m" && (words[2] === "venv" || words[2] === "virtualenv")) {
        steps.push({ ...base, tool: "pip", kind: "venv" });
        return;
      }
      if (words[0] === "virtualenv") {
        steps.push({ ...base, tool: "pip", kind: "venv" });
        return;
      }
      const w = pythonCommand(words);
      const tool = packagingTools[w[0]?.split("/").pop() ?? ""];
      if (!tool) return;
      const sub = w[1];
      if (tool === "poetry" && (sub === "install" || sub === "sync")) steps.push({ ...base, tool, kind: "deps" });
      else if (tool === "poetry" && sub === "config") steps.push({ ...base, tool, kind: "config" });
      else if (tool === "pipenv" && (sub === "install" || sub === "sync")) steps.push({ ...base, tool, kind: "deps" });
      else if (tool === "uv" && (sub === "sync" || (sub === "pip" && (w[2] === "install" || w[2] === "sync")))) steps.push({ ...base, tool, kind: "deps" });
      else if (tool === "uv" && sub === "venv") steps.push({ ...base, tool, kind: "venv" });
      else if (tool === "pdm" && (sub === "install" || sub === "sync")) steps.push({ ...base, tool, kind: "deps" });
      else if (tool === "pdm" && sub === "config") steps.push({ ...base, tool, kind: "config" });
    });
  });
  return steps;
}

/** Whether the words name conda or mamba, which msb does not convert. */
export function isCondaCommand(words: readonly string[]): boolean {
  return ["conda", "mamba", "micromamba"].includes(words[0]?.split("/").pop() ?? "");
}

/** The versions a dependency step pins `name` to: in the pip command, the requirement files it reads, Pipfile.lock or poetry.lock. */
export function requirementPins(facts: Facts, step: PythonStep, context: BuildContext, name: string): { version: string; where: string }[] {
  const out: { version: string; where: string }[] = [];
  const fromSpec = (spec: string, where: string) => {
    if (requirementName(spec) !== name) return;
    const version = pinnedVersion(spec);
    if (version) out.push({ version, where });
  };
  if (step.tool === "pip" && step.words.includes("install")) {
    const args = step.words.slice(step.words.indexOf("install") + 1);
    for (const spec of pipRequirements(args)) fromSpec(spec, "the pip command");
    for (const { spec, file } of requirementFileLines(facts, step, context).lines) fromSpec(spec, file);
  }
  if (step.tool === "pipenv") {
    const version = new RegExp(`"${name}"\\s*:\\s*\\{[^}]*"version"\\s*:\\s*"==([^"]+)"`, "i").exec(context.read("Pipfile.lock") ?? "")?.[1];
    if (version) out.push({ version, where: "Pipfile.lock" });
  }
  if (step.tool === "poetry") {
    const version = new RegExp(`^name\\s*=\\s*"${name}"\\s*\\r?\\nversion\\s*=\\s*"([^"]+)"`, "im").exec(context.read("poetry.lock") ?? "")?.[1];
    if (version) out.push({ version, where: "poetry.lock" });
  }
  return out;
}
