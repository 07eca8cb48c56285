import { posix } from "node:path";
import { baseImageDirectories } from "../../analysis/copy-destination.js";
import type { Facts } from "../../analysis/facts.js";
import { globMatches } from "./manifest-first.js";

/** A path a build step writes outside the build context copies, which the runtime may need from the build stage. */
export interface WrittenPath {
  path: string;
  /** Created empty by `mkdir`: a directory the application writes to (data, uploads, logs). */
  dataDir: boolean;
  /** 1-based line of the RUN that writes it. */
  line: number;
  /** Order of the writing command among all commands of the build. */
  seq: number;
}


/** Places whose content is scratch, package-manager state or another pass's business (global npm packages, Go's tree). */
const ignored = [/^\/(tmp|var\/tmp|proc|sys|dev|run|root)(\/|$)/, /^\/var\/(cache|log\/apt|lib\/apt|lib\/dpkg)(\/|$)/, /^\/usr\/local\/lib\/node_modules(\/|$)/, /^\/go(\/|$)/, /^\/etc\/apt(\/|$)/];

const copyFlagsWithValue = new Set(["-t", "--target-directory", "-S", "--suffix"]);

export interface WrittenPaths {
  paths: WrittenPath[];
  /** Destinations with variables msb cannot resolve: the runtime could not copy them. */
  unresolved: { text: string; line: number; command: string }[];
}

/**
 * Paths outside the final WORKDIR that RUN steps create: `mv`/`cp` destinations (`mv node_modules /`,
 * `cp -r dist /srv/site`), links, downloads (`curl -o`, `wget -O`), archives unpacked with `tar -C`
 * or `unzip -d`, redirections, directories made with `mkdir`, and the locale archive `locale-gen` or
 * `dpkg-reconfigure locales` compiles. Paths removed again later are left out;
 * the caller leaves out what the runtime copies anyway (the WORKDIR).
 */
export function pathsWrittenByBuild(facts: Facts, skip: (bodyIndex: number) => boolean): WrittenPaths {
  const found: WrittenPath[] = [];
  const unresolved: WrittenPaths["unresolved"] = [];
  const removed: { path: string; seq: number }[] = [];
  let seq = 0;
  // directories known to exist when a step runs: a cp or mv onto one copies into it (`cp -R templates /app`)
  const existing = new Set<string>();
  const exists = (dir: string) => {
    for (let d = dir; d !== "/" && d !== "."; d = posix.dirname(d)) existing.add(d);
  };
  facts.body.forEach((entry, index) => {
    exists(entry.workdir);
    // test commands run in the test stage, which the runtime does not copy from
    const segments = entry.run?.form === "shell" && !skip(index) ? entry.run.segments.filter((s) => s.kind !== "test") : [];
    const line = entry.ins.startLine + 1;
    for (const segment of segments) {
      seq++;
      const argv = segment.argv[0] === "sudo" ? segment.argv.slice(1) : segment.argv;
      const resolve = (word: string) => resolvePath(word, segment.cwd, segment.variables ?? facts.variables);
      const add = (word: string, dataDir: boolean) => {
        const path = resolve(word);
        if (path === undefined) {
          if (!/^(~|\$\{?HOME\b)/.test(word)) unresolved.push({ text: word, line, command: argv[0] ?? "" });
          return;
        }
        found.push({ path, dataDir, line, seq });
      };
      for (let i = 1; i < argv.length; i++) {
        const op = argv[i]!;
        const inline = /^\d?>>?(\/.*)$/.exec(op);
        if (inline) add(inline[1]!, false);
        else if (/^\d?>>?$/.test(op) && argv[i + 1] && argv[i + 1] !== "/dev/null" && !argv[i + 1]!.startsWith("&")) add(argv[i + 1]!, false);
      }
      const [command, ...args] = argv.filter((w, i, all) => !/^\d?>>?/.test(w) && !/^\d?>>?$/.test(all[i - 1] ?? ""));
      const operands = (withValue = copyFlagsWithValue) => {
        const out: string[] = [];
        for (let i = 0; i < args.length; i++) {
          const word = args[i]!;
          if (withValue.has(word)) i++;
          else if (!word.startsWith("-")) out.push(word);
        }
        return out;
      };
      switch (command) {
        case "mkdir":
          // `mkdir -p /data/uploads` also makes /data, where the app may write too
          for (const dir of operands(new Set(["-m", "--mode"]))) {
            const path = resolve(dir);
            if (path === undefined) add(dir, true);
            else {
              found.push({ path: topNewDirectory(path, facts.finalWorkdir), dataDir: true, line, seq });
              exists(path);
            }
          }
          break;
        case "mv":
        case "cp":
        case "ln": {
          const words = operands();
          const target = args.indexOf("-t") >= 0 ? args[args.indexOf("-t") + 1] : undefined;
          const sources = target ? words : words.slice(0, -1);
          const dest = target ?? words[words.length - 1];
          if (!dest || sources.length === 0) break;
          const destPath = resolve(dest);
          if (destPath === undefined) {
            add(dest, false);
            break;
          }
          if (dest.endsWith("/") || baseImageDirectories.has(destPath) || existing.has(destPath) || target || sources.length > 1) {
            // `cp $BIN_PATH /usr/bin/`: the name the variable holds
            for (const source of sources) if (!/[*?[]/.test(source)) found.push({ path: posix.join(destPath, posix.basename(resolve(source) ?? source)), dataDir: false, line, seq });
            if (sources.some((s) => /[*?[]/.test(s)) && !baseImageDirectories.has(destPath)) found.push({ path: destPath, dataDir: false, line, seq });
          } else {
            found.push({ path: destPath, dataDir: false, line, seq });
          }
          break;
        }
        case "touch":
          for (const file of operands()) add(file, false);
          break;
        // compiled locales (`locale-gen`, `dpkg-reconfigure locales` after editing /etc/locale.gen) live in the archive glibc reads
        case "locale-gen":
        case "localedef":
          found.push({ path: "/usr/lib/locale", dataDir: false, line, seq });
          break;
        case "dpkg-reconfigure":
          if (args.includes("locales")) found.push({ path: "/usr/lib/locale", dataDir: false, line, seq });
          break;
        case "curl":
        case "wget": {
          const output = downloadOutput(command, args);
          if (output !== undefined) add(output, false);
          break;
        }
        case "tar":
        case "unzip": {
          const flag = command === "tar" ? ["-C", "--directory"] : ["-d"];
          const i = args.findIndex((a) => flag.includes(a));
          if (i >= 0 && args[i + 1]) {
            const into = resolve(args[i + 1]!);
            // an archive unpacked into /opt names its own top directory: PATH tells which one the image runs programs from
            if (into !== undefined && baseImageDirectories.has(into)) for (const dir of pathDirsBelow(into, facts.variables["PATH"])) found.push({ path: dir, dataDir: false, line, seq });
            else add(args[i + 1]!, false);
          }
          break;
        }
        case "rm":
          for (const path of operands()) {
            const resolved = resolve(path);
            if (resolved !== undefined) removed.push({ path: resolved, seq });
          }
          break;
      }
    }
  });
  const kept = found.filter((p, i) => {
    if (p.path === "/" || baseImageDirectories.has(p.path) || ignored.some((re) => re.test(p.path))) return false;
    if (removed.some((r) => r.seq > p.seq && removes(r.path, p.path))) return false;
    return found.findIndex((q) => q.path === p.path) === i;
  });
  // the final WORKDIR made with mkdir stands for itself only: what steps copy into it is listed apart,
  // for runtimes that take the binary alone rather than the WORKDIR
  const minimal = kept.filter((p) => !kept.some((q) => q.path !== p.path && within(p.path, q.path) && q.path !== facts.finalWorkdir.replace(/(.)\/$/, "$1")));
  return { paths: minimal, unresolved };
}

/** The file `curl -o FILE` / `wget -O FILE` writes, as written; undefined when it writes to standard output or names none. */
export function downloadOutput(command: "curl" | "wget", args: readonly string[]): string | undefined {
  const flag = command === "curl" ? ["-o", "--output"] : ["-O", "--output-document"];
  const i = args.findIndex((a) => flag.includes(a));
  const output = i >= 0 ? args[i + 1] : undefined;
  return output && output !== "-" ? output : undefined;
}

/** The directories right below `dir` that PATH entries lie in (`/opt/nvim/bin` on PATH, unpacked into /opt: `/opt/nvim`). */
function pathDirsBelow(dir: string, path: string | undefined): string[] {
  const entries = (path ?? "").split(":").filter((entry) => entry.startsWith(`${dir}/`) && !baseImageDirectories.has(entry));
  return [...new Set(entries.map((entry) => posix.join(dir, entry.slice(dir.length + 1).split("/")[0]!)))];
}

/** The highest directory above `path` that no base image has (so a `mkdir -p` created it). */
// the WORKDIR and its parents exist in any case (WORKDIR makes them): `mkdir -p` makes nothing above them
function topNewDirectory(path: string, workdir: string): string {
  let top = path;
  while (posix.dirname(top) !== "/" && !baseImageDirectories.has(posix.dirname(top)) && !within(workdir, posix.dirname(top))) top = posix.dirname(top);
  return top;
}

/** Whether `rm` of `pattern` (a path, or a glob such as `/libmemcached*`) takes `path` with it. */
function removes(pattern: string, path: string): boolean {
  if (!/[*?[]/.test(pattern)) return within(path, pattern);
  for (let p = path; p !== "/"; p = posix.dirname(p)) if (globMatches(pattern, p)) return true;
  return false;
}

/** Whether `path` is `dir` or below it. */
export function within(path: string, dir: string): boolean {
  return dir === "/" || path === dir || path.startsWith(`${dir}/`);
}

function resolvePath(word: string, cwd: string, variables: Record<string, string>): string | undefined {
  let unknown = false;
  const expanded = word
    .replace(/^["']|["']$/g, "")
    .replace(/\$\{?(\w+)\}?/g, (_, name: string) => {
      const value = variables[name];
      if (value === undefined) unknown = true;
      return value ?? "";
    });
  if (unknown || expanded.startsWith("~")) return undefined;
  const absolute = expanded.startsWith("/") ? expanded : posix.join(cwd, expanded);
  return posix.normalize(absolute).replace(/(.)\/$/, "$1");
}

/** Absolute paths a RUN step deletes with `rm` (`rm -rf .env` in the WORKDIR), whatever came before. */
export function pathsRemovedByBuild(facts: Facts): string[] {
  return removedPaths(facts, facts.body);
}

/** Whether a RUN after body entry `index` deletes `path` (`COPY requirements.txt /` then `rm -rf /requirements.txt`). */
export function removedAfter(facts: Facts, index: number, path: string): boolean {
  return removedPaths(facts, facts.body.slice(index + 1)).some((pattern) => removes(pattern, path));
}

function removedPaths(facts: Facts, entries: Facts["body"]): string[] {
  return entries.flatMap((entry) => (entry.run?.form === "shell" ? entry.run.segments : []).flatMap((segment) => {
    const argv = segment.argv[0] === "sudo" ? segment.argv.slice(1) : segment.argv;
    if (argv[0] !== "rm") return [];
    return argv.slice(1).filter((w) => !w.startsWith("-")).flatMap((w) => resolvePath(w, segment.cwd, segment.variables ?? facts.variables) ?? []);
  }));
}
