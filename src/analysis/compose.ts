import type { BuildContext } from "./context.js";

// compose.yaml, docker-compose.yml, docker-compose-prod.yml, docker-compose.dev.yaml, …
const composeFile = /^(docker-)?compose([.-][\w.-]+)?\.ya?ml$/;

export interface ComposeCommand {
  file: string;
  /** 1-based line of the key. */
  line: number;
  key: "command" | "entrypoint" | "test";
  /** The value as one line: a string, a flow list, or the items of a block list joined by spaces. */
  text: string;
}

/**
 * The `command:`, `entrypoint:` and healthcheck `test:` values of the compose files at the context's
 * top level: how the image is also run. Found with line patterns, not a YAML parser.
 */
export function composeCommands(context: BuildContext): ComposeCommand[] {
  const found: ComposeCommand[] = [];
  const files = context.list().filter((p) => !p.includes("/") && composeFile.test(p)).sort();
  for (const file of files) {
    const lines = context.read(file)?.split(/\r?\n/);
    if (!lines) continue;
    lines.forEach((line, i) => {
      const key = /^(\s*)(command|entrypoint|test)\s*:(.*)$/.exec(line);
      if (!key) return;
      const block = [key[3]!.trim()];
      for (let k = i + 1; k < lines.length && /^\s*-\s/.test(lines[k]!) && lines[k]!.search(/\S/) > key[1]!.length; k++) block.push(lines[k]!.replace(/^\s*-\s*/, ""));
      const text = block.filter(Boolean).join(" ");
      if (text) found.push({ file, line: i + 1, key: key[2] as ComposeCommand["key"], text });
    });
  }
  return found;
}

export interface ComposeBindMount {
  file: string;
  line: number;
  source: string;
  target: string;
}

/**
 * Writable bind mounts (`- ./data:/app/data`, short syntax) of the compose files at the context's
 * top level: host directories the container writes with the host's ownership. Named volumes, `:ro`
 * mounts and sockets or files such as /etc/localtime are left out.
 */
export function composeBindMounts(context: BuildContext): ComposeBindMount[] {
  const found: ComposeBindMount[] = [];
  for (const file of context.list().filter((p) => !p.includes("/") && composeFile.test(p)).sort()) {
    const lines = context.read(file)?.split(/\r?\n/) ?? [];
    let volumesIndent = -1;
    lines.forEach((line, i) => {
      const indent = line.search(/\S/);
      if (indent < 0 || /^\s*#/.test(line)) return;
      if (/^\s*volumes\s*:\s*$/.test(line)) {
        volumesIndent = indent;
        return;
      }
      if (volumesIndent >= 0 && indent <= volumesIndent) volumesIndent = -1;
      if (volumesIndent < 0) return;
      const item = /^\s*-\s*["']?([^"'\s]+)["']?\s*$/.exec(line)?.[1];
      const parts = item?.split(":");
      if (!parts || parts.length < 2 || !/^[.~/$]/.test(parts[0]!)) return;
      const [source, target, mode = ""] = parts as [string, string, string?];
      if (/(^|,)ro(,|$)/.test(mode) || /\.(sock|socket)$|^\/(etc|proc|sys|dev|run|var\/run)\//.test(target) || /\.sock$/.test(source)) return;
      found.push({ file, line: i + 1, source, target });
    });
  }
  return found;
}
