import type { Facts } from "../../analysis/facts.js";
import { startCommandWords } from "../../analysis/start-command.js";
import { unsupported } from "../../errors.js";

/**
 * Refuses (exit 3) an image whose own start command runs `uv run` while no build step installs the
 * project (`COPY . .` then `ENTRYPOINT ["uv", "run", "--locked", "app"]`): uv syncs the environment when
 * the container starts, so there is no environment for a runtime stage to copy, and dropping the runner
 * would start a program nothing installed. `uv run --no-sync` (nothing to install) is left alone.
 */
export function refuseUvRunWithoutInstall(facts: Facts, installs: number): void {
  if (installs > 0 || facts.variables["UV_NO_SYNC"]) return;
  const words = startCommandWords(facts);
  if ((words[0]?.split("/").pop() ?? "") !== "uv" || words[1] !== "run" || words.includes("--no-sync")) return;
  throw unsupported(`the start command \`${words.join(" ")}\` installs the project's dependencies when the container starts (uv run syncs the environment), and no build step installs them, so there is no environment for a runtime stage to copy; install at build time (\`RUN uv sync --locked --no-default-groups\`, with the project's Python) and start with \`uv run --no-sync\` or the environment's program, then convert again`);
}
