import type { BuildContext } from "./context.js";

/**
 * The commands heroku.yml at the context's top level runs in the image this Dockerfile builds: its
 * `release:` command and its `run:` processes (`web: poetry run app serve`, or a `command:` list).
 * Only when its `build: docker:` section names this Dockerfile.
 */
export function herokuCommands(context: BuildContext): { file: string; line: number; text: string }[] {
  const text = context.read("heroku.yml");
  const dockerfile = context.dockerfilePath ?? "Dockerfile";
  if (text === undefined) return [];
  const lines = text.split(/\r?\n/);
  const builds = lines.some((l) => /^\s+[\w-]+\s*:\s*["']?([^"'\s#]+)/.exec(l)?.[1]?.replace(/^\.\//, "") === dockerfile);
  if (!builds) return [];
  const found: { file: string; line: number; text: string }[] = [];
  let section = "";
  lines.forEach((line, i) => {
    const top = /^([\w-]+)\s*:/.exec(line);
    if (top) {
      section = top[1]!;
      return;
    }
    if (section !== "release" && section !== "run") return;
    const item = /^\s+-\s+["']?(.+?)["']?\s*$/.exec(line);
    const entry = /^\s+([\w-]+)\s*:\s*["']?(.+?)["']?\s*$/.exec(line);
    if (item) found.push({ file: "heroku.yml", line: i + 1, text: item[1]! });
    else if (entry && entry[1] !== "image") found.push({ file: "heroku.yml", line: i + 1, text: entry[2]! });
  });
  return found;
}
