import { composeCommands } from "../../analysis/compose.js";
import type { BuildContext } from "../../analysis/context.js";

const pipInstall = /(?:^|[\s"'[,;&|(])((?:pip3?(?:\.\d+)?|python[\d.]*\s+-m\s+pip)["']?\s*,?\s*["']?install\b[^;&|"'\]]*)/;

/**
 * Compose `command:`/`entrypoint:` values that install Python packages with pip when the container
 * starts (`sh -c "… && pip install coverage && coverage run …"`). Root could in the original image;
 * the runtime user cannot write the copied environment, which has no pip of its own.
 */
export function composeStartInstalls(context: BuildContext): { file: string; line: number; install: string }[] {
  return composeCommands(context).flatMap((c) => {
    if (c.key === "test") return [];
    const m = pipInstall.exec(c.text);
    return m ? [{ file: c.file, line: c.line, install: m[1]!.trim().replace(/["',]/g, "").replace(/\s+/g, " ") }] : [];
  });
}
