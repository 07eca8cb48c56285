import { composeCommands } from "../../analysis/compose.js";
import type { BuildContext } from "../../analysis/context.js";

const runner = /(?:^|[\s"'[,/])(poetry|pipenv|uv|pdm)["']?\s*,?\s*["']?run\b/;

/**
 * Compose `command:`/`entrypoint:` values that start the app through a packaging tool's runner
 * (`poetry run …`). The runtime image has no packaging tool, so such a command fails there.
 */
export function composeRunnerCommands(context: BuildContext): { file: string; line: number; tool: string }[] {
  return composeCommands(context).flatMap((c) => {
    const m = c.key === "test" ? null : runner.exec(c.text);
    return m ? [{ file: c.file, line: c.line, tool: m[1]! }] : [];
  });
}
