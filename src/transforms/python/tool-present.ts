import { isOfficialImage } from "../../analysis/image-ref.js";
import type { Facts } from "../../analysis/facts.js";
import { firstUseBeforeProvided } from "../../analysis/tool-provided.js";
import { unusable } from "../../errors.js";

const tools = ["uv", "uvx", "poetry", "pipenv", "pdm"];

/**
 * Steps that make a packaging tool exist: an install by pip, pipx, conda or a system package manager,
 * the tool's own installer, or what msb cannot see into (a shell script, a requirements file).
 */
const provides = new RegExp(
  [
    `\\b(pip[\\d.]*|pipx|uv\\s+tool|conda|mamba|micromamba|apt-get|apt|apk|dnf|yum)\\s+(?:[\\w-]+\\s+)*(install|add)\\b[^&|;]*\\b(uv|poetry|pipenv|pdm)\\b`,
    `astral\\.sh|install\\.python-poetry\\.org|python-poetry\\.org|get-poetry|pdm-project|pdm\\.fming\\.dev|raw\\.githubusercontent\\.com`,
    `(^|[\\s;&|])(\\.\\/|\\/|sh\\s+|bash\\s+)[\\w./-]*\\.sh\\b`,
    // a requirements file may list the tool
    `\\bpip[\\d.]*\\s+install\\b[^&|;]*\\s(-r|--requirement)[\\s=]`,
  ].join("|"),
);

/** A COPY that brings a tool's program: from its image (`--from=ghcr.io/astral-sh/uv`), or a file named like it (not `poetry.lock`). */
const copiedProgram = /--from=\S*(uv|poetry|pipenv|pdm)|(^|[\s/])(uv|uvx|poetry|pipenv|pdm)(\s|$)/;

/**
 * Rejects (exit 2) a build on an official python image that runs uv, Poetry, Pipenv or PDM before any
 * step provides it: those images ship pip only, so the step stops with "uv: not found" (exit 127).
 */
export function rejectMissingPackagingTool(facts: Facts): void {
  const image = facts.resolvedImage;
  if (!isOfficialImage(image, "python")) return;
  const use = firstUseBeforeProvided(facts, tools, provides, copiedProgram);
  if (!use) return;
  throw unusable(`line ${use.entry.ins.startLine + 1}: runs ${use.program}, which ${image.raw} does not have (official python images ship pip only) and no earlier step installs: the build stops with "${use.program}: not found" (add "RUN pip install ${use.program === "uvx" ? "uv" : use.program}" before it)`);
}
