/**
 * The build context as the passes see it: which files exist next to the Dockerfile and what the few
 * that matter contain. Passes only read through this interface, so a conversion is a pure function of
 * (Dockerfile text, context) and tests can supply an in-memory context.
 */
export interface BuildContext {
  /** Whether a real context is behind this object (false: nothing is known about files). */
  readonly known: boolean;
  /** Relative POSIX paths of every file, directories ending in "/"; bounded, sorted. */
  list(): readonly string[];
  /** The text of a file, or undefined when absent, unreadable or too large. */
  read(path: string): string | undefined;
  /** Whether a path is a file, a directory, or absent (without listing everything). */
  kind(path: string): "file" | "dir" | undefined;
  /** The Dockerfile's directory inside the context (`build` for `-f build/Dockerfile .`), when it is not the top. */
  readonly dockerfileDir?: string;
  /** The Dockerfile's path inside the context (`build/Dockerfile.prod`), when it is known and inside. */
  readonly dockerfilePath?: string;
}

/**
 * The context with where its Dockerfile lives (a path relative to the context): compose files beside
 * it are read too, and compose services built from another Dockerfile are told apart.
 */
export function withDockerfile(context: BuildContext, path: string): BuildContext {
  const file = path.replace(/^(\.\/)+/, "");
  if (file === "" || file.startsWith("..") || file.startsWith("/")) return context;
  const dir = file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : "";
  return { known: context.known, list: () => context.list(), read: (p) => context.read(p), kind: (p) => context.kind(p), ...(dir ? { dockerfileDir: dir } : {}), dockerfilePath: file };
}

const clean = (path: string) => path.replace(/^\.\//, "").replace(/\/$/, "");

export function has(context: BuildContext, path: string): boolean {
  return context.kind(clean(path)) !== undefined;
}

export function isDirectory(context: BuildContext, path: string): boolean {
  const p = clean(path);
  return p === "" || p === "." || context.kind(p) === "dir";
}

/** Top-level entry names (files and directories, directories ending in "/"). */
export function topLevel(context: BuildContext): string[] {
  return context.list().filter((p) => /^[^/]+\/?$/.test(p));
}

const parsedJson = new WeakMap<BuildContext, Map<string, Record<string, unknown> | undefined>>();

/** A JSON object from the context, parsed once per context and path. */
export function readJson(context: BuildContext, path: string): Record<string, unknown> | undefined {
  let cache = parsedJson.get(context);
  if (!cache) {
    cache = new Map();
    parsedJson.set(context, cache);
  }
  if (cache.has(path)) return cache.get(path);
  const text = context.read(path);
  let value: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = text === undefined ? undefined : JSON.parse(text);
    value = parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    value = undefined;
  }
  cache.set(path, value);
  return value;
}

export const emptyContext: BuildContext = { known: false, list: () => [], read: () => undefined, kind: () => undefined };

/** A context from a plain map of path → content (directories are implied by the paths). */
export function memoryContext(files: Record<string, string>): BuildContext {
  const entries = new Set<string>();
  for (const path of Object.keys(files)) {
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) entries.add(`${parts.slice(0, i).join("/")}/`);
    entries.add(path);
  }
  const sorted = [...entries].sort();
  return {
    known: true,
    list: () => sorted,
    read: (path) => files[path.replace(/^\.\//, "")],
    kind: (path) => (entries.has(`${clean(path)}/`) ? "dir" : entries.has(clean(path)) ? "file" : undefined),
  };
}
