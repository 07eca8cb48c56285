import type { BuildContext } from "../../analysis/context.js";

// compose.yaml, docker-compose.yml, docker-compose-prod.yml, docker-compose.dev.yaml, …
const composeFile = /^(docker-)?compose([.-][\w.-]+)?\.ya?ml$/;
const runner = /(?:^|[\s"'[,/])(poetry|pipenv|uv|pdm)["']?\s*,?\s*["']?run\b/;

/**
 * `command:`/`entrypoint:` lines of the context's compose files (and the list items under them) that
 * start the app through a packaging tool's runner (`poetry run …`). The runtime image has no
 * packaging tool, so such a command fails there; found with line patterns, not a YAML parser.
 */
export function composeRunnerCommands(context: BuildContext): { file: string; line: number; tool: string }[] {
  const found: { file: string; line: number; tool: string }[] = [];
  const files = context.list().filter((p) => !p.includes("/") && composeFile.test(p)).sort();
  for (const file of files) {
    const lines = context.read(file)?.split(/\r?\n/);
    if (!lines) continue;
    lines.forEach((line, i) => {
      const key = /^(\s*)(command|entrypoint)\s*:(.*)$/.exec(line);
      if (!key) return;
      const block = [key[3]!];
      for (let k = i + 1; k < lines.length && /^\s*-\s/.test(lines[k]!) && lines[k]!.search(/\S/) > key[1]!.length; k++) block.push(lines[k]!.replace(/^\s*-\s*/, ""));
      const m = runner.exec(block.join(" "));
      if (m) found.push({ file, line: i + 1, tool: m[1]! });
    });
  }
  return found;
}
