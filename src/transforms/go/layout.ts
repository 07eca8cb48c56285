import { posix } from "node:path";
import { commandWords } from "../../analysis/commands.js";
import { isDirectory as contextIsDirectory, type BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { importPathBinaryName } from "./binaries.js";
import type { GoSourceIndex } from "./sources.js";

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
}

interface Mapping {
  dest: string;
  source: string;
}

const systemDirectories = ["/usr/local/bin", "/usr/local/sbin", "/usr/bin", "/usr/sbin", "/bin", "/sbin", "/go/bin", "/usr/local/go/bin", "/tmp"];

export function sourceLayout(facts: Facts, context: BuildContext, index: GoSourceIndex, options: { gopath: string; gobin: string; modulePath?: string; moduleMode: boolean }): SourceLayout {
  const mappings: Mapping[] = [];
  const made: string[] = [];
  let moduleRoot: string | undefined;
  for (const entry of facts.body) {
    const copy = entry.copy;
    if (copy && !copy.fromImage && !copy.heredoc && copy.flags["from"] === undefined) {
      for (const source of copy.sources) {
        const clean = source.replace(/^\.\//, "").replace(/\/$/, "");
        if (clean === "" || clean === ".") mappings.push({ dest: copy.destAbs, source: "" });
        else if (!/[*?[]/.test(clean) && contextIsDirectory(context, clean) && context.known) mappings.push({ dest: copy.destAbs, source: clean });
        if (clean === "go.mod") moduleRoot = copy.destAbs.endsWith("/") || copy.sources.length > 1 || copy.dest.endsWith("/") || copy.dest === "." ? copy.destAbs.replace(/\/$/, "") || "/" : posix.dirname(copy.destAbs);
        if ((clean === "" || clean === ".") && moduleRoot === undefined) moduleRoot = copy.destAbs.replace(/\/$/, "") || "/";
      }
    }
    for (const segment of entry.run?.segments ?? []) {
      const words = commandWords(segment.argv);
      if (words[0] === "mkdir") made.push(...words.slice(1).filter((w) => !w.startsWith("-")).map((w) => posix.resolve(segment.cwd, w)));
    }
  }
  const under = (abs: string, dir: string) => abs === dir || dir === "/" || abs.startsWith(`${dir.replace(/\/$/, "")}/`);
  const contextDirOf = (abs: string): string | undefined => {
    for (let i = mappings.length - 1; i >= 0; i--) {
      const m = mappings[i]!;
      const dest = m.dest.replace(/\/$/, "") || "/";
      if (!under(abs, dest)) continue;
      const rel = posix.relative(dest, abs);
      return posix.join(m.source, rel).replace(/^\.$/, "");
    }
    return undefined;
  };
  const buildPathOf = (contextPath: string): string | undefined => {
    for (let i = mappings.length - 1; i >= 0; i--) {
      const m = mappings[i]!;
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

  const packagesAt = (abs: string, recursive: boolean) => {
    const base = contextDirOf(abs);
    if (recursive) {
      if (base === undefined || index.dirs.length === 0) return undefined;
      const dirs = index.dirs.filter((d) => base === "" || d === base || d.startsWith(`${base}/`));
      const mains = dirs.filter(isMain).map((dir) => ({ name: nameFor(posix.join(abs, posix.relative(base || ".", dir || "."))), dir }));
      return { mains, dirs };
    }
    if (base !== undefined && index.dirs.includes(base)) return { mains: isMain(base) ? [{ name: nameFor(abs), dir: base }] : [], dirs: [base] };
    // not in the context msb sees (generated, or no context given): Go would still name it this way
    return { mains: [{ name: nameFor(abs) }], dirs: [] };
  };

  const layout: SourceLayout = {
    ...options,
    moduleRoot,
    index,
    contextDirOf,
    buildPathOf,
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
        if (importPath === options.modulePath) return moduleRoot ? contextDirOf(moduleRoot) ?? "" : "";
        if (importPath.startsWith(`${options.modulePath}/`)) {
          const rel = importPath.slice(options.modulePath.length + 1);
          const rootDir = moduleRoot ? contextDirOf(moduleRoot) ?? "" : "";
          return posix.join(rootDir, rel);
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
