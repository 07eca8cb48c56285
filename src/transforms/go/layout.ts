import { posix } from "node:path";
import { commandWords } from "../../analysis/commands.js";
import { isDirectory as contextIsDirectory, type BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { importPathBinaryName } from "./binaries.js";
import type { GoSourceIndex } from "./sources.js";
import { globMatches } from "../common/manifest-first.js";
import { dockerignore } from "../../analysis/dockerignore.js";

/** Where the build context lands in the build stage, and how Go names and finds packages there. */
export interface SourceLayout {
  gopath: string;
  gobin: string;
  modulePath?: string;
  moduleMode: boolean;
  /** Absolute directory the module root (go.mod) is copied to, when known. */
  moduleRoot?: string;
  index: GoSourceIndex;
  /** The context path (relative, "" for the root) that an absolute build-stage path comes from. */
  contextDirOf(abs: string): string | undefined;
  /** The build-stage path a context path is copied to. */
  buildPathOf(contextPath: string): string | undefined;
  /** Whether a path is an existing directory when the build runs (for `-o DIR`). */
  isDirectory(abs: string): boolean;
  /** The main packages a package argument names; undefined when msb cannot see them. */
  mainPackages(arg: string, cwd: string): { mains: { name: string; dir?: string }[]; dirs: string[] } | undefined;
  /** The context directory of a package the sources import, when it is part of these sources. */
  localDirOfImport(importPath: string): string | undefined;
  /** Whether `.dockerignore` keeps a context path out of the build. */
  ignored(contextPath: string): boolean;
  /** Build-stage paths of single files a COPY puts there, by the context file they come from (`config.yml.example` → /app/config.yml). */
  copiedFiles(): { dest: string; source: string }[];
}

interface Mapping {
  dest: string;
  source: string;
  /** A single file copied to exactly `dest`. */
  file?: boolean;
  /** Only names matching this glob (one level, e.g. `*.go`) were copied into `dest`. */
  glob?: string;
  /** Stands for one file copied into `dest`: names the directory only where no other copy fills it. */
  weak?: boolean;
}

const systemDirectories = ["/usr/local/bin", "/usr/local/sbin", "/usr/bin", "/usr/sbin", "/bin", "/sbin", "/go/bin", "/usr/local/go/bin", "/tmp"];

export function sourceLayout(facts: Facts, context: BuildContext, index: GoSourceIndex, options: { gopath: string; gobin: string; modulePath?: string; moduleMode: boolean; moduleRoot?: string }): SourceLayout {
  const mappings: Mapping[] = [];
  const made: string[] = [];
  let moduleRoot: string | undefined = options.moduleRoot;
  // directories that exist when a COPY runs: a single file copied onto one lands inside it (`COPY .env /app`)
  const directories = new Set<string>(["/"]);
  for (const entry of facts.body) {
    directories.add(entry.workdir);
    const copy = entry.copy;
    if (copy && !copy.fromImage && !copy.heredoc && copy.flags["from"] === undefined) {
      const destDir = copy.destAbs.replace(/\/$/, "") || "/";
      for (const source of copy.sources) {
        const clean = source.replace(/^\.\//, "").replace(/\/$/, "");
        const intoDirectory = copy.dest.endsWith("/") || copy.sources.length > 1 || copy.dest === "." || /[*?[]/.test(clean) || directories.has(destDir) || made.includes(destDir);
        if (clean === "" || clean === ".") mappings.push({ dest: copy.destAbs, source: "" });
        else if (/[*?[]/.test(clean)) {
          if (!/[*?[]/.test(posix.dirname(clean))) mappings.push({ dest: copy.destAbs, source: posix.dirname(clean).replace(/^\.$/, ""), glob: posix.basename(clean) });
        } else if (context.known && contextIsDirectory(context, clean)) mappings.push({ dest: copy.destAbs, source: clean });
        else if (context.known && context.kind(clean) === "file") {
          mappings.push({ dest: intoDirectory ? posix.join(copy.destAbs, posix.basename(clean)) : copy.destAbs, source: clean, file: true });
          // `COPY server.go /app/`: /app is the file's context directory, though only that name came
          if (intoDirectory) mappings.push({ dest: copy.destAbs, source: posix.dirname(clean).replace(/^\.$/, ""), glob: posix.basename(clean), weak: true });
        }
        if (clean === "" || clean === "." || (context.known && contextIsDirectory(context, clean))) directories.add(destDir);
        if (clean === "go.mod" && options.moduleRoot === undefined) moduleRoot = intoDirectory || copy.destAbs.endsWith("/") ? destDir : posix.dirname(copy.destAbs);
        if ((clean === "" || clean === ".") && moduleRoot === undefined) moduleRoot = copy.destAbs.replace(/\/$/, "") || "/";
      }
    }
    for (const segment of entry.run?.segments ?? []) {
      const words = commandWords(segment.argv);
      if (words[0] === "mkdir") made.push(...words.slice(1).filter((w) => !w.startsWith("-")).map((w) => posix.resolve(segment.cwd, w)));
    }
  }
  const under = (abs: string, dir: string) => abs === dir || dir === "/" || abs.startsWith(`${dir.replace(/\/$/, "")}/`);
  // several COPY steps can fill one directory: the newest that holds the path in the context wins
  const contextDirOf = (abs: string): string | undefined => {
    const candidates = contextCandidates(abs);
    return candidates.find((c) => !context.known || c === "" || context.kind(c) !== undefined) ?? candidates[0];
  };
  const contextCandidates = (abs: string): string[] => {
    const out: string[] = [];
    const weakLast = [...mappings.filter((m) => m.weak), ...mappings.filter((m) => !m.weak)];
    for (let i = weakLast.length - 1; i >= 0; i--) {
      const m = weakLast[i]!;
      const dest = m.dest.replace(/\/$/, "") || "/";
      if (m.file) {
        if (abs === dest) out.push(m.source);
        continue;
      }
      if (!under(abs, dest)) continue;
      const rel = posix.relative(dest, abs);
      if (m.glob !== undefined && rel !== "" && (rel.includes("/") || !globMatches(m.glob, rel))) continue;
      out.push(posix.join(m.source, rel).replace(/^\.$/, ""));
    }
    return out;
  };
  const buildPathOf = (contextPath: string): string | undefined => {
    for (let i = mappings.length - 1; i >= 0; i--) {
      const m = mappings[i]!;
      if (m.file) {
        if (contextPath === m.source) return m.dest;
        continue;
      }
      if (m.glob !== undefined) {
        if (posix.dirname(contextPath) === (m.source || ".") && globMatches(m.glob, posix.basename(contextPath))) return posix.join(m.dest, posix.basename(contextPath));
        continue;
      }
      if (m.source === "" || contextPath === m.source || contextPath.startsWith(`${m.source}/`)) return posix.join(m.dest, posix.relative(m.source || ".", contextPath || "."));
    }
    return undefined;
  };
  const gopathSrc = `${options.gopath}/src/`;
  const importRootOf = (abs: string): string | undefined => (abs.startsWith(gopathSrc) ? abs.slice(gopathSrc.length) : undefined);

  const nameFor = (abs: string): string => {
    if (options.moduleMode && options.modulePath && moduleRoot && under(abs, moduleRoot)) {
      const rel = posix.relative(moduleRoot, abs);
      return importPathBinaryName(rel ? `${options.modulePath}/${rel}` : options.modulePath);
    }
    return posix.basename(abs) || "app";
  };
  const isMain = (dir: string) => index.files(dir).some((f) => f.packageName === "main");

  /** Go files copied one by one into a directory (`COPY main.go util.go ./`): their package, wherever they came from. */
  const copiedGoPackage = (abs: string): { mains: { name: string; dir?: string }[]; dirs: string[] } | undefined => {
    const sources = mappings.filter((m) => m.file && m.source.endsWith(".go") && posix.dirname(m.dest) === abs).map((m) => m.source);
    if (sources.length === 0) return undefined;
    const dir = posix.dirname(sources[0]!) === "." ? "" : posix.dirname(sources[0]!);
    const files = index.files(dir).filter((f) => sources.includes(f.path));
    return { mains: files.some((f) => f.packageName === "main") || files.length === 0 ? [{ name: nameFor(abs), dir }] : [], dirs: [dir] };
  };
  const packagesAt = (abs: string, recursive: boolean) => {
    const copied = copiedGoPackage(abs);
    if (copied) return copied;
    const base = contextDirOf(abs);
    if (recursive) {
      // sources msb cannot see (copied by a glob, or no context): Go names the package at the pattern's root like this
      if (base === undefined || index.dirs.length === 0) return { mains: [{ name: nameFor(abs) }], dirs: [] };
      const dirs = index.dirs.filter((d) => base === "" || d === base || d.startsWith(`${base}/`));
      const mains = dirs.filter(isMain).map((dir) => ({ name: nameFor(posix.join(abs, posix.relative(base || ".", dir || "."))), dir }));
      return { mains, dirs };
    }
    if (base !== undefined && index.dirs.includes(base)) return { mains: isMain(base) ? [{ name: nameFor(abs), dir: base }] : [], dirs: [base] };
    // not in the context msb sees (generated, or no context given): Go would still name it this way
    return { mains: [{ name: nameFor(abs) }], dirs: [] };
  };

  // the main module, then the modules its go.work uses (`module tools` in ./tools), by context directory
  let modules: { path: string; dir: string }[] | undefined;
  const localModules = () => {
    if (!modules) {
      const rootDir = moduleRoot ? contextDirOf(moduleRoot) ?? "" : "";
      modules = [{ path: options.modulePath!, dir: rootDir }, ...workspaceModules(context, rootDir)];
    }
    return modules;
  };

  const ignore = dockerignore(context.read(".dockerignore"));
  const layout: SourceLayout = {
    ignored: ignore,
    ...options,
    moduleRoot,
    index,
    contextDirOf,
    buildPathOf,
    copiedFiles: () => mappings.filter((m) => m.file).map((m) => ({ dest: m.dest, source: m.source })),
    isDirectory: (abs) => systemDirectories.includes(abs) || abs === options.gobin || made.includes(abs) || (contextDirOf(abs) !== undefined && context.kind(contextDirOf(abs)!) === "dir"),
    mainPackages(arg, cwd) {
      const recursive = arg.endsWith("/...") || arg === "...";
      const path = arg.replace(/\/?\.\.\.$/, "") || ".";
      if (path.startsWith(".") || path.startsWith("/")) return packagesAt(posix.resolve(cwd, path), recursive);
      const local = layout.localDirOfImport(path);
      if (local !== undefined) {
        const abs = layout.buildPathOf(local) ?? posix.join(moduleRoot ?? cwd, local);
        return packagesAt(abs, recursive);
      }
      if (recursive) return undefined;
      return { mains: [{ name: importPathBinaryName(path) }], dirs: [] };
    },
    localDirOfImport(importPath) {
      if (options.moduleMode && options.modulePath) {
        // the main module's packages are where the image has them under go.mod's directory: `COPY cmd/main.go ./`
        // beside `COPY pkg/ ./pkg` puts the import path's pkg at the module root's pkg/, the context's pkg/
        const main = options.modulePath;
        if (moduleRoot && (importPath === main || importPath.startsWith(`${main}/`))) {
          const inImage = contextDirOf(posix.join(moduleRoot, importPath.slice(main.length + 1)));
          if (inImage !== undefined && context.kind(inImage || ".") === "dir") return inImage;
        }
        for (const m of localModules()) {
          if (importPath === m.path) return m.dir;
          if (importPath.startsWith(`${m.path}/`)) return posix.join(m.dir, importPath.slice(m.path.length + 1));
        }
        return undefined;
      }
      for (const m of mappings) {
        const root = importRootOf(m.dest.replace(/\/$/, ""));
        if (root === undefined) continue;
        if (importPath === root) return m.source;
        if (importPath.startsWith(`${root}/`)) return posix.join(m.source, importPath.slice(root.length + 1));
      }
      return undefined;
    },
  };
  return layout;
}

/** The modules a go.work in the module's directory uses, by module path and context directory. */
function workspaceModules(context: BuildContext, rootDir: string): { path: string; dir: string }[] {
  const work = context.read(posix.join(rootDir || ".", "go.work"));
  if (work === undefined) return [];
  const uses = [...work.matchAll(/^\s*use\s+([^\s(]+)\s*$/gm)].map((m) => m[1]!);
  for (const block of work.matchAll(/^\s*use\s*\(([\s\S]*?)\)/gm)) uses.push(...block[1]!.split("\n").map((l) => l.replace(/\/\/.*$/, "").trim()).filter(Boolean));
  return uses.flatMap((use) => {
    const dir = posix.normalize(posix.join(rootDir || ".", use.replace(/^"|"$/g, "")));
    const path = /^\s*module\s+"?([^\s"]+)"?/m.exec(context.read(posix.join(dir, "go.mod")) ?? "")?.[1];
    return path ? [{ path, dir: dir === "." ? "" : dir }] : [];
  });
}
