import { composeCheckoutMountAt, composeCommands } from "../../analysis/compose.js";
import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unsupported } from "../../errors.js";

// servers that reload the code they serve as it changes: Django's runserver, Flask's, --reload
const devServer = /\b(?:manage\.py|django-admin)\s+runserver\b|\bflask\s+run\b|\bfastapi\s+dev\b|\b(?:uvicorn|gunicorn|hypercorn)\b[^&|;]*\s--reload\b/;

/**
 * Refuses (exit 3) a development image: no start command of its own, compose runs it with a reloading
 * development server and bind-mounts the sources over its WORKDIR. The image is a workbench for the
 * host's tree: the process reads and writes that tree (a SQLite file beside manage.py) with the host's
 * ownership, which a non-root runtime user does not have, and a production runtime has nothing to add.
 */
export function refuseComposeDevServerImage(facts: Facts, context: BuildContext): void {
  if (facts.entrypoint || facts.cmd) return;
  const command = composeCommands(context).find((c) => c.key === "command" && devServer.test(c.text.replace(/[[\],"']/g, " ")));
  if (!command) return;
  const mount = composeCheckoutMountAt(context, facts.finalWorkdir);
  if (!mount) return;
  throw unsupported(`development image: it has no start command, and ${command.file} line ${command.line} runs a development server (\`${command.text.replace(/[[\]"']/g, "").replace(/,\s*/g, " ")}\`) while ${mount.file} line ${mount.line} bind-mounts the sources over ${mount.target}; msb converts production images only (give the image a production start command of its own, such as gunicorn, to convert it)`);
}
