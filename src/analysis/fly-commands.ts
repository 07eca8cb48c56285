import type { BuildContext } from "./context.js";

/** Tables of fly.toml whose values are commands run in the image, and which keys there are. */
const commandKeys: Record<string, RegExp> = {
  deploy: /^release_command$/,
  processes: /^[\w-]+$/,
  experimental: /^(cmd|entrypoint|exec)$/,
};

/**
 * The commands fly.toml at the context's top level runs in the image (`release_command`, `[processes]`,
 * `[experimental] cmd`): Fly.io deploys build the Dockerfile and run these in the container.
 */
export function flyCommands(context: BuildContext): { file: string; line: number; text: string }[] {
  const text = context.read("fly.toml");
  if (text === undefined) return [];
  const found: { file: string; line: number; text: string }[] = [];
  let table = "";
  text.split(/\r?\n/).forEach((line, i) => {
    const header = /^\s*\[+\s*([\w.-]+)\s*\]+/.exec(line);
    if (header) {
      table = header[1]!;
      return;
    }
    const entry = /^\s*([\w-]+)\s*=\s*(.+?)\s*$/.exec(line);
    if (entry && commandKeys[table]?.test(entry[1]!)) found.push({ file: "fly.toml", line: i + 1, text: entry[2]! });
  });
  return found;
}

/**
 * The volumes fly.toml mounts into the machine (`[mounts]` / `[[mounts]]`: `source`, `destination`),
 * with the line of each destination.
 */
export function flyMounts(context: BuildContext): { source: string; destination: string; line: number }[] {
  const text = context.read("fly.toml");
  if (text === undefined) return [];
  const found: { source: string; destination: string; line: number }[] = [];
  let current: { source: string; destination: string; line: number } | undefined;
  text.split(/\r?\n/).forEach((line, i) => {
    const header = /^\s*\[+\s*([\w.-]+)\s*\]+/.exec(line);
    if (header) {
      current = header[1] === "mounts" ? { source: "", destination: "", line: 0 } : undefined;
      if (current) found.push(current);
      return;
    }
    const entry = /^\s*(source|destination)\s*=\s*["']([^"']+)["']/.exec(line);
    if (!current || !entry) return;
    if (entry[1] === "source") current.source = entry[2]!;
    else Object.assign(current, { destination: entry[2]!, line: i + 1 });
  });
  return found.filter((m) => m.destination.startsWith("/"));
}
