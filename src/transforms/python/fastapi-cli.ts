import type { Facts } from "../../analysis/facts.js";
import { startCommandWords, startInstruction } from "../../analysis/start-command.js";
import { unusable } from "../../errors.js";
import type { Pins } from "./pip-inputs.js";
import { heldBelow } from "./version-bounds.js";

/**
 * Rejects (exit 2) a start command `fastapi run`/`fastapi dev` when pip installs FastAPI 0.112 or later
 * without its `standard` (or `all`) extra and no fastapi-cli: since 0.112.0 the `fastapi` command of the
 * plain package is a stub (fastapi/cli.py) that stops with 'To use the fastapi command, please install
 * "fastapi[standard]"' unless fastapi-cli is installed.
 */
export function rejectFastapiCommandWithoutCli(facts: Facts, pins: Pins | undefined): void {
  const specs = pins?.get("fastapi");
  if (!specs || specs.length === 0 || pins!.has("fastapi-cli") || heldBelow(specs, "0.112")) return;
  if (specs.some((spec) => /\[[^\]]*\b(standard|all)\b[^\]]*\]/.test(spec))) return;
  const words = startCommandWords(facts);
  const cli = words[0]?.split("/").pop() === "fastapi" ? 1 : /^python[\d.]*$/.test(words[0]?.split("/").pop() ?? "") && words[1] === "-m" && words[2] === "fastapi" ? 3 : 0;
  if (cli === 0 || !["run", "dev"].includes(words[cli] ?? "")) return;
  const start = startInstruction(facts);
  throw unusable(`line ${start.line}: the image builds but cannot start: ${start.keyword} runs \`${words.slice(0, cli + 1).join(" ")}\`, and the requirements hold \`${specs[0]}\` (0.112 or later) without its standard extra or fastapi-cli, so the fastapi command stops with 'To use the fastapi command, please install "fastapi[standard]"' (require fastapi[standard], or install uvicorn and start the app with it)`);
}
