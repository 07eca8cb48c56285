import { posix } from "node:path";
import { DockerfileParser } from "dockerfile-ast";
import { convert } from "../../src/index.js";
import { testMarkerPath } from "../../src/transforms/common/test-gate.js";

interface Stage {
  name: string;
  base: string;
  lines: { keyword: string; text: string; from?: string }[];
}

export function stagesOf(text: string): Stage[] {
  const doc = DockerfileParser.parse(text);
  const stages: Stage[] = [];
  for (const ins of doc.getInstructions()) {
    const keyword = ins.getKeyword().toUpperCase();
    const args = ins.getArgumentsContent() ?? "";
    if (keyword === "FROM") {
      const words = ins.getArguments().map((a) => a.getValue());
      const asAt = words.findIndex((w) => w.toLowerCase() === "as");
      const base = words.filter((w) => !w.startsWith("--"))[0] ?? "";
      stages.push({ name: asAt >= 0 ? words[asAt + 1] ?? "" : String(stages.length), base, lines: [] });
    } else if (stages.length > 0) {
      const flags = (ins as unknown as { getFlags?: () => { getName(): string; getValue(): string | null }[] }).getFlags?.() ?? [];
      const from = flags.find((f) => f.getName() === "from")?.getValue() ?? undefined;
      stages[stages.length - 1]!.lines.push({ keyword, text: args.trim(), ...(from ? { from } : {}) });
    }
  }
  return stages;
}

/** Names of the stages the given stage needs (FROM and COPY --from), transitively. */
export function dependencies(stages: Stage[], name: string, seen = new Set<string>()): Set<string> {
  const stage = stages.find((s) => s.name === name);
  if (!stage || seen.has(name)) return seen;
  seen.add(name);
  const refs = [stage.base, ...stage.lines.flatMap((l) => l.from ?? [])];
  for (const ref of refs) if (stages.some((s) => s.name === ref)) dependencies(stages, ref, seen);
  return seen;
}

const carried = ["ENV", "EXPOSE", "LABEL", "VOLUME", "HEALTHCHECK", "STOPSIGNAL", "WORKDIR"];
const secret = /(SECRET|PASSWORD|PASSWD|PASSPHRASE|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL|AUTH)/i;

/** Checks every contract invariant of a conversion; returns the violations (empty: all hold). */
export interface InvariantOptions {
  tests?: "gate" | "target";
  startReplaced?: boolean;
  rootRequired?: boolean;
  /** WORKDIRs and paths msb moved with the application (`/bot` → `/app/bot`, `/src` → `/app/src`), by original path. */
  movedWorkdirs?: Record<string, string>;
}

/** The invariant options a conversion's own report implies: a start command it replaced, a root it kept, WORKDIRs it moved. */
export function invariantOptionsFrom(result: { stack: string; notes: { message: string }[] }): InvariantOptions {
  const notes = result.notes.map((n) => n.message);
  return {
    startReplaced: result.stack === "static" || notes.some((m) => /starts node directly|the start command runs without "\w+ run"/.test(m)),
    rootRequired: notes.some((m) => /GitHub Docker container action|drops privileges itself|drops privileges to it|drops privileges to the ids|runs the host.s checkout|serves TLS with the private key|mounts the private key|Docker daemon's socket|Docker Engine client|Docker SDK|in root.s home: run as root|below 1024, and [^:]* (Kubernetes|Amazon ECS)|a bind mount keeps the host directory.s owner|Docker grants capabilities and devices to the container.s root|only the container.s root has the capabilities or device access|in root.s home, which is readable by root only/.test(m)),
    movedWorkdirs: Object.fromEntries(notes.flatMap((m) => {
      if (/msb moves it to/.test(m)) return [...m.matchAll(/(\/[^\s,;()]*) becomes (\/[^\s,;()]+)/g)].map((x) => [x[1]!, x[2]!]);
      // a Go program's working directory moved for the runtime user (root's home, or a `/` it writes in)
      const runtimeMove = /(?:WORKDIR |working directory, )(\/[^\s,;]*)[\s,;].*the runtime works in (\/[^\s,;]+) instead/.exec(m);
      return runtimeMove ? [[runtimeMove[1]!, runtimeMove[2]!]] : [];
    })),
  };
}

/** An ENV line with the paths msb moved written where they now are (`PYTHONPATH=/src` → `PYTHONPATH=/app/src`). */
function withMovedPaths(text: string, moved: Record<string, string> = {}): string {
  let out = text;
  for (const [from, to] of Object.entries(moved)) {
    if (from === "/") continue;
    out = out.replace(new RegExp(`(^|[\\s"'=:,])${from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?=$|[\\s"'/,:])`, "g"), (_match, lead: string) => `${lead}${to}`);
  }
  return out;
}

export function invariantViolations(original: string, converted: string, options: InvariantOptions = {}): string[] {
  const problems: string[] = [];
  const out = stagesOf(converted);
  const input = stagesOf(original);
  if (out.length < 2) problems.push("output is not multi-stage");
  const globals = Object.fromEntries([...converted.matchAll(/^ARG\s+(\w+)=(\S+)/gm)].map((m) => [m[1]!, m[2]!]));
  const last = out[out.length - 1]!;
  const final = { ...last, base: last.base.replace(/^\$\{(\w+)\}$/, (_, n: string) => globals[n] ?? n) };
  const runtime = final.lines.length === 0 ? out.find((s) => s.name === final.base) ?? final : final;
  const source = input[0]!;

  const users = runtime.lines.filter((l) => l.keyword === "USER");
  const user = users[users.length - 1]?.text;
  if (options.rootRequired) {
    if (users.length > 0 && !/^(root|0)(:|$)/.test(user ?? "")) problems.push("a runtime that must stay root got a USER");
  } else if (!user) problems.push("runtime has no USER");
  else if (/^(root|0)(:|$)/.test(user)) problems.push(`runtime runs as ${user}`);

  for (const keyword of carried) {
    for (const line of source.lines.filter((l) => l.keyword === keyword)) {
      if (keyword === "ENV" && secret.test(line.text)) continue;
      // a WORKDIR only root can enter moves elsewhere, unless the runtime stays root; it must not stay under /root
      // (a WORKDIR named by a variable may be one: then only a runtime WORKDIR is required)
      if (keyword === "WORKDIR" && !options.rootRequired && /^\/root(\/|$)|\$/.test(line.text)) {
        if (line.text.includes("$")) {
          if (!runtime.lines.some((l) => l.keyword === "WORKDIR")) problems.push(`WORKDIR ${line.text} has no counterpart in the runtime stage`);
          continue;
        }
        if (!runtime.lines.some((l) => l.keyword === "WORKDIR") || runtime.lines.some((l) => l.keyword === "WORKDIR" && /^\/root(\/|$)/.test(l.text))) problems.push(`WORKDIR ${line.text} is not readable by a non-root user`);
        continue;
      }
      const expected = keyword === "WORKDIR" ? options.movedWorkdirs?.[line.text] ?? line.text : keyword === "ENV" ? withMovedPaths(line.text, options.movedWorkdirs) : line.text;
      // a relative WORKDIR resolves against the image's own working directory, which the runtime image may not share: written resolved
      const resolved = (text: string) => keyword === "WORKDIR" && !expected.startsWith("/") && text.endsWith(`/${expected.replace(/^\.\//, "").replace(/\/$/, "")}`);
      if (!runtime.lines.some((l) => l.keyword === keyword && (l.text === expected || resolved(l.text)))) problems.push(`${keyword} ${line.text} is not in the runtime stage`);
    }
  }
  if (!options.startReplaced) {
    for (const keyword of ["CMD", "ENTRYPOINT"]) {
      const before = source.lines.filter((l) => l.keyword === keyword).pop();
      const after = runtime.lines.filter((l) => l.keyword === keyword).pop();
      if (before && !after) problems.push(`${keyword} is missing from the runtime`);
      // a path the report says moved (`/bot becomes /app/bot`) is where the application now is
      if (keyword === "ENTRYPOINT" && before && after && before.text !== after.text && withMovedPaths(before.text, options.movedWorkdirs) !== after.text) problems.push(`ENTRYPOINT changed: ${before.text} → ${after.text}`);
    }
  }

  const globalArgs = original.split(/\r?\n/).slice(0, original.split(/\r?\n/).findIndex((l) => /^\s*FROM\s/i.test(l))).filter((l) => /^\s*ARG\s/i.test(l));
  for (const arg of globalArgs) if (!converted.includes(arg)) problems.push(`global ${arg.trim()} was dropped`);
  for (const comment of original.split(/\r?\n/).filter((l) => /^\s*#/.test(l))) {
    if (!converted.split(/\r?\n/).includes(comment)) problems.push(`comment lost: ${comment.trim()}`);
  }

  const needed = dependencies(out.map((s) => (s.name === final.name ? final : s)), final.name);
  for (const stage of out) {
    if (!needed.has(stage.name) && !["test", "development"].includes(stage.name)) problems.push(`stage ${stage.name} is not needed by the final stage`);
  }
  const ranTests = /\b(npm (run )?test|yarn test|pnpm (run )?test|pytest|go test|unittest)\b/.test(original);
  const testStage = out.find((s) => s.name === "test");
  if (ranTests && testStage && (options.tests ?? "gate") === "gate" && !needed.has("test")) problems.push("the default build does not run the tests");

  for (const line of runtime.lines.filter((l) => l.keyword === "COPY" && l.from === "test")) {
    if (!line.text.includes(testMarkerPath)) problems.push(`runtime copies ${line.text} from the test stage (test artefacts would ship)`);
  }
  const firstWorkdir = runtime.lines.findIndex((l) => l.keyword === "WORKDIR");
  const firstUser = runtime.lines.findIndex((l) => l.keyword === "USER");
  if (!options.rootRequired && firstWorkdir >= 0 && (firstUser < 0 || firstUser > firstWorkdir)) problems.push("runtime WORKDIR comes before USER: the directory would be root's");

  for (const problem of unproducedCopies(out, runtime)) problems.push(problem);

  const again = convert(converted);
  if (again.status !== "unchanged" || again.dockerfile !== converted) problems.push("converting the output again changes it");
  return problems;
}

/** Paths a COPY --from names that nothing in that stage (or the stages it starts from) makes or copies. */
function unproducedCopies(stages: Stage[], runtime: Stage): string[] {
  const problems: string[] = [];
  const chain = (name: string, seen = new Set<string>()): Stage[] => {
    const stage = stages.find((s) => s.name === name);
    if (!stage || seen.has(name)) return [];
    seen.add(name);
    return [stage, ...chain(stage.base, seen)];
  };
  for (const line of runtime.lines.filter((l) => l.keyword === "COPY" && l.from && stages.some((s) => s.name === l.from))) {
    const sources = copySources(line.text);
    const evidence: string[] = ["/etc/ssl/certs", "/usr/share/zoneinfo", "/usr/local/lib/node_modules", "/usr/local/bin", "/go/bin", "/go/pkg"];
    let contextInRoot = false;
    const patternDests: string[] = [];
    for (const stage of chain(line.from!)) {
      // the official golang image starts in /go (its GOPATH)
      let workdir = chain(stage.name).some((s) => /(^|\/)golang[:@]/.test(s.base)) ? "/go" : "/";
      const env: Record<string, string> = {};
      for (const l of stage.lines) {
        if (l.keyword === "ENV") for (const m of l.text.matchAll(/(\w+)[= ]"?([^\s"]+)"?/g)) env[m[1]!] ??= m[2]!;
        if (l.keyword === "WORKDIR") {
          const dir = l.text.replace(/^"|"$/g, "").replace(/\$\{?(\w+)\}?/g, (whole, name: string) => env[name] ?? whole);
          workdir = dir.startsWith("/") ? dir : `${workdir}/${dir}`;
          evidence.push(workdir);
        }
        if (l.keyword === "COPY" || l.keyword === "ADD") {
          const dest = posix.resolve(workdir, copySources(l.text, true)[0] ?? "");
          // the build context copied into / itself: which entries it brought is the context's business
          if (dest === "/" && !/--from=/.test(l.text) && copySources(l.text).some((src) => src === "." || src === "./")) contextInRoot = true;
          evidence.push(dest, ...copySources(l.text).map((src) => posix.join(dest, posix.basename(src))));
          // a pattern (`COPY bot/* /`) brings files of names this check cannot list, directly under its destination
          if (!/--from=/.test(l.text) && copySources(l.text).some((src) => /[*?[]/.test(src))) patternDests.push(dest);
        }
        if (l.keyword === "RUN" || l.keyword === "ENV") for (const m of l.text.matchAll(/(?:^|[\s=:"'>])(\/[\w.@+\/-]+)/g)) evidence.push(m[1]!);
        // compiling locales writes glibc's archive
        if (l.keyword === "RUN" && /\blocale-gen\b|\blocaledef\b|dpkg-reconfigure[^\n]*\blocales\b/.test(l.text)) evidence.push("/usr/lib/locale");
        // relative targets (`mv node_modules ../`) land relative to the stage's WORKDIR
        if (l.keyword === "RUN") {
          const words = l.text.split(/[\s;&|]+/);
          words.forEach((word, i) => {
            if (/^\.\.?(\/|$)/.test(word)) evidence.push(posix.resolve(workdir, word), posix.resolve(workdir, word, posix.basename(words[i - 1] ?? "")));
            // an output file named by -o (go build -o app) lands in the WORKDIR
            if ((words[i - 1] === "-o" || words[i - 1] === "-O") && !word.startsWith("/")) evidence.push(posix.resolve(workdir, word));
            // `go build main.go` without -o writes main in the WORKDIR
            if (/\bgo\s+build\b/.test(l.text) && !/\s-o\s/.test(l.text) && /^[\w./-]+\.go$/.test(word)) evidence.push(posix.resolve(workdir, posix.basename(word, ".go")));
          });
          // directories `mkdir` makes relative to the WORKDIR
          for (const segment of l.text.split(/&&|\|\||;/)) {
            const argv = segment.trim().split(/\s+/);
            if (argv[0] === "mkdir") for (const arg of argv.slice(1)) if (!arg.startsWith("-") && !arg.startsWith("/")) evidence.push(posix.resolve(workdir, arg));
          }
        }
      }
    }
    const norm = (p: string) => p.replace(/\/+$/, "").replace(/\/\.\//g, "/").replace(/\/\.$/, "") || "/";
    for (const source of sources) {
      const p = norm(source);
      // paths this check cannot follow: variables, globs, white space (a WORKDIR with a continuation)
      if (/[$*\s\\]/.test(p) || !p.startsWith("/")) continue;
      const made = contextInRoot || patternDests.includes(posix.dirname(p)) || evidence.map(norm).some((e) => e !== "/" && (p === e || p.startsWith(`${e}/`) || e.startsWith(`${p}/`)));
      if (!made) problems.push(`runtime copies ${p} from ${line.from}, which no step there makes or copies`);
    }
  }
  return problems;
}

/** The sources of a COPY's arguments (flags dropped), or with `destOnly` just its destination. */
function copySources(args: string, destOnly = false): string[] {
  const rest = args.replace(/^(--\S+\s+)+/, "").trim();
  let words = rest.split(/\s+/);
  if (rest.startsWith("[")) {
    try {
      words = JSON.parse(rest) as string[];
    } catch {
      /* not JSON after all: the shell form's words */
    }
  }
  return destOnly ? [words[words.length - 1] ?? ""] : words.slice(0, -1);
}
