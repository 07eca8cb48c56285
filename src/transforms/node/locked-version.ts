import type { BuildContext } from "../../analysis/context.js";
import type { NodeProject } from "./project.js";

/** The version of a package the project's lockfile pins (npm, yarn or pnpm), if it names one. */
export function lockedVersion(context: BuildContext, project: NodeProject, name: string): string | undefined {
  const text = project.lockfile ? context.read(project.lockfile) : undefined;
  if (!text) return undefined;
  const escaped = name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  if (project.lockfile === "yarn.lock") return new RegExp(`^"?${escaped}@[^\\n]*:\\n\\s+version:?\\s+"?([\\d.]+)`, "m").exec(text)?.[1];
  if (project.lockfile === "pnpm-lock.yaml") return new RegExp(`\\/${escaped}[@/]([\\d.]+)`).exec(text)?.[1];
  return new RegExp(`"(?:node_modules\\/)?${escaped}":\\s*\\{\\s*"version":\\s*"([\\d.]+)"`).exec(text)?.[1];
}
