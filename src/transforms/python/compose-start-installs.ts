import { composeCommands } from "../../analysis/compose.js";
import type { BuildContext } from "../../analysis/context.js";
import { unsupported } from "../../errors.js";

const sep = `(?:^|[\\s"'[,;&|(])`;
const pipInstall = new RegExp(`${sep}((?:pip3?(?:\\.\\d+)?|python[\\d.]*\\s+-m\\s+pip)["']?\\s*,?\\s*["']?install\\b[^;&|"'\\]]*)`);
const toolInstall = new RegExp(`${sep}((?:pipenv|poetry|pdm)["']?\\s*,?\\s*["']?(?:install|sync)\\b[^;&|"'\\]]*|uv["']?\\s*,?\\s*["']?(?:sync|pip\\s+install)\\b[^;&|"'\\]]*)`);

/**
 * Compose `command:`/`entrypoint:` values that install Python packages when the container starts
 * (`sh -c "… && pip install coverage && coverage run …"`, `pipenv install --system --dev && …`). Root
 * could in the original image; the runtime user cannot write the copied environment, which has no
 * packaging tool of its own.
 */
export function composeStartInstalls(context: BuildContext): { file: string; line: number; install: string }[] {
  return composeCommands(context).flatMap((c) => {
    if (c.key === "test") return [];
    const m = pipInstall.exec(c.text) ?? toolInstall.exec(c.text);
    return m ? [{ file: c.file, line: c.line, install: m[1]!.trim().replace(/["',]/g, "").replace(/\s+/g, " ") }] : [];
  });
}

/**
 * Refuses (exit 3) an image with no CMD or ENTRYPOINT whose every compose command installs packages when
 * the container starts: that command is how the image runs, and it cannot run as the runtime user.
 */
export function refuseComposeOnlyStartInstalls(context: BuildContext, hasStartCommand: boolean, installs: ReturnType<typeof composeStartInstalls>): void {
  if (hasStartCommand || installs.length === 0) return;
  const commands = composeCommands(context).filter((c) => c.key === "command");
  if (!commands.every((c) => installs.some((i) => i.file === c.file && i.line === c.line))) return;
  const first = installs[0]!;
  throw unsupported(`has no CMD or ENTRYPOINT, and ${first.file} line ${first.line} starts the image with a command that installs packages (\`${first.install}\`): the runtime user cannot write the copied environment, and the runtime has no packaging tool; install them in the Dockerfile and give it a CMD`);
}
