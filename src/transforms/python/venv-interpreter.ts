import type { CommandForm } from "../../parser/instruction-text.js";
import { added, type PlanLine } from "../../plan/types.js";

/** The image's own interpreter named by path: `/usr/local/bin/python3` (official images), `/usr/bin/python3` (apt). */
const systemInterpreter = /(^|[\s"'[,])\/usr(?:\/local)?\/bin\/(python(?:3(?:\.\d+)?)?)(?=$|[\s"',\]])/g;

/** Whether a start command runs the image's interpreter by its path, which bypasses a venv put first on PATH. */
export function namesSystemInterpreter(command: CommandForm | undefined): boolean {
  if (command === undefined) return false;
  return new RegExp(systemInterpreter.source).test(command.form === "exec" ? command.argv.map((w) => JSON.stringify(w)).join(",") : command.shell);
}

/**
 * A start command that runs `/usr/local/bin/python app.py` gets the image's interpreter, without the
 * packages the runtime keeps in the venv: the command names the venv's interpreter of that name instead.
 * Applied to the start lines another rule rewrote, or to the original's last ENTRYPOINT and CMD.
 */
export function withVenvInterpreter(lines: PlanLine[], venv: string): PlanLine[] {
  return lines.map((line) => {
    const text = line.kind === "new" ? line.text : line.text ?? line.ins.text;
    const rewritten = text.replace(systemInterpreter, (_m, lead: string, name: string) => `${lead}${venv}/bin/${name}`);
    return rewritten === text ? line : added(rewritten);
  });
}
