import type { BuildContext } from "./context.js";

const makefiles = ["Makefile", "makefile", "GNUmakefile"];

/**
 * `docker run` recipes of a Makefile that also builds the image (`docker build … .`): the commands the
 * project documents for starting it (`docker run --rm -v … ${IMAGE} sh -c './main'`). Lines only,
 * joined where a recipe continues with a backslash.
 */
export function makefileDockerRuns(context: BuildContext): { file: string; line: number; text: string }[] {
  for (const file of makefiles) {
    const text = context.read(file);
    if (!text || !/\bdocker\s+(buildx\s+)?build\b/.test(text)) continue;
    const runs: { file: string; line: number; text: string }[] = [];
    const lines = text.split(/\r?\n/);
    // simple variables (`ENVS=-e DATABASE_PATH='/data/db.db'`) are expanded in the recipes that use them
    const variables = new Map<string, string>();
    for (const line of lines) {
      const assignment = /^([A-Za-z_][\w]*)\s*(?::=|\?=|=)\s*(.*)$/.exec(line);
      if (assignment) variables.set(assignment[1]!, assignment[2]!.trim());
    }
    const expand = (recipe: string) => recipe.replace(/\$[({](\w+)[)}]/g, (whole, name: string) => variables.get(name) ?? whole);
    for (let i = 0; i < lines.length; i++) {
      let joined = lines[i]!;
      const start = i;
      while (joined.endsWith("\\") && i + 1 < lines.length) joined = `${joined.slice(0, -1)} ${lines[++i]!.trim()}`;
      if (/^\s*#/.test(joined) || !/\bdocker\s+(container\s+)?run\b/.test(joined)) continue;
      runs.push({ file, line: start + 1, text: expand(joined).trim() });
    }
    return runs;
  }
  return [];
}

/** A Makefile's `docker run` recipe that starts the image through a shell (`… ${IMAGE} sh -c './main'`). */
export function makefileShellRun(context: BuildContext): { file: string; line: number; shell: string } | undefined {
  for (const run of makefileDockerRuns(context)) {
    const shell = /\s((?:\/bin\/|\/usr\/bin\/)?(?:sh|bash|ash))\s+-c\s/.exec(run.text)?.[1];
    if (shell) return { file: run.file, line: run.line, shell };
  }
  return undefined;
}

/**
 * A Makefile's `docker run` that mounts a host directory by absolute path (`-v "/srv/data:/data"`) and
 * points the program at a file or directory there (`-e DATABASE_PATH=/data/db.db`): the program writes
 * into a directory with the host's owner.
 */
export function makefileWrittenHostMount(context: BuildContext): { file: string; line: number; source: string; target: string; variable: string } | undefined {
  for (const run of makefileDockerRuns(context)) {
    const words = run.text.replace(/(["'])(.*?)\1/g, "$2").split(/\s+/);
    const mounts: { source: string; target: string }[] = [];
    const env: { name: string; value: string }[] = [];
    words.forEach((word, i) => {
      const next = words[i + 1] ?? "";
      const volume = word === "-v" || word === "--volume" ? next : /^(?:-v|--volume=)(.+)$/.exec(word)?.[1];
      const [source, target] = volume?.split(":") ?? [];
      if (source?.startsWith("/") && target?.startsWith("/")) mounts.push({ source, target: target.replace(/(.)\/$/, "$1") });
      const assignment = word === "-e" || word === "--env" ? next : /^--env=(.+)$/.exec(word)?.[1];
      const pair = assignment === undefined ? undefined : /^(\w+)=(\/\S+)$/.exec(assignment);
      if (pair) env.push({ name: pair[1]!, value: pair[2]! });
    });
    for (const { name, value } of env) {
      if (!/(DATABASE|DB|SQLITE|DATA|STATE|STORE|STORAGE|MEDIA|UPLOADS?|DOWNLOADS?|OUTPUT|RESULTS?|CACHE|LOGS?)\w*_(PATH|DIR|FILE|FOLDER|ROOT)$/.test(name) && !/\.(db|sqlite3?)$/.test(value)) continue;
      const mount = mounts.find((m) => value.startsWith(`${m.target}/`));
      if (mount) return { file: run.file, line: run.line, ...mount, variable: `${name}=${value}` };
    }
  }
  return undefined;
}
