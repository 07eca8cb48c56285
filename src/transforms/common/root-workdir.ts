import { workdirAfter, type Facts } from "../../analysis/facts.js";
import { topLevel } from "../../analysis/context.js";
import { unsupported } from "../../errors.js";
import { argsOf } from "../../parser/document.js";
import { substitute } from "../../analysis/image-ref.js";
import { detectStack } from "../../analysis/stack.js";
import { composeRootLevelMounts } from "../../analysis/compose.js";
import { systemTopDirectory } from "../../analysis/system-directories.js";

/** Where msb puts an application that the original copied into `/` without a WORKDIR. */
export const movedAppDir = "/app";

type BodyEntry = Facts["body"][number];

/** `COPY . .` (or `COPY . /`) from the build context while the working directory is `/`. */
function copiesContextIntoRoot(entry: BodyEntry): boolean {
  return !!entry.copy && !entry.copy.fromImage && entry.copy.destAbs === "/" && entry.copy.sources.some((s) => s === "." || s === "./");
}

/**
 * The build context, or files of it, copied into `/` by an absolute destination written on one line
 * (`COPY . /`, `COPY . /.`, `ADD scraper.py /`): it moves by making the destination relative. Not an
 * ADD of an archive or a URL, which is unpacked or fetched where it says.
 */
function copiesToAbsoluteRoot(entry: BodyEntry, facts: Facts): boolean {
  const copy = entry.copy;
  if (!copy || copy.fromImage || copy.flags["from"] !== undefined || !/^\/(\.\/?)?$/.test(copy.dest)) return false;
  const contextFile = (s: string) => !/[*?[]/.test(s) && facts.context.kind(s.replace(/^\.\//, "")) === "file" && !(entry.keyword === "ADD" && /\.(tar|tgz|gz|bz2|xz|zst|txz|tbz2?)$|^\w+:\/\//i.test(s));
  return copy.sources.length > 0 && copy.sources.every((s) => s === "." || s === "./" || contextFile(s)) && absoluteRootDest.test(entry.ins.text);
}

const wholeContext = (entry: BodyEntry) => entry.copy!.sources.every((s) => s === "." || s === "./");

/** `COPY . /` becomes `COPY . .`; files named one by one go into `./`, the directory form several sources need. */
const relativeRoot = (entry: BodyEntry) => (wholeContext(entry) ? "." : "./");

const absoluteRootDest = /^([^\n]*[ \t])\/(\.\/?)?[ \t]*$/;

/** Any copy from the build context into `/` by a relative destination (`COPY requirements.txt ./`, `COPY ./app ./app`). */
function copiesIntoRootRelatively(entry: BodyEntry): boolean {
  return !!entry.copy && !entry.copy.fromImage && entry.workdir === "/" && !entry.copy.dest.startsWith("/") && /^\/([^/]+\/?)?$/.test(entry.copy.destAbs);
}

/** The names of the build context's top-level entries, as they appear under `/` after such a copy. */
function contextEntryNames(facts: Facts): string[] {
  return topLevel(facts.context).map((p) => p.replace(/\/$/, ""));
}

/**
 * An original without WORKDIR that copies its build context into `/` with relative paths
 * (`COPY . .`) mixes the application with the system files, so the runtime cannot copy it apart.
 * When nothing names those files by absolute path, the application moves under a WORKDIR of its
 * own and behaves the same (relative paths resolve there). Returns whether that applies; throws
 * (exit 3) when an absolute path depends on `/`.
 */
export function appMovesUnderWorkdir(facts: Facts): boolean {
  // another publisher's image may set a WORKDIR of its own: only `COPY . .` says the context goes into /
  const official = facts.resolvedImage.registry === "" && /^(library\/)?[^/]+$/.test(facts.resolvedImage.repository);
  // `COPY . /` too, where the working directory is `/` already (an official image without a WORKDIR of its own);
  // files copied one by one to `/` (`ADD bot.py /`) move with such a copy, but alone are copied piece by piece
  const rootCopy = facts.body.findIndex((e) => (official ? copiesIntoRootRelatively(e) || (copiesToAbsoluteRoot(e, facts) && wholeContext(e) && e.workdir === "/") : copiesContextIntoRoot(e)));
  if (rootCopy < 0) return false;
  const earlierWorkdirs = facts.body.slice(0, rootCopy).filter((e) => e.keyword === "WORKDIR");
  // an explicit `WORKDIR /` before the copy says no more than the image's default, when no WORKDIR follows
  // the copy; Go's pass keeps / itself, as its runtime copies only the binaries and the files they read
  if (earlierWorkdirs.length > 0) {
    // as resolved: `ENV APP_HOME .` then `WORKDIR $APP_HOME` is `/` too
    const onlyRootWorkdir = earlierWorkdirs.every((e) => /^\/(\.\/?)?$/.test(argsOf(e.ins).trim()) || workdirAfter(facts, facts.body.indexOf(e)) === "/") && !facts.body.slice(rootCopy).some((e) => e.keyword === "WORKDIR") && detectStack(facts).stack !== "go";
    if (!onlyRootWorkdir) return false;
  }
  if (manifestsOnlyInRoot(facts)) return false;
  // compose puts a file or directory at `/config.yaml` for the program run in `/` to read relatively:
  // pieces copied one by one stay where they were (a whole-context copy moves, and the mounts are linked or named)
  const wholeContextCopy = facts.body.some((e) => e.copy && !e.copy.fromImage && e.copy.sources.some((src) => src === "." || src === "./"));
  if (!wholeContextCopy && composeRootLevelMounts(facts.context).length > 0) return false;
  // the project tests its image's layout (container-structure-test's fileExistenceTests: `/app.py`): it stays
  if (!wholeContextCopy && testsRootLayout(facts)) return false;
  const laterWorkdirs = facts.body.filter((e) => e.keyword === "WORKDIR");
  if (laterWorkdirs.some((e) => workdirIntoCopy(e, facts) === undefined)) return false;
  const intoRoot = facts.body.filter((e) => e.copy && !e.copy.fromImage && (e.copy.destAbs === "/" || /^\/[^/]+$/.test(e.copy.destAbs)));
  const absolute = intoRoot.find((e) => e.copy!.dest.startsWith("/") && !(official && e.workdir === "/" && copiesToAbsoluteRoot(e, facts)));
  // no whole-context copy: named pieces in `/` are copied to the same paths in the runtime
  if (absolute && !intoRoot.some((e) => e.copy!.sources.some((src) => src === "." || src === "./"))) return false;
  if (absolute) throw unsupported(`line ${absolute.ins.startLine + 1}: copies the application into / without a WORKDIR and names ${absolute.copy!.dest} by absolute path; msb cannot move it apart from the system files (add a WORKDIR)`);
  const names = contextEntryNames(facts).filter((n) => n !== "" && n !== "Dockerfile");
  if (!intoRoot.some((e) => e.copy!.sources.some((src) => src === "." || src === "./")) && readsUncopiedEntryRelatively(facts, intoRoot, names)) return false;
  for (const entry of facts.body) {
    if (entry.copy || entry.keyword === "WORKDIR") continue;
    for (const name of names) {
      if (!absoluteReference(name).test(entry.ins.text)) continue;
      // `pip install -r /requirements.txt`, `CMD python /main.py`: the path moves with the application
      if (movableReference(entry, name)) continue;
      throw unsupported(`line ${entry.ins.startLine + 1}: refers to /${name}, which the original copies into / without a WORKDIR; msb cannot move the application apart from the system files (add a WORKDIR)`);
    }
  }
  return true;
}

/** `/requirements.txt` as a path of its own in an instruction's text (not `/usr/requirements.txt`). */
function absoluteReference(name: string): RegExp {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[\\s"'=:,\\[])/${escaped}(?=$|[\\s"'/,\\]])`, "gm");
}

/** A reference to a context entry copied into `/` that names it under /app once the application moves there. */
function movableReference(entry: BodyEntry, name: string): boolean {
  return ["RUN", "CMD", "ENTRYPOINT", "ENV", "HEALTHCHECK"].includes(entry.keyword) && !systemTopDirectory.test(name);
}

/** The context entries copied into `/` that steps name by absolute path, rewritten under /app when it moves. */
export function movedReferences(facts: Facts): string[] {
  const names = contextEntryNames(facts).filter((n) => n !== "" && n !== "Dockerfile");
  return names.filter((name) => facts.body.some((e) => !e.copy && e.keyword !== "WORKDIR" && movableReference(e, name) && absoluteReference(name).test(e.ins.text)));
}

/** A container-structure-test configuration in the context that checks a path directly under `/` (`path: "/app.py"`). */
function testsRootLayout(facts: Facts): boolean {
  const configs = facts.context.list().filter((p) => /\.ya?ml$/.test(p) && p.split("/").length <= 3 && !p.includes("node_modules/")).slice(0, 200);
  return configs.some((p) => {
    const text = facts.context.read(p) ?? "";
    return /^schemaVersion:/m.test(text) && /^fileExistenceTests:/m.test(text) && /^\s*path:\s*["']?\/[^/\s"']+["']?\s*$/m.test(text);
  });
}

/**
 * Whether the copied code names, relative to the working directory, a top-level entry of the context
 * that no step copies (`"./logs/app.log"`, `glob("data/*.csv")` with `logs/` and `data/` left out):
 * run in `/`, those resolve to `/logs` and `/data`, where the container's mounts put them, so the
 * application cannot move under a WORKDIR of its own; its pieces stay where the original put them.
 */
function readsUncopiedEntryRelatively(facts: Facts, intoRoot: BodyEntry[], names: string[]): boolean {
  const copied = new Set(intoRoot.flatMap((e) => e.copy!.sources.map((src) => src.replace(/^\.\//, "").split("/")[0]!)));
  const uncopied = names.filter((n) => !copied.has(n) && facts.context.kind(n) === "dir" && !n.startsWith("."));
  if (uncopied.length === 0) return false;
  const literal = new RegExp(`["'](\\./)?(${uncopied.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})/`);
  const code = facts.context.list().filter((p) => copied.has(p.split("/")[0]!) && /\.(py|js|mjs|cjs|ts|go|rb)$/.test(p)).slice(0, 500);
  return code.some((p) => literal.test(facts.context.read(p) ?? ""));
}

/**
 * Only single files go into `/` (`COPY Pipfile Pipfile` for an install), and the context itself is
 * copied whole to the final WORKDIR (`COPY . /app` then `WORKDIR /app`): the application already
 * lives apart from the system files, and the files in `/` are build inputs.
 */
function manifestsOnlyInRoot(facts: Facts): boolean {
  const workdir = facts.finalWorkdir;
  if (workdir === "/") return false;
  const intoRoot = facts.body.filter((e) => e.copy && !e.copy.fromImage && e.copy.flags["from"] === undefined && (e.copy.destAbs === "/" || /^\/[^/]+\/?$/.test(e.copy.destAbs)) && (e.copy.destAbs.replace(/\/$/, "") || "/") !== workdir);
  const singleFiles = intoRoot.every((e) => e.copy!.sources.every((src) => !/[*?[]/.test(src) && facts.context.kind(src.replace(/^\.\//, "")) === "file"));
  const contextToWorkdir = facts.body.some((e) => e.copy && !e.copy.fromImage && e.copy.sources.some((src) => src === "." || src === "./") && (e.copy.destAbs.replace(/\/$/, "") || "/") === workdir);
  return facts.context.known && singleFiles && contextToWorkdir;
}

/**
 * A WORKDIR after the context was copied into `/`, as it reads once the application has moved: a
 * relative one as written, an absolute one inside the copy (`/app` with `app/` in the context) under
 * the moved root. Undefined when it leaves the copy.
 */
function workdirIntoCopy(entry: BodyEntry, facts: Facts): string | undefined {
  // `WORKDIR $APP_HOME` with `ENV APP_HOME .`: the value the variable holds
  const raw = argsOf(entry.ins).trim();
  const path = /\$/.test(raw) ? substitute(raw, facts.variables) : raw;
  // `WORKDIR /` after the copy: the root the application was copied into, now its own directory
  if (/^\/(\.\/?)?$/.test(path)) return movedAppDir;
  if (!path.startsWith("/")) return /^[\w.-][\w./-]*$/.test(path) && !path.split("/").includes("..") ? path : undefined;
  const first = path.split("/").filter(Boolean)[0];
  if (first === undefined || /[$\s]/.test(path)) return undefined;
  return contextEntryNames(facts).includes(first) ? `${movedAppDir}${path}` : undefined;
}

/**
 * The Dockerfile text with `WORKDIR /app` right after its FROM instruction, later absolute WORKDIRs
 * moved with the copy, and `COPY . /` made `COPY . .`.
 */
export function withWorkdirAfterFrom(text: string, facts: Facts, eol: string): string {
  const lines = text.split(/\r?\n/);
  for (const entry of facts.body) {
    if (copiesToAbsoluteRoot(entry, facts) && entry.workdir === "/") lines[entry.ins.startLine] = lines[entry.ins.startLine]!.replace(absoluteRootDest, `$1${relativeRoot(entry)}`);
    // `COPY app $HOME/app/` with HOME never set: BuildKit expands it to nothing, so into / as well; relative now, into the moved app
    const unset = entry.copy && !entry.copy.fromImage && entry.workdir === "/" ? /^\$\{?(\w+)\}?\//.exec(entry.copy.dest)?.[1] : undefined;
    if (unset !== undefined && facts.variables[unset] === undefined && entry.ins.text.split(/\r?\n/).length === 1) {
      lines[entry.ins.startLine] = lines[entry.ins.startLine]!.replace(new RegExp(`([ \\t])\\$\\{?${unset}\\}?\\/(\\S*)[ \\t]*$`), (_m, lead: string, rest: string) => `${lead}./${rest}`);
    }
    if (entry.keyword !== "WORKDIR") continue;
    const moved = workdirIntoCopy(entry, facts);
    if (moved === undefined || !moved.startsWith(movedAppDir)) continue;
    const count = entry.ins.text.split(/\r?\n/).length;
    // the first WORKDIR going back to the moved root repeats the one after FROM: left out, its lines kept blank
    const repeats = moved === movedAppDir && !facts.body.some((e) => e.keyword === "WORKDIR" && e.ins.startLine < entry.ins.startLine);
    lines.splice(entry.ins.startLine, count, ...(repeats ? [] : [`WORKDIR ${moved}`]), ...Array<string>(repeats ? count : count - 1).fill(""));
  }
  const moved = movedReferences(facts);
  for (const entry of facts.body) {
    if (entry.copy || entry.keyword === "WORKDIR") continue;
    const count = entry.ins.text.split(/\r?\n/).length;
    for (let k = entry.ins.startLine; k < entry.ins.startLine + count; k++) {
      for (const name of moved) if (movableReference(entry, name)) lines[k] = lines[k]!.replace(absoluteReference(name), (_match, lead: string) => `${lead}${movedAppDir}/${name}`);
    }
  }
  const end = facts.fromIns.startLine + facts.fromIns.text.split(/\r?\n/).length;
  return [...lines.slice(0, end), `WORKDIR ${movedAppDir}`, ...lines.slice(end)].join(eol);
}

/**
 * Refuses (exit 3) an original that copies its build context into `/` and then works in a directory
 * of that copy (`COPY . .` then `WORKDIR /app`, with `app/` in the context): the application spans
 * `/` — its package.json or requirements, the dependencies installed beside them, files read through
 * `../` — so a runtime that copies the WORKDIR misses the rest, and `/` cannot be copied apart from
 * the system files.
 */
export function refuseAppSpanningRoot(facts: Facts): void {
  if (facts.finalWorkdir === "/") return;
  const rootCopy = facts.body.find(copiesContextIntoRoot);
  if (!rootCopy) return;
  const first = facts.finalWorkdir.split("/").filter(Boolean)[0];
  if (first === undefined || !contextEntryNames(facts).includes(first)) return;
  throw unsupported(`line ${rootCopy.ins.startLine + 1}: copies the build context into / and then works in ${facts.finalWorkdir}, a directory of that copy: the application spans / and the system files, so msb cannot copy it apart (copy the context into the WORKDIR instead)`);
}
