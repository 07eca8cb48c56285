import type { BuildContext } from "./context.js";

/**
 * The action file (`action.yml` or `action.yaml`) that makes the Dockerfile a GitHub Docker container action's, with
 * `runs.using: docker` and the image built from a Dockerfile. GitHub runs such containers as root
 * and documents that a USER breaks access to GITHUB_WORKSPACE, so the runtime must stay root.
 */
export function githubDockerActionFile(context: BuildContext): string | undefined {
  const file = ["action.yml", "action.yaml"].map((name) => ({ name, text: context.read(name) })).find((f) => f.text !== undefined);
  if (file?.text === undefined) return undefined;
  const text = file.text;
  const runs = /^runs:\s*$([\s\S]*?)(?=^\S|(?![\s\S]))/m.exec(text)?.[1] ?? "";
  const using = /^\s+using:\s*['"]?docker['"]?\s*(#.*)?$/m.test(runs);
  const image = /^\s+image:\s*['"]?(?!docker:\/\/)([^'"\s#]+)/m.exec(runs)?.[1];
  return using && image !== undefined && /(^|\/)[^/]*Dockerfile[^/]*$/i.test(image) ? file.name : undefined;
}
