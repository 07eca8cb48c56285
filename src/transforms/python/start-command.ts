import type { BuildContext } from "../../analysis/context.js";
import { unsupported } from "../../errors.js";
import type { CommandForm } from "../../parser/instruction-text.js";
import { quoteShellWord, tokenize } from "../../parser/shell.js";
import { execForm } from "../common/exec-form.js";
import { tomlTable } from "./toml-table.js";

/** Runner options that take a value in the next word. */
const valueOptions = new Set([
  "--env-file", "--with", "--with-editable", "--with-requirements", "--group", "--only-group", "--no-group", "--extra", "--no-extra",
  "--python", "-p", "--directory", "--project", "-C", "--package", "--index", "--default-index", "--index-url", "-i", "--extra-index-url",
  "--find-links", "-f", "--index-strategy", "--keyring-provider", "--resolution", "--prerelease", "--exclude-newer", "--link-mode",
  "--config-setting", "--config-file", "--cache-dir", "--color", "--refresh-package", "--upgrade-package", "-P", "--reinstall-package",
]);

/**
 * Scripts a runner defines itself (`[tool.pdm.scripts]`): `pdm run start` runs them, not a program on
 * PATH. The string form and a one-line table of only `cmd` (a string or an array of strings), `env`
 * and `help` give a command (`{ cmd = "src/api.py", env = { PYTHONPATH = "src" } }` → `env
 * PYTHONPATH=src src/api.py`); other tables (`{call = …}`, `composite`, `env_file`, …) are recorded
 * without one.
 */
export function toolScripts(pyproject: string | undefined): Map<string, string | undefined> {
  const scripts = new Map<string, string | undefined>();
  if (!pyproject) return scripts;
  const section = /^\[tool\.pdm\.scripts\]\s*$([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(pyproject)?.[1] ?? "";
  for (const line of section.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z0-9_.-]+)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    const value = /^"((?:[^"\\]|\\.)*)"\s*$/.exec(m[2]!)?.[1] ?? /^'([^']*)'\s*$/.exec(m[2]!)?.[1] ?? cmdTable(m[2]!);
    scripts.set(m[1]!, value);
  }
  return scripts;
}

/**
 * Poe the Poet's tasks (`[tool.poe.tasks]`) in a Poetry project: poe runs them through `poetry run`,
 * and the runtime has no Poetry, so a start command `poe ui` runs the task's command itself. A string
 * task or a `cmd` table gives the command; other tasks (`script`, `sequence`, `shell`…) none. Empty
 * outside Poetry projects, where poe runs tasks in the environment it finds.
 */
export function poeTasks(pyproject: string | undefined): Map<string, string | undefined> {
  const tasks = new Map<string, string | undefined>();
  if (!pyproject || tomlTable(pyproject, "tool.poetry") === undefined) return tasks;
  for (const line of (tomlTable(pyproject, "tool.poe.tasks") ?? "").split(/\r?\n/)) {
    const m = /^\s*([A-Za-z0-9_.-]+)\s*=\s*(.*)$/.exec(line);
    if (m) tasks.set(m[1]!, /^"((?:[^"\\]|\\.)*)"\s*$/.exec(m[2]!)?.[1] ?? /^'([^']*)'\s*$/.exec(m[2]!)?.[1] ?? cmdTable(m[2]!));
  }
  for (const header of pyproject.matchAll(/^\[tool\.poe\.tasks\.([A-Za-z0-9_-]+)\]\s*$/gm)) {
    const body = tomlTable(pyproject, `tool.poe.tasks.${header[1]}`) ?? "";
    const keys = [...body.matchAll(/^\s*([A-Za-z_]+)\s*=/gm)].map((k) => k[1]!);
    const cmd = /^\s*cmd\s*=\s*"((?:[^"\\]|\\.)*)"\s*$/m.exec(body)?.[1];
    tasks.set(header[1]!, cmd !== undefined && keys.every((k) => k === "cmd" || k === "help") ? cmd : undefined);
  }
  return tasks;
}

/** A one-line `{ cmd = …, env = { … } }` table as a command, or undefined for any other table. */
function cmdTable(value: string): string | undefined {
  const table = /^\{(.*)\}\s*$/.exec(value.trim())?.[1];
  if (table === undefined) return undefined;
  const envText = /\benv\s*=\s*\{([^}]*)\}/.exec(table)?.[1];
  const rest = table.replace(/\benv\s*=\s*\{[^}]*\}/, "").replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, '""');
  const keys = [...rest.matchAll(/([A-Za-z_]+)\s*=/g)].map((k) => k[1]!);
  if (!keys.includes("cmd") || keys.some((k) => !["cmd", "env", "help"].includes(k))) return undefined;
  const single = /\bcmd\s*=\s*(?:"((?:[^"\\$]|\\.)*)"|'([^'$]*)')/.exec(table);
  const list = /\bcmd\s*=\s*\[([^\]]*)\]/.exec(table)?.[1];
  const words = single ? tokenize(single[1] ?? single[2]!) : list !== undefined ? [...list.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g)].map((w) => quoteShellWord(w[1] ?? w[2]!)) : undefined;
  if (!words || words.length === 0) return undefined;
  const env = [...(envText ?? "").matchAll(/["']?([A-Za-z_]\w*)["']?\s*=\s*"([^"$]*)"/g)].map((e) => `${e[1]}=${quoteShellWord(e[2]!)}`);
  return [...(env.length > 0 ? ["env", ...env] : []), ...words].join(" ");
}

/** Options of poetry, pipenv, uv and pdm that take no value and may come before their command. */
const globalRunnerFlags = /^(-q|--quiet|-n|--no-interaction|--no-ansi|--ansi|-v{1,3}|--verbose|--no-plugins|--no-cache|--offline|--no-progress)$/;

/** pdm's own commands, which a script of the same name does not shadow. */
const pdmCommands = new Set(["add", "build", "cache", "completion", "config", "export", "fix", "import", "info", "init", "install", "list", "lock", "outdated", "publish", "python", "py", "remove", "run", "search", "self", "show", "sync", "update", "use", "venv"]);

/**
 * The words after a tool runner prefix (`poetry run`, `pipenv run`, `uv run --no-dev`, `pdm run`),
 * or undefined when the command does not start with one. The runtime has the environment on PATH
 * and no packaging tool, so the command runs directly.
 */
export function withoutRunner(given: readonly string[], scripts: Map<string, string | undefined> = new Map(), poe: Map<string, string | undefined> = new Map()): { tool: string; rest: string[] } | undefined {
  const tool = given[0]?.split("/").pop() ?? "";
  // the tool's own options before its command (`poetry --quiet run gpt`, `uv -q run app.py`)
  let first = 1;
  while (first < given.length && globalRunnerFlags.test(given[first]!)) first++;
  const words = [given[0]!, ...given.slice(first)];
  if (tool === "poe" && poe.has(words[1] ?? "")) return { tool, rest: [...poeTaskWords(words[1]!, poe), ...words.slice(2)] };
  if (!["poetry", "pipenv", "uv", "pdm"].includes(tool)) return undefined;
  // `pdm start` runs the script `start` as `pdm run start` does, when no pdm command has that name
  if (tool === "pdm" && words[1] !== "run" && words[1] !== undefined && scripts.has(words[1]) && !pdmCommands.has(words[1])) return withoutRunner(["pdm", "run", ...words.slice(1)], scripts, poe);
  if (words[1] !== "run") return undefined;
  let k = 2;
  // `uv run -m scraper` runs a module, `uv run --script tool.py` a file: python does the same in the environment
  let pythonFlag: "-m" | "" | undefined;
  while (k < words.length && words[k]!.startsWith("-")) {
    if (words[k] === "--") {
      k++;
      break;
    }
    if (tool === "uv" && (words[k] === "-m" || words[k] === "--module")) pythonFlag = "-m";
    else if (tool === "uv" && (words[k] === "-s" || words[k] === "--script")) pythonFlag = "";
    k += valueOptions.has(words[k]!) ? 2 : 1;
  }
  // an ENTRYPOINT of the runner and its options alone: the program comes from CMD or compose's command
  if (k >= words.length) return { tool, rest: pythonFlag === "-m" ? ["python", "-m"] : pythonFlag === "" ? ["python"] : [] };
  const rest = words.slice(k);
  if (pythonFlag !== undefined) return { tool, rest: ["python", ...(pythonFlag ? [pythonFlag] : []), ...rest] };
  if (tool === "pdm" && scripts.has(rest[0]!)) {
    const command = scripts.get(rest[0]!);
    if (command === undefined) throw unsupported(`the start command runs the PDM script "${rest[0]}", which is not a plain command; msb cannot run it without PDM in the runtime`);
    // PDM expands $VARIABLES in a script; exec form would not: a shell does it at start
    if (/\$/.test(command)) return { tool, rest: ["sh", "-c", `exec ${command}${rest.length > 1 ? ` ${rest.slice(1).map(quoteShellWord).join(" ")}` : ""}`] };
    return { tool, rest: [...tokenize(pdmScriptText(command)), ...rest.slice(1)] };
  }
  if (runsScriptWithPython(tool, rest[0]!)) return { tool, rest: ["python", ...rest] };
  if (rest[0] === "poe" && poe.has(rest[1] ?? "")) return { tool, rest: [...poeTaskWords(rest[1]!, poe), ...rest.slice(2)] };
  return { tool, rest };
}

/** A poe task's command; a task that is not a plain command cannot run without Poetry. */
function poeTaskCommand(task: string, poe: Map<string, string | undefined>): string {
  const command = poe.get(task);
  if (command === undefined) throw unsupported(`the start command runs the poe task "${task}", which is not a plain command; poethepoet runs a Poetry project's tasks through Poetry, which the runtime does not have`);
  return command;
}

/** A poe task's command as exec-form words. */
function poeTaskWords(task: string, poe: Map<string, string | undefined>): string[] {
  const command = poeTaskCommand(task, poe);
  // poe expands $VARIABLES in a task; exec form would not: a shell does it at start
  return /\$/.test(command) ? ["sh", "-c", `exec ${command}`] : tokenize(command);
}

/** The start instruction without the runner prefix, or undefined when it has none. */
export function startWithoutRunner(keyword: "CMD" | "ENTRYPOINT", form: CommandForm, scripts: Map<string, string | undefined> = new Map(), poe: Map<string, string | undefined> = new Map()): { text: string; tool: string } | undefined {
  if (form.form === "exec") {
    // ["bash", "-c", "poetry run python app.py"]: the runner is inside the shell's script
    const [shell, flag, script, ...rest] = form.argv;
    if (/^(\S*\/)?(sh|bash|ash|dash)$/.test(shell ?? "") && flag === "-c" && script !== undefined) {
      const stripped = shellWithoutRunner(script, scripts, poe);
      return stripped ? { text: `${keyword} ${execForm([shell!, flag, stripped.text, ...rest])}`, tool: stripped.tool } : undefined;
    }
    const stripped = withoutRunner(form.argv, scripts, poe);
    if (stripped?.rest.length === 0 && keyword !== "ENTRYPOINT") return undefined;
    return stripped ? { text: `${keyword} ${execForm(stripped.rest)}`, tool: stripped.tool } : undefined;
  }
  if (form.form !== "shell") return undefined;
  const stripped = shellWithoutRunner(form.shell, scripts, poe);
  return stripped ? { text: `${keyword} ${stripped.text}`, tool: stripped.tool } : undefined;
}

/** A PDM script's command; a script file it names (`env PYTHONPATH=src src/api.py`) runs with the environment's Python, as with `pdm run src/api.py`. */
function pdmScriptText(command: string): string {
  const words = tokenize(command);
  const program = words[0] === "env" ? words.findIndex((w, i) => i > 0 && !/^\w+=/.test(w)) : 0;
  if (program < 0 || !runsScriptWithPython("pdm", words[program]!)) return command;
  return command.replace(/^(\s*(?:env\s+(?:\w+=\S*\s+)*)?)/, "$1python ");
}

/** `uv run app.py` and `pdm run src/server.py` run a script file with the environment's Python, whatever its mode or first line. */
function runsScriptWithPython(tool: string, program: string): boolean {
  return (tool === "uv" || tool === "pdm") && /\.pyw?$/.test(program);
}

/** A shell script whose commands (at its start, after `exec`, `&&`, `||` or `;`) start without the runner. */
function shellWithoutRunner(script: string, scripts: Map<string, string | undefined>, poe: Map<string, string | undefined>): { text: string; tool: string } | undefined {
  const runner = /(^|&&|\|\||;)(\s*(?:exec\s+)?)(?:\S*\/)?(poetry|pipenv|uv|pdm)\s+run\s+((?:-\S+\s+)*)([^\s;&|]+)/g;
  let tool: string | undefined;
  let unsafe = false;
  const text = script.replace(runner, (whole, separator: string, lead: string, name: string, optionText: string, first: string) => {
    const options = optionText.trim().split(/\s+/).filter(Boolean);
    if (options.some((o) => valueOptions.has(o))) {
      unsafe = true;
      return whole;
    }
    tool ??= name;
    if (name === "uv" && options.some((o) => ["-m", "--module", "-s", "--script"].includes(o))) return `${separator}${lead}python ${options.some((o) => o === "-m" || o === "--module") ? "-m " : ""}${first}`;
    if (name === "pdm" && scripts.has(first)) {
      const command = scripts.get(first);
      if (command === undefined) throw unsupported(`the start command runs the PDM script "${first}", which is not a plain command; msb cannot run it without PDM in the runtime`);
      return `${separator}${lead}${pdmScriptText(command)}`;
    }
    return `${separator}${lead}${runsScriptWithPython(name, first) ? `python ${first}` : first}`;
  });
  if (unsafe) return undefined;
  // `poe ui`, with or without a runner before it: the task's command (a shell expands its $VARIABLES as poe would)
  const tasks = text.replace(/(^|&&|\|\||;)(\s*(?:exec\s+)?)poe\s+([A-Za-z0-9_.-]+)/g, (whole, separator: string, lead: string, task: string) => {
    if (!poe.has(task)) return whole;
    tool ??= "poe";
    return `${separator}${lead}${poeTaskCommand(task, poe)}`;
  });
  return tool ? { text: tasks, tool } : undefined;
}

/**
 * The program a `uv run` / `poetry run` / `pipenv run` / `pdm run` start command names when nothing
 * evidently provides it: not a console script of the project, not a file of the context, not a
 * dependency's own name (uvicorn, gunicorn), not python. Such a start fails in the original too.
 */
export function unprovidedRunnerProgram(argv: readonly string[], pyproject: string | undefined, context: BuildContext): string | undefined {
  const at = argv.findIndex((w, i) => /(^|\/)(poetry|pipenv|uv|pdm)$/.test(w) && argv[i + 1] === "run");
  if (at < 0) return undefined;
  const program = argv.slice(at + 2).find((w) => !w.startsWith("-"));
  if (program === undefined || !/^[A-Za-z][\w.-]*$/.test(program) || /^python[\d.]*$/.test(program)) return undefined;
  const normalize = (name: string) => name.toLowerCase().replace(/[-_.]+/g, "-");
  const text = pyproject ?? "";
  const scripts = ["project.scripts", "project.gui-scripts", "tool.poetry.scripts", "tool.pdm.scripts"].flatMap((table) => [...(tomlTable(text, table) ?? "").matchAll(/^\s*["']?([\w.-]+)["']?\s*=/gm)].map((s) => normalize(s[1]!)));
  if (scripts.includes(normalize(program))) return undefined;
  if (context.kind(program) !== undefined) return undefined;
  // a dependency of that name (uvicorn, gunicorn) installs a console script of that name
  const manifests = [text, context.read("Pipfile") ?? "", context.read("uv.lock") ?? "", context.read("poetry.lock") ?? "", context.read("pdm.lock") ?? ""].join("\n").toLowerCase().replace(/[-_.]+/g, "-");
  const named = new RegExp(`(^|["'\\s\\[,])${normalize(program).replace(/-/g, "\\-")}(?=$|["'\\s=<>~!;\\[,^])`, "m");
  return named.test(manifests) ? undefined : program;
}
