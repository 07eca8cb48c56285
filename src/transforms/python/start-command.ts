import type { CommandForm } from "../../parser/instruction-text.js";
import { execForm } from "../common/exec-form.js";

/** Runner options that take a value in the next word. */
const valueOptions = new Set(["--env-file", "--with", "--group", "--extra", "--python", "-p", "--directory", "--project", "-C", "--package"]);

/**
 * The words after a tool runner prefix (`poetry run`, `pipenv run`, `uv run --no-dev`, `pdm run`),
 * or undefined when the command does not start with one. The runtime has the environment on PATH
 * and no packaging tool, so the command runs directly.
 */
export function withoutRunner(words: readonly string[]): { tool: string; rest: string[] } | undefined {
  const tool = words[0]?.split("/").pop() ?? "";
  if (!["poetry", "pipenv", "uv", "pdm"].includes(tool) || words[1] !== "run") return undefined;
  let k = 2;
  while (k < words.length && words[k]!.startsWith("-")) {
    if (words[k] === "--") {
      k++;
      break;
    }
    k += valueOptions.has(words[k]!) ? 2 : 1;
  }
  return k < words.length ? { tool, rest: words.slice(k) } : undefined;
}

/** The start instruction without the runner prefix, or undefined when it has none. */
export function startWithoutRunner(keyword: "CMD" | "ENTRYPOINT", form: CommandForm): { text: string; tool: string } | undefined {
  if (form.form === "exec") {
    const stripped = withoutRunner(form.argv);
    return stripped ? { text: `${keyword} ${execForm(stripped.rest)}`, tool: stripped.tool } : undefined;
  }
  if (form.form !== "shell") return undefined;
  const match = /^(\s*(?:exec\s+)?)(?:\S*\/)?(poetry|pipenv|uv|pdm)\s+run\s+((?:-\S+\s+)*)/.exec(form.shell);
  if (!match) return undefined;
  const options = match[3]!.trim().split(/\s+/).filter(Boolean);
  if (options.some((o) => valueOptions.has(o))) return undefined;
  return { text: `${keyword} ${match[1]}${form.shell.slice(match[0].length)}`, tool: match[2]! };
}
