import { posix } from "node:path";
import { commandWords } from "../../analysis/commands.js";
import type { BuildContext } from "../../analysis/context.js";
import { dockerignore } from "../../analysis/dockerignore.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { projectFilePath } from "./project-file.js";
import type { PythonStep } from "./tools.js";

const lockCommands = new Set(["sync", "run", "export", "lock"]);

/** Whether a `uv lock` that writes the lockfile runs before the step. */
function locksBefore(facts: Facts, step: PythonStep): boolean {
  return facts.body.some((entry, i) =>
    (entry.run?.segments ?? []).some((segment, j) => {
      if (i > step.index || (i === step.index && j >= step.segment)) return false;
      const words = commandWords(segment.argv);
      return words[0]?.split("/").pop() === "uv" && words[1] === "lock" && !words.some((w) => /^--(locked|frozen|check)$/.test(w));
    }),
  );
}

/**
 * Rejects (exit 2) `uv sync --locked` / `--frozen` (also `uv run`, `uv export`, `uv lock`, or the
 * UV_LOCKED / UV_FROZEN variables) when the build context has no uv.lock for the project, or its
 * .dockerignore leaves it out: uv stops with "Unable to find lockfile at `uv.lock`", exit 2. Not
 * when an earlier step runs `uv lock` to make one. Only for a context that is evidently the build's.
 */
export function rejectUvLockedWithoutLockfile(facts: Facts, steps: readonly PythonStep[], context: BuildContext): void {
  const pyproject = projectFilePath(facts, context, "pyproject.toml");
  if (context.kind(pyproject) !== "file") return;
  const lockfile = posix.join(posix.dirname(pyproject), "uv.lock");
  if (context.kind(lockfile) === "file" && !dockerignore(context.read(".dockerignore"))(lockfile)) return;
  const fromEnv = ["UV_LOCKED", "UV_FROZEN"].find((name) => /^(1|true|yes|on)$/i.test(facts.variables[name] ?? ""));
  for (const step of steps) {
    if (step.tool !== "uv" || !lockCommands.has(step.words[1] ?? "")) continue;
    const flag = step.words.find((w) => w === "--locked" || w === "--frozen") ?? fromEnv;
    if (flag === undefined || locksBefore(facts, step) || step.words.some((w) => /^--(project|directory)\b/.test(w))) continue;
    const missing = context.kind(lockfile) === "file" ? `its .dockerignore leaves out ${lockfile}` : `the build context has no ${lockfile}`;
    throw unusable(`line ${facts.body[step.index]!.ins.startLine + 1}: \`${step.s.text}\` cannot run: ${missing}, and with ${flag} uv stops with "Unable to find lockfile at \`uv.lock\`" (commit uv.lock, or run uv lock first)`);
  }
}
