import { composeCommands } from "../../analysis/compose.js";
import type { BuildContext } from "../../analysis/context.js";
import { startChain } from "../../analysis/dev-server.js";
import { devDependenciesUsed } from "./dev-image.js";
import type { NodeProject } from "./project.js";

/**
 * Compose commands that run this image with dev dependencies (`command: npm run dev` → nodemon): the
 * runtime stage no longer has them once they are pruned, so such a service needs the build stage.
 */
export function composeCommandsNeedingDevDependencies(context: BuildContext, project: NodeProject): { where: string; text: string; packages: string[] }[] {
  return composeCommands(context).filter((c) => c.key === "command").flatMap((c) => {
    const text = c.text.replace(/^\[|\]$/g, "").replace(/["',]/g, " ").replace(/\s+/g, " ").trim();
    const packages = devDependenciesUsed(project, startChain(text, project.scripts));
    return packages.length > 0 ? [{ where: `${c.file} line ${c.line}`, text, packages }] : [];
  });
}
