import type { BuildContext } from "./context.js";

/**
 * Whether the Dockerfile is a GitHub Docker container action's (`action.yml` beside it with
 * `runs.using: docker` and the image built from a Dockerfile). GitHub runs such containers as root
 * and documents that a USER breaks access to GITHUB_WORKSPACE, so the runtime must stay root.
 */
export function isGithubDockerAction(context: BuildContext): boolean {
  const text = context.read("action.yml") ?? context.read("action.yaml");
  if (text === undefined) return false;
  const runs = /^runs:\s*$([\s\S]*?)(?=^\S|(?![\s\S]))/m.exec(text)?.[1] ?? "";
  const using = /^\s+using:\s*['"]?docker['"]?\s*(#.*)?$/m.test(runs);
  const image = /^\s+image:\s*['"]?(?!docker:\/\/)([^'"\s#]+)/m.exec(runs)?.[1];
  return using && image !== undefined && /(^|\/)[^/]*Dockerfile[^/]*$/i.test(image);
}
