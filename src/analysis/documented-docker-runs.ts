import type { BuildContext } from "./context.js";
import { isPublishedThirdPartyImage } from "./compose.js";

const makefiles = ["Makefile", "makefile", "GNUmakefile"];

export interface DocumentedRun {
  file: string;
  line: number;
  text: string;
}

// several rules read the same runs while converting one Dockerfile: each context's are read once
const makefileRunsByContext = new WeakMap<BuildContext, DocumentedRun[]>();
const readmeRunsByContext = new WeakMap<BuildContext, DocumentedRun[]>();

/** The words of a documented command, its quotes removed (`-v "/srv/data:/data"` → `-v`, `/srv/data:/data`). */
function runWords(text: string): string[] {
  return text.replace(/(["'])(.*?)\1/g, "$2").split(/\s+/);
}

/**
 * `docker run` recipes of a Makefile that also builds the image (`docker build … .`): the commands the
 * project documents for starting it (`docker run --rm -v … ${IMAGE} sh -c './main'`). Lines only,
 * joined where a recipe continues with a backslash.
 */
export function makefileDockerRuns(context: BuildContext): DocumentedRun[] {
  let runs = makefileRunsByContext.get(context);
  if (!runs) makefileRunsByContext.set(context, (runs = readMakefileRuns(context)));
  return runs;
}

function readMakefileRuns(context: BuildContext): DocumentedRun[] {
  for (const file of makefiles) {
    const text = context.read(file);
    if (!text || !/\bdocker\s+(buildx\s+)?build\b/.test(text)) continue;
    const runs: DocumentedRun[] = [];
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
 * A Makefile's `docker run` that mounts a host directory (`-v "/srv/data:/data"`, `--mount
 * type=bind,src=${DIR},dst=/dir`) and points the program there: a variable naming a file or directory
 * under it (`-e DATABASE_PATH=/data/db.db`), or the mount point given to the program as an argument
 * (`ENTRYPOINT ["/go/bin/app", "/dir"]`). The program then works in a directory with the host's owner.
 */
export function makefileWrittenHostMount(context: BuildContext, startArgs: readonly string[]): { file: string; line: number; source: string; target: string; how: string } | undefined {
  for (const run of makefileDockerRuns(context)) {
    const mounts = bindMountsOf(run.text);
    const words = runWords(run.text);
    const env: { name: string; value: string }[] = [];
    words.forEach((word, i) => {
      const assignment = word === "-e" || word === "--env" ? words[i + 1] : /^--env=(.+)$/.exec(word)?.[1];
      const pair = assignment === undefined ? undefined : /^(\w+)=(\/\S+)$/.exec(assignment);
      if (pair) env.push({ name: pair[1]!, value: pair[2]! });
    });
    for (const { name, value } of env) {
      if (!/(DATABASE|DB|SQLITE|DATA|STATE|STORE|STORAGE|MEDIA|UPLOADS?|DOWNLOADS?|OUTPUT|RESULTS?|CACHE|LOGS?)\w*_(PATH|DIR|FILE|FOLDER|ROOT)$/.test(name) && !/\.(db|sqlite3?)$/.test(value)) continue;
      const mount = mounts.find((m) => value.startsWith(`${m.target}/`));
      if (mount) return { file: run.file, line: run.line, source: mount.source, target: mount.target, how: `${name}=${value} points the program there` };
    }
    const argument = mounts.find((m) => startArgs.some((a) => a.replace(/(.)\/$/, "$1") === m.target));
    if (argument) return { file: run.file, line: run.line, source: argument.source, target: argument.target, how: `the start command hands ${argument.target} to the program` };
  }
  return undefined;
}

/**
 * Writable host directories a `docker run` command mounts (`-v ./logs:/app/logs`, `-v "$(pwd)/data:/data"`,
 * `--mount type=bind,source=…,target=…`): relative, absolute, the shell's working directory, home, or a
 * variable (a bare name is a named volume).
 */
function bindMountsOf(text: string): { source: string; target: string }[] {
  const words = runWords(text);
  return words.flatMap((word, i) => {
    const value = word === "-v" || word === "--volume" ? words[i + 1] : /^(?:-v|--volume=)(.+)$/.exec(word)?.[1];
    const mount = word === "--mount" ? words[i + 1] : /^--mount=(.+)$/.exec(word)?.[1];
    let source: string | undefined;
    let target: string | undefined;
    let mode = "";
    if (value) [source, target, mode = ""] = value.split(":");
    else if (mount && /(^|,)type=bind(,|$)/.test(mount)) {
      source = /(?:^|,)(?:source|src)=([^,]+)/.exec(mount)?.[1];
      target = /(?:^|,)(?:target|destination|dst)=([^,]+)/.exec(mount)?.[1];
      mode = /(^|,)(readonly|ro)(=true)?(,|$)/.test(mount) ? "ro" : "";
    }
    if (!source || !target?.startsWith("/") || /(^|,)ro(,|$)/.test(mode)) return [];
    if (!/^(\.|\/|~|\$|%cd%)/.test(source)) return [];
    return [{ source, target: target.replace(/(.)\/$/, "$1") }];
  });
}

const readme = /^readme(\.(md|markdown|rst|txt))?$/i;

/** Whether a file is a README (`README.md`, `readme.MD`): where a mount or run was documented. */
export function isReadme(file: string): boolean {
  return readme.test(file);
}

/** `docker run` commands a README shows (`docker run -v ./cache:/app/cache …`), continued lines joined. */
export function readmeDockerRuns(context: BuildContext): DocumentedRun[] {
  let runs = readmeRunsByContext.get(context);
  if (!runs) readmeRunsByContext.set(context, (runs = readReadmeRuns(context)));
  return runs;
}

function readReadmeRuns(context: BuildContext): DocumentedRun[] {
  for (const file of context.list().filter((p) => readme.test(p)).sort()) {
    const text = context.read(file);
    if (!text) continue;
    const runs: DocumentedRun[] = [];
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      if (!/^\s*(\$\s+)?(sudo\s+)?docker\s+(container\s+)?run\b/.test(lines[i]!)) continue;
      const start = i;
      let joined = lines[i]!;
      while (/\\\s*$/.test(joined) && i + 1 < lines.length) joined = `${joined.replace(/\\\s*$/, "")} ${lines[++i]!.trim()}`;
      runs.push({ file, line: start + 1, text: joined.trim() });
    }
    return runs;
  }
  return [];
}

/** `docker run` options that take the next word as their value. */
const valueOptions = new Set(["-v", "--volume", "-e", "--env", "-p", "--publish", "--name", "--env-file", "--network", "--net", "-w", "--workdir", "--mount", "--restart", "-u", "--user", "--entrypoint", "-l", "--label", "--platform", "--cpus", "-m", "--memory", "--add-host", "--device", "--cap-add", "--cap-drop", "--log-driver", "--log-opt", "-h", "--hostname", "--gpus", "--pull", "--volumes-from", "--link", "--dns", "--expose", "--shm-size", "--ulimit", "--tmpfs", "--security-opt", "--sysctl", "--group-add", "--health-cmd", "--stop-signal", "--cidfile"]);

/** The image a `docker run` command starts: the first word after `run` and its options. */
function imageOf(text: string): string | undefined {
  const words = runWords(text);
  let k = words.findIndex((w, i) => w === "run" && /docker$|container$/.test(words[i - 1] ?? "")) + 1;
  if (k === 0) return undefined;
  while (k < words.length && words[k]!.startsWith("-")) k += valueOptions.has(words[k]!) ? 2 : 1;
  return words[k];
}

/** Writable host directories a README's `docker run` commands bind-mount, for this image: not a database's or another vendor's run. */
export function readmeBindMounts(context: BuildContext): { file: string; line: number; source: string; target: string }[] {
  const seen = new Set<string>();
  return readmeDockerRuns(context)
    .filter((run) => { const image = imageOf(run.text); return image !== undefined && !isPublishedThirdPartyImage(image); })
    .flatMap((run) => bindMountsOf(run.text).map((m) => ({ file: run.file, line: run.line, ...m })))
    .filter((m) => { const key = `${m.source}:${m.target}`; if (seen.has(key)) return false; seen.add(key); return true; });
}
