import type { BuildContext } from "../../analysis/context.js";
import { dockerignore } from "../../analysis/dockerignore.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { copiedBefore } from "../../analysis/copied-before.js";
import { pipInstallArgs } from "../../analysis/commands.js";
import type { PythonStep } from "./tools.js";
import { tomlTable } from "./toml-table.js";

/** Quoted strings of a TOML value (`["src", "lib"]`, `{"" = "src"}` gives "", "src"). */
const strings = (value: string | undefined) => [...(value ?? "").matchAll(/"([^"]*)"|'([^']*)'/g)].map((m) => m[1] ?? m[2] ?? "");

/**
 * The directories a setuptools pyproject build needs to exist: `packages.find`'s `where`, the root
 * of `package-dir`, or the packages it lists one by one, with what setuptools says when one is missing.
 */
function requiredDirectories(pyproject: string): { dir: string; error: string }[] {
  if (!/^\s*build-backend\s*=\s*["']setuptools\.build_meta["']/m.test(tomlTable(pyproject, "build-system") ?? "")) return [];
  const where = strings(/^\s*where\s*=\s*(\[[^\]]*\])/m.exec(tomlTable(pyproject, "tool.setuptools.packages.find") ?? "")?.[1]);
  const tool = tomlTable(pyproject, "tool.setuptools") ?? "";
  const packageDir = /^\s*package-dir\s*=\s*(\{[^}]*\})/m.exec(tool)?.[1];
  const root = packageDir ? /["']{2}\s*=\s*["']([^"']+)["']/.exec(packageDir)?.[1] : undefined;
  const eggBase = (dir: string) => `error in 'egg_base' option: '${dir}' does not exist or is not a directory`;
  const found = where.filter((d) => d !== "." && d !== "").map((dir) => ({ dir, error: eggBase(dir) }));
  if (root !== undefined && root !== ".") found.push({ dir: root, error: eggBase(root) });
  const listed = /^\s*packages\s*=\s*(\[[^\]]*\])/m.exec(tool)?.[1];
  if (listed && root === undefined) for (const name of strings(listed)) found.push({ dir: name.replace(/\./g, "/"), error: `package directory '${name.replace(/\./g, "/")}' does not exist` });
  return found;
}

/**
 * Rejects (exit 2) `pip install .` of a setuptools pyproject before the directories it names are in
 * the image: with only pyproject.toml copied, `where = ["src"]` makes setuptools stop with "error in
 * 'egg_base' option: 'src' does not exist or is not a directory", a listed package with "package
 * directory 'x' does not exist". Judged only where every earlier copy into the directory is understood.
 */
export function rejectSetuptoolsPackageDirsMissing(facts: Facts, steps: readonly PythonStep[], context: BuildContext): void {
  const pyproject = context.read("pyproject.toml");
  if (pyproject === undefined) return;
  const required = requiredDirectories(pyproject);
  if (required.length === 0) return;
  const ignored = dockerignore(context.read(".dockerignore"));
  for (const step of steps) {
    if (step.tool !== "pip" || step.kind !== "deps" || !pipInstallArgs(step.words).some((w) => w === "." || w === "./")) continue;
    const copied = copiedBefore(facts, context, step.index, step.s.cwd);
    if (!copied || !(copied.wholeContext || copied.files.has("pyproject.toml"))) continue;
    const missing = required.find(({ dir }) => !(copied.wholeContext && context.kind(dir) === "dir" && !ignored(dir)));
    if (!missing) continue;
    const why = copied.wholeContext ? `the build context has no ${missing.dir}/` : `no earlier step copies ${missing.dir}/ into ${step.s.cwd}`;
    throw unusable(`line ${facts.body[step.index]!.ins.startLine + 1}: \`${step.s.text}\` cannot run: pyproject.toml builds with setuptools from ${missing.dir}/, and ${why}, so the build stops with "${missing.error}" (copy the sources before the install)`);
  }
}
