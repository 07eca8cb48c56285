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
