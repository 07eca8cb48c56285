import type { BuildContext } from "../../analysis/context.js";
import { commandWords } from "../../analysis/commands.js";
import type { Facts } from "../../analysis/facts.js";
import { unsupported } from "../../errors.js";
import { shellScriptOf } from "../../parser/instruction-text.js";
import { splitShell } from "../../parser/shell.js";
import { startScripts } from "../common/runtime-text.js";
import { packagingTools } from "./tools.js";


/** What a command line's packaging-tool use is: an install (`pdm install`, `pip install -r …`), a runner (`poetry run …`), or neither. */
function packagingUse(words: string[]): "install" | "runner" | undefined {
  const program = words[0]?.split("/").pop() ?? "";
  const sub = words.slice(1).find((w) => !w.startsWith("-"));
  if (/^pip3?(\.\d+)?$/.test(program) && sub === "install") return "install";
  if (/^python[\d.]*$/.test(program) && words[1] === "-m" && /^pip3?$/.test(words[2] ?? "") && words.includes("install")) return "install";
  if (!Object.hasOwn(packagingTools, program)) return undefined;
  if (sub === "run") return "runner";
  if (["install", "sync", "add", "update", "lock"].includes(sub ?? "") || (program === "uv" && sub === "pip")) return "install";
  return undefined;
}

/**
 * Refuses (exit 3) an image whose start command or start script installs Python dependencies when the
 * container starts (`pdm install && python main.py`, an entrypoint.sh running `poetry install`), or whose
 * start script runs a program through a packaging tool (`poetry run gunicorn …`): the runtime holds the
 * environment without the tool, owned by root, and msb does not rewrite scripts. A runner the start
 * command itself names (`CMD ["poetry", "run", …]`) is not refused: msb drops it from the command.
 * A script's runner in `keepable` (pdm, which the runtime's pip can install as the build's did) is not
 * refused either: the scripts that run it are returned, and the runtime keeps the tool.
 */
export function refuseStartTimePackaging(facts: Facts, context: BuildContext, keepable: ReadonlySet<string> = new Set()): { path: string; tool: string }[] {
  const kept: { path: string; tool: string }[] = [];
  for (const command of [facts.entrypoint, facts.cmd]) {
    if (!command) continue;
    const script = shellScriptOf(command);
    const segments = script !== undefined ? splitShell(script).map((s) => ({ words: commandWords(s.argv), text: s.text })) : [{ words: commandWords(command.argv), text: command.argv.join(" ") }];
    const install = segments.find((s) => packagingUse(s.words) === "install");
    if (install) throw unsupported(`the start command installs Python dependencies when the container starts (\`${install.text.trim()}\`): the runtime has the environment the build made, without the packaging tool and not writable by the runtime user; install them in the Dockerfile`);
  }
  for (const { path, text } of startScripts(facts, context)) {
    // commands inside if/case/loops run only on some starts: only those the script always runs count
    let depth = 0;
    for (const line of text.split(/\r?\n/)) {
      if (/^\s*#/.test(line)) continue;
      const opens = (line.match(/(^|[;&|]\s*)(if|case|for|while|until)\s/g) ?? []).length;
      const closes = (line.match(/(^|[;&|]\s*)(fi|esac|done)\b/g) ?? []).length;
      const nested = depth > 0 || opens > 0;
      depth = Math.max(0, depth + opens - closes);
      if (nested) continue;
      const use = splitShell(line).map((s) => ({ words: commandWords(s.argv).filter((w) => w !== "exec"), text: s.text.trim() })).map((s) => ({ ...s, use: packagingUse(s.words) })).find((s) => s.use);
      if (!use) continue;
      const tool = use.words[0]?.split("/").pop() ?? "";
      if (use.use === "runner" && keepable.has(tool)) {
        if (!kept.some((k) => k.path === path && k.tool === tool)) kept.push({ path, tool });
        continue;
      }
      const why = use.use === "install" ? "installs Python dependencies when the container starts" : "runs a program through the packaging tool";
      throw unsupported(`the start script ${path} ${why} (\`${use.text}\`): the runtime has the environment the build made, without the packaging tool (msb does not rewrite scripts); run the programs from the environment directly`);
    }
  }
  return kept;
}
