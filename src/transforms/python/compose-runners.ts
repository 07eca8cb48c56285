import { composeCommands } from "../../analysis/compose.js";
import { flyCommands } from "../../analysis/fly-commands.js";
import { herokuCommands } from "../../analysis/heroku-commands.js";
import { parseImageRef } from "../../analysis/image-ref.js";
import type { BuildContext } from "../../analysis/context.js";
import { unsupported } from "../../errors.js";
import { toolScripts } from "./start-command.js";
import { pipInstallArgs } from "../../analysis/commands.js";
import { pipRequirements, requirementName, type PythonStep } from "./tools.js";

const runner = /(?:^|[\s"'[,/])(poetry|pipenv|uv|pdm)["']?\s*,?\s*["']?run\b/;

/**
 * Compose `command:`/`entrypoint:` values, and fly.toml's and heroku.yml's release and process commands, that start the
 * app through a packaging tool's runner (`poetry run …`). The runtime image has no packaging tool, so such a command fails there.
 */
export function composeRunnerCommands(context: BuildContext): { file: string; line: number; tool: string; via: string }[] {
  const pdmScripts = toolScripts(context.read("pyproject.toml"));
  return [...composeCommands(context).filter((c) => c.key !== "test"), ...flyCommands(context), ...herokuCommands(context)].flatMap((c) => {
    const m = runner.exec(c.text);
    if (m) return [{ file: c.file, line: c.line, tool: m[1]!, via: `${m[1]} run` }];
    // `pdm tg-ru`: PDM's shortcut for `pdm run tg-ru`, a script of [tool.pdm.scripts]
    const shortcut = pdmShortcut.exec(c.text)?.[1];
    return shortcut !== undefined && pdmScripts.has(shortcut) ? [{ file: c.file, line: c.line, tool: "pdm", via: `pdm ${shortcut}` }] : [];
  });
}

const pdmShortcut = /(?:^|[\s"'[,/])pdm["']?\s*,?\s*["']?([A-Za-z0-9_.-]+)/;

export type ComposeRunnerPlan =
  | { kind: "none" }
  | { kind: "warn"; commands: ReturnType<typeof composeRunnerCommands> }
  /**
   * uv stays in the runtime so compose's `uv run` finds the environment without syncing: the build's
   * copies from uv's image, or (`program`) the uv a system pip installed in the build stage.
   */
  | { kind: "keep-uv"; copies: Set<number>; program?: string; env: string; commands: ReturnType<typeof composeRunnerCommands> }
  /** The runtime image has uv itself (an astral-sh/uv image): compose's `uv run` is pointed at the environment. */
  | { kind: "uv-in-runtime"; env: string; command: { file: string; line: number } }
  /** pdm is installed in the runtime as the build installed it (`pdm==2.22.0`, or the newest), for compose's `pdm run`. */
  | { kind: "keep-pdm"; spec: string; commands: ReturnType<typeof composeRunnerCommands> }
  /** Poetry is installed in the runtime as the build's system pip installed it (`poetry==1.8.2`), for `poetry run` in the copied environment. */
  | { kind: "keep-poetry"; spec: string; commands: ReturnType<typeof composeRunnerCommands> };

/**
 * What compose's runner commands mean for the runtime. When all are `uv run` and the build has uv as a
 * single program (copied from its image, or installed by a system pip), uv is kept. Otherwise, with a
 * CMD or ENTRYPOINT of its own the image starts without them (a warning names each); without one,
 * compose's command is the start command, and the conversion is unsafe.
 */
export function planComposeRunners(input: {
  context: BuildContext;
  hasStartCommand: boolean;
  uvImageCopies: Set<number>;
  /** Where a system pip installed uv in the build stage, if it did. */
  uvProgram: string | undefined;
  environment: string | undefined;
  runtimeHasUv: boolean;
  /** How the build's system pip installed pdm (`pdm`, `pdm==2.22.0`), where the runtime has that pip too. */
  pdmSpec?: string | undefined;
  /** How the build's system pip installed Poetry, where the runtime has that pip too and the environment is the one msb makes. */
  poetrySpec?: string | undefined;
}): ComposeRunnerPlan {
  const commands = composeRunnerCommands(input.context);
  if (commands.length === 0) return { kind: "none" };
  const env = uvRunEnv(input.environment);
  if (input.runtimeHasUv && input.environment && commands.every((c) => c.tool === "uv")) return { kind: "uv-in-runtime", env, command: commands[0]! };
  const command = commands[0]!;
  if (input.environment && commands.every((c) => c.tool === "uv")) {
    if (input.uvImageCopies.size > 0) return { kind: "keep-uv", copies: input.uvImageCopies, env, commands };
    if (input.uvProgram) return { kind: "keep-uv", copies: new Set(), program: input.uvProgram, env, commands };
  }
  if (input.pdmSpec && commands.every((c) => c.tool === "pdm")) return { kind: "keep-pdm", spec: input.pdmSpec, commands };
  if (input.poetrySpec && input.environment && commands.every((c) => c.tool === "poetry")) return { kind: "keep-poetry", spec: input.poetrySpec, commands };
  if (input.hasStartCommand) return { kind: "warn", commands };
  const other = commands.find((c) => c.tool !== "uv") ?? command;
  throw unsupported(`has no CMD or ENTRYPOINT: ${other.file} line ${other.line} starts the image with "${other.via}", and ${other.tool} would stay in the build stage; give the Dockerfile a CMD that runs the program (or run it without ${other.tool} in ${other.file}) and convert again`);
}

/** The runtime ENV that points `uv run` at the copied environment without syncing or downloading a Python. */
export function uvRunEnv(environment: string | undefined): string {
  return `ENV ${environment ? `UV_PROJECT_ENVIRONMENT=${environment} ` : ""}UV_NO_SYNC=1 UV_PYTHON_DOWNLOADS=never`;
}

/** Where commands are, by file: `compose.yaml lines 17, 26 and 35`. */
export function commandPlaces(commands: readonly { file: string; line: number }[]): string {
  const byFile = new Map<string, number[]>();
  for (const c of commands) byFile.set(c.file, [...(byFile.get(c.file) ?? []), c.line]);
  const list = (items: string[]) => (items.length > 1 ? `${items.slice(0, -1).join(", ")} and ${items.at(-1)}` : items[0] ?? "");
  return list([...byFile].map(([file, lines]) => `${file} line${lines.length > 1 ? "s" : ""} ${list(lines.map(String))}`));
}

/** Whether an image ships uv itself: astral-sh's images (`ghcr.io/astral-sh/uv:python3.12-bookworm-slim`). */
export function providesUv(image: string): boolean {
  const ref = parseImageRef(image);
  return ref.registry === "ghcr.io" && ref.repository === "astral-sh/uv";
}

/** The requirement a pip install of the build named a packaging tool with (`pdm`, `pdm==2.22.0`); none when a variable is in it. */
export function systemPipSpec(steps: readonly PythonStep[], tool: string): string | undefined {
  for (const step of steps) {
    if (step.kind !== "tool-install" || step.words[0] === "pipx") continue;
    const spec = pipRequirements(pipInstallArgs(step.words)).find((r) => requirementName(r) === tool);
    if (spec !== undefined) return /[$'"\s]/.test(spec) ? undefined : spec;
  }
  return undefined;
}
