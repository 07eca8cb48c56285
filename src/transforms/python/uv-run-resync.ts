import type { Facts } from "../../analysis/facts.js";
import type { BuildContext } from "../../analysis/context.js";
import { projectFilePath } from "./project-file.js";
import { tomlTable } from "./toml-table.js";
import type { PythonStep } from "./tools.js";
import { startCommandWords } from "../../analysis/start-command.js";

/** Flags that keep the project itself out of a sync: `uv run` installs it at start all the same. */
const projectExcluded = /\s--no-install-(project|workspace)\b/g;

/**
 * `uv run` syncs the project before it starts the program, so sources copied after the image's last
 * `uv sync` (an editable package built before its code arrived, or a sync with --no-install-project)
 * are installed when the original container starts. The runtime starts the program without uv: the
 * build stage syncs once more after the last COPY, as msb runs the sync itself (dev groups left out), so the copied
 * environment is the one `uv run` would have made. Undefined when nothing is copied after the sync,
 * the project is not a package (no build system), the start command does not sync (`--no-sync`, `UV_NO_SYNC`),
 * or a `.python-version` comes with the sources (that sync would want another Python; msb warns instead).
 */
export function uvResyncAfterSources(facts: Facts, steps: readonly PythonStep[], context: BuildContext, textOf: (step: PythonStep) => string): { at: number; text: string; line: number } | undefined {
  // a project without a build system is not installed: its sources are found where they are copied
  const pyproject = context.read(projectFilePath(facts, context, "pyproject.toml")) ?? "";
  if (!/^\[build-system\]/m.test(pyproject) && !/^\s*package\s*=\s*true/m.test(tomlTable(pyproject, "tool.uv") ?? "")) return undefined;
  const words = startCommandWords(facts);
  if (words[0]?.split("/").pop() !== "uv" || words[1] !== "run" || words.includes("--no-sync") || facts.variables["UV_NO_SYNC"] !== undefined) return undefined;
  const lastSync = steps.filter((s) => s.tool === "uv" && s.words[1] === "sync").at(-1);
  if (!lastSync) return undefined;
  const copies = facts.body.flatMap((e, i) => (i > lastSync.index && e.copy !== undefined && !e.copy.fromImage ? [i] : []));
  const lastCopy = copies.at(-1) ?? -1;
  if (lastCopy < 0) return undefined;
  // a .python-version arriving with the sources asks uv for another Python, which the build does not download
  const laterCopies = copies.map((i) => facts.body[i]!.copy!.sources.map((src) => src.replace(/^\.\//, "").replace(/\/$/, "")));
  if (context.kind(".python-version") === "file" && laterCopies.some((sources) => sources.some((src) => src === "." || src === "" || src === ".python-version" || /[*?[]/.test(src)))) return undefined;
  const sync = textOf(lastSync).replace(projectExcluded, "").trim();
  const cwd = lastSync.s.cwd;
  return { at: lastCopy + 1, text: `RUN ${cwd === facts.body[lastCopy]!.workdir ? sync : `cd ${cwd} && ${sync}`}`, line: facts.body[lastCopy]!.ins.startLine + 1 };
}
