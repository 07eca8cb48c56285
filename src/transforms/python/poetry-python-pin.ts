import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { projectFilePath } from "./project-file.js";
import { tomlTable } from "./toml-table.js";
import type { PythonStep } from "./tools.js";
import { imagePythonVersion } from "./uv-python.js";

/**
 * Rejects (exit 2) `poetry install` when the project pins one exact Python release
 * (`python = "3.10.7"`, `"=3.10.7"`, `"==3.10.7"`) that the image's tag does not pin: a floating `python:3.10` tag is a later
 * patch release today, and Poetry stops before installing ("The currently activated Python version … is not supported
 * by the project"), with or without its own virtualenv.
 */
export function rejectPoetryExactPythonMismatch(facts: Facts, steps: readonly PythonStep[], context: BuildContext): void {
  const install = steps.find((s) => s.tool === "poetry" && s.kind === "deps" && s.words[1] === "install");
  // a third-party image that names its Python in the tag (`tiangolo/uvicorn-gunicorn-fastapi:python3.10`) floats on patches too
  const named = /(?:^|-)python(\d)\.(\d+)(?=$|-)/.exec(facts.resolvedImage.tag);
  const image = imagePythonVersion(facts) ?? (named ? { major: Number(named[1]), minor: Number(named[2]) } : undefined);
  if (!install || !image) return;
  const pyproject = context.read(projectFilePath(facts, context, "pyproject.toml")) ?? "";
  const constraint = /^\s*python\s*=\s*["']([^"']+)["']/m.exec(tomlTable(pyproject, "tool.poetry.dependencies") ?? "")?.[1];
  const exact = /^\s*(?:==?\s*)?(\d+)\.(\d+)\.(\d+)\s*$/.exec(constraint ?? "");
  if (!exact) return;
  const release = `${exact[1]}.${exact[2]}.${exact[3]}`;
  const sameMinor = Number(exact[1]) === image.major && Number(exact[2]) === image.minor;
  if (new RegExp(`^${release.replace(/\./g, "\\.")}(?:[-]|$)`).test(facts.resolvedImage.tag)) return;
  throw unusable(`line ${facts.body[install.index]!.ins.startLine + 1}: \`${install.s.text}\` cannot run: pyproject.toml allows exactly Python ${release} (python = "${constraint}"), and ${facts.resolvedImage.raw} does not pin that release (${sameMinor ? `its Python ${image.major}.${image.minor} is a later patch release today` : `it has Python ${image.major}.${image.minor}`}), so Poetry stops ("The currently activated Python version … is not supported by the project"); use the python:${release} tag or a range such as "~${exact[1]}.${exact[2]}"`);
}
