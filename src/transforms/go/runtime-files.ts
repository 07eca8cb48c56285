import { posix } from "node:path";
import type { BuildContext } from "../../analysis/context.js";
import { dockerignore } from "../../analysis/dockerignore.js";
import { globMatches } from "../common/manifest-first.js";
import type { SourceLayout } from "./layout.js";
import type { GoFile } from "./sources.js";

const neverRuntime = /^(go\.(mod|sum|work)|Dockerfile.*|\.dockerignore|\.git(ignore)?|vendor)$/;

export interface RuntimeFiles {
  /** Build-stage paths (absolute) of non-Go files the program reads, copied to the same place. */
  reads: string[];
  /** Absolute directories the program writes to (created or handed to the runtime user). */
  writableDirs: string[];
  /** Literal paths left out because `//go:embed` compiles them into the binary. */
  embedded: string[];
  /**
   * Files the program reads that this checkout lacks, made by whoever builds: the `.env` godotenv
   * loads (git-ignored), or a file with an example beside it (`messages.json.example`). The
   * original's `COPY . .` takes them when the build has them.
   */
  optional: { path: string; /** "godotenv", "viper" (a dotenv file it is told to read), "tls" (a certificate or key TLS is served with), "git-ignored", or the example the checkout has instead. */ reason: string }[];
}

/**
 * The non-Go files a program opens relative to its working directory. Go reads them at run time
 * (`template.ParseFiles("templates/x.html")`, `http.Dir("./static")`, `os.ReadFile("config.yaml")`,
 * `viper.AddConfigPath("./config")`, gin's `LoadHTMLGlob`, golang-migrate's `file://migrations`, the `.env`
 * godotenv loads…), so a runtime with only the binary fails.
 * Found as string literals of the built packages that name a context entry under the WORKDIR, and as
 * the paths under it the image's configuration gives the program (`STATE_DIR=/app/config/states` in
 * ENV or compose); a literal that a `//go:embed` pattern covers is already in the binary.
 */
export function runtimeFiles(files: readonly GoFile[], layout: SourceLayout, context: BuildContext, workdir: string, configuredPaths: readonly string[] = []): RuntimeFiles {
  const reads = new Set<string>();
  const embedded = new Set<string>();
  const embedPatterns = files.flatMap((f) => f.embeds.map((p) => posix.join(f.dir, p)));
  const embedsFile = (path: string) => embedPatterns.some((p) => p === path || path.startsWith(`${p}/`) || globMatches(p, path));
  // a directory is carried by the binary when every non-Go file under it is embedded
  const embeddedBy = (contextPath: string) =>
    context.kind(contextPath) === "dir"
      ? context.list().filter((p) => p.startsWith(`${contextPath}/`) && !p.endsWith("/") && !p.endsWith(".go")).every(embedsFile)
      : embedsFile(contextPath);
  const ignoredByGit = dockerignore(context.read(".gitignore"));
  // a .gitignore beside the file counts too (`assets/key/.gitignore` with `*.pem`), its patterns relative to its directory
  const gitIgnored = (path: string) => ignoredByGit(path) || ignoredByGit(posix.basename(path)) || dockerignore(context.read(posix.join(posix.dirname(path), ".gitignore")))(posix.basename(path));
  const configNames = new Set<string>();
  const optional = new Map<string, string>();
  const addRead = (literal: string, base: string) => {
    const path = asRelativePath(literal.replace(/^file:\/\/(?!\/)/, ""));
    if (path === undefined) return;
    const abs = posix.resolve(base, path);
    const contextPath = layout.contextDirOf(abs);
    if (contextPath === undefined || contextPath === "" || neverRuntime.test(posix.basename(contextPath)) || layout.ignored(contextPath)) return;
    const kind = context.kind(contextPath);
    const example = kind === undefined && !optional.has(abs) ? exampleOf(context, contextPath) : undefined;
    if (example) optional.set(abs, example);
    // a file git leaves out of the checkout (a service-account key, a local config) is the builder's to supply
    else if (kind === undefined && !optional.has(abs) && suppliedByBuilder.test(posix.basename(contextPath)) && gitIgnored(contextPath)) optional.set(abs, "git-ignored");
    if ((kind === "file" && !contextPath.endsWith(".go")) || (kind === "dir" && holdsNonGoFiles(context, contextPath))) {
      if (embeddedBy(contextPath)) embedded.add(path);
      else reads.add(abs);
    }
  };
  for (const file of files) {
    // godotenv.Load() without arguments reads .env in the working directory
    const implicit = loadsDefaultEnv(file) ? [".env"] : [];
    const envFiles = importsGodotenv(file) ? [...implicit, ...file.literals.filter((l) => /(^|\/)\.env$/.test(l))] : [];
    // viper.SetConfigName(".env") with SetConfigType("dotenv"), searched in the working directory
    const viperEnvFiles = file.imports.some((i) => /spf13\/viper/.test(i)) ? file.literals.filter((l) => /^[\w-]*\.env$/.test(l)) : [];
    for (const [envFile, reason] of [...envFiles.map((f) => [f, "godotenv"] as const), ...viperEnvFiles.map((f) => [f, "viper"] as const)]) {
      const abs = posix.resolve(workdir, envFile);
      const contextPath = layout.contextDirOf(abs);
      if (contextPath !== undefined && contextPath !== "" && context.kind(contextPath) === undefined && !layout.ignored(contextPath)) optional.set(abs, reason);
    }
    // certificates are made where the image is built (git-ignored, never committed): the runtime takes them when the build has them
    for (const certificate of file.tlsFiles) {
      const path = asRelativePath(certificate);
      const abs = path === undefined ? undefined : posix.resolve(workdir, path);
      const contextPath = abs === undefined ? undefined : layout.contextDirOf(abs);
      if (abs !== undefined && contextPath !== undefined && contextPath !== "" && context.kind(contextPath) === undefined && !layout.ignored(contextPath)) optional.set(abs, "tls");
    }
    // runtime.Caller(0) gives the source file's build path: literals joined to it resolve from there
    const sourceDir = file.usesCaller ? layout.buildPathOf(file.dir) : undefined;
    const bases = sourceDir && sourceDir !== workdir ? [workdir, sourceDir] : [workdir];
    // "/videos.json" joined to the working directory (`wd + "/videos.json"`) names a file beside the program
    const rooted = file.literals.filter((l) => /^\/[\w.-]+(\/[\w.-]+)*$/.test(l) && !systemPath.test(l)).map((l) => l.slice(1));
    // `fmt.Sprintf("%s/vim", workingDirectory)`: the same, formatted
    const formatted = file.literals.flatMap((l) => /^%[sv]\/([\w.-]+(\/[\w.-]+)*)$/.exec(l)?.[1] ?? []);
    // an import path (`"tools"` of a go.work module) names a package, not a file the program opens
    const opened = file.literals.filter((l) => !file.imports.includes(l));
    for (const [literal, base] of [...opened, ...rooted, ...formatted, ...implicit].flatMap((l) => bases.map((b) => [l, b] as const))) addRead(literal, base);
    // `banner + ".txt"`: the program opens files of that kind by a name it computes, beside it
    const here = layout.contextDirOf(workdir);
    if (here !== undefined) {
      for (const extension of file.appendedExtensions) {
        for (const entry of context.list()) if (posix.dirname(entry) === (here || ".") && entry.endsWith(extension) && !entry.endsWith("/")) addRead(posix.basename(entry), workdir);
      }
    }
    // viper.SetConfigName("config") + AddConfigPath("."): config.yaml / config.json … in that directory
    const text = file.literals;
    for (const name of text.filter((l) => /^[\w.-]+$/.test(l))) configNames.add(name);
  }
  for (const file of files) {
    if (!file.imports.some((i) => /spf13\/viper|koanf|cleanenv|configor/.test(i))) continue;
    // a search path may be a bare parent (`AddConfigPath("../../")` from cmd/web): the module root's config.yaml
    const searchPaths = file.literals.map((l) => (/^(\.\.\/)*\.\.\/?$/.test(l) ? l.replace(/\/$/, "") : asRelativePath(l)));
    for (const dir of [".", ...searchPaths.filter((p): p is string => p !== undefined)]) {
      const abs = posix.resolve(workdir, dir);
      const contextDir = layout.contextDirOf(abs);
      if (contextDir === undefined || (contextDir !== "" && context.kind(contextDir) !== "dir")) continue;
      for (const entry of context.list()) {
        if (posix.dirname(entry) !== (contextDir || ".") || entry.endsWith("/")) continue;
        const base = posix.basename(entry);
        const stem = base.replace(configExtension, "");
        if (stem !== base && configNames.has(stem) && !embeddedBy(entry) && !layout.ignored(entry)) reads.add(posix.join(abs, base));
      }
      // a file the image gets under the name viper looks for (`COPY config.yml.example config.yml`)
      for (const copied of layout.copiedFiles()) {
        const base = posix.basename(copied.dest);
        const stem = base.replace(configExtension, "");
        if (posix.dirname(copied.dest) === abs && stem !== base && configNames.has(stem) && !layout.ignored(copied.source)) reads.add(copied.dest);
      }
    }
  }
  for (const value of configuredPaths) {
    const relative = value.startsWith(`${workdir.replace(/\/$/, "")}/`) ? value.slice(workdir.replace(/\/$/, "").length + 1) : value.startsWith("./") ? value : undefined;
    if (relative !== undefined) addRead(relative, workdir);
  }
  // a configuration file the program reads names more paths (`"schemeDir": "./migrations"`,
  // `"audio": ["./audio/intro.mp3"]`), relative to the program's directory; so do those in a directory of them it reads
  for (const abs of [...reads]) {
    const contextPath = layout.contextDirOf(abs);
    if (contextPath === undefined) continue;
    const configFiles = context.kind(contextPath || ".") === "dir"
      ? context.list().filter((p) => p.startsWith(`${contextPath}/`) && configFile.test(p)).slice(0, 100)
      : configFile.test(abs) ? [contextPath] : [];
    for (const file of configFiles) for (const value of configValues(context.read(file))) addRead(value, workdir);
  }
  const writableDirs = new Set<string>();
  const constants = Object.assign({}, ...files.map((f) => f.constants)) as Record<string, string>;
  const namedWrites = files.flatMap((f) => f.writeNames).flatMap(({ name, isDir }) => (constants[name] !== undefined ? [{ path: constants[name], isDir }] : []));
  for (const write of [...files.flatMap((f) => f.writes), ...namedWrites]) {
    const path = asRelativePath(write.path);
    if (path === undefined) continue;
    const abs = posix.resolve(workdir, path);
    writableDirs.add(write.isDir || write.path.endsWith("/") ? abs : posix.dirname(abs));
  }
  return { reads: withoutNested([...reads]), writableDirs: withoutNested([...writableDirs]), embedded: [...embedded], optional: [...optional].map(([path, reason]) => ({ path, reason })) };
}

const configExtension = /\.(ya?ml|json|toml|env|ini|hcl|properties)$/;
const configFile = /\.(json|ya?ml|toml|ini|conf|env)$/;

/** Files a builder keeps out of git and supplies at build time: keys, certificates, local configuration; not data the program writes (a database, a log). */
const suppliedByBuilder = /^[^.].*\.(json|ya?ml|toml|ini|conf|cfg|properties|pem|key|crt|cert|p12|pfx)$/;

export const systemPath = /^\/(etc|tmp|dev|proc|sys|var|usr|bin|sbin|lib|lib64|opt|run|root|home|srv|mnt|media|boot|go)(\/|$)/;

/** A literal that reads as a relative file path (`templates/*.html` → `templates`); undefined otherwise. */
function asRelativePath(literal: string): string | undefined {
  if (literal.length === 0 || literal.length > 200 || /[\s%:$<>|"'\\{}]/.test(literal) || literal.startsWith("/") || literal.startsWith("-")) return undefined;
  const parts = literal.replace(/^\.\//, "").split("/");
  const fixed: string[] = [];
  for (const part of parts) {
    if (/[*?[]/.test(part)) break;
    fixed.push(part);
  }
  const path = fixed.join("/").replace(/\/$/, "");
  // a path above the WORKDIR (../views) counts when it lands in the copied sources; bare parents do not
  if (path === "" || path === "." || /^(\.\.\/)*\.\.$/.test(path)) return undefined;
  return path;
}

/** The string values of a JSON/YAML/TOML/INI file that may be paths: quoted strings and bare `key: value` / `key = value` values. */
function configValues(text: string | undefined): string[] {
  if (!text || text.length > 100_000) return [];
  const quoted = [...text.matchAll(/"([^"\n]{1,200})"|'([^'\n]{1,200})'/g)].map((m) => m[1] ?? m[2]!);
  const bare = [...text.matchAll(/^[^#;\n]*?[:=][ \t]*([.\w][\w./-]*)[ \t]*$/gm)].map((m) => m[1]!);
  return [...new Set([...quoted, ...bare])].filter((v) => /^\.{0,2}\/?[\w.-]+(\/[\w.-]+)*\/?$/.test(v));
}

/** The example a checkout ships for a file whoever builds makes (`messages.json.example`, `config.sample.yaml`, `local_example.yml`). */
function exampleOf(context: BuildContext, path: string): string | undefined {
  const dot = path.lastIndexOf(".");
  const stemmed = dot > path.lastIndexOf("/") + 1 ? ["example", "sample"].flatMap((word) => [".", "_", "-"].map((sep) => `${path.slice(0, dot)}${sep}${word}${path.slice(dot)}`)) : [];
  return [`${path}.example`, `${path}.sample`, `${path}.dist`, `${path}.template`, ...stemmed].find((p) => context.kind(p) === "file");
}

function holdsNonGoFiles(context: BuildContext, dir: string): boolean {
  const prefix = `${dir}/`;
  return context.list().some((p) => p.startsWith(prefix) && !p.endsWith("/") && !p.endsWith(".go"));
}

function withoutNested(paths: string[]): string[] {
  const sorted = [...new Set(paths)].sort();
  return sorted.filter((p) => !sorted.some((q) => q !== p && p.startsWith(`${q}/`)));
}

/** godotenv imported and no `.env` path named (`godotenv.Load("../.env")` names its own, read as a literal). */
function loadsDefaultEnv(file: GoFile): boolean {
  return importsGodotenv(file) && !file.literals.some((l) => /(^|\/)\.env([.\w-]*)$/.test(l));
}

function importsGodotenv(file: GoFile): boolean {
  return file.imports.some((i) => /joho\/godotenv/.test(i));
}

/**
 * Absolute directories the image's configuration names for the program (`ENV BASE_DIR=/data`, read
 * with `os.Getenv("BASE_DIR")`) that no step creates: the root-run original could create them at
 * run time, a non-root runtime cannot create them under `/`. A file path (`/data/app.db`) names its
 * directory.
 */
export function configuredDataDirs(files: readonly GoFile[], env: { names: readonly string[]; values: Record<string, string | undefined> }, createdPaths: readonly string[], workdir: string): { name: string; dir: string }[] {
  const found: { name: string; dir: string }[] = [];
  for (const name of env.names) {
    const value = env.values[name]?.replace(/^["']|["']$/g, "");
    if (!value || !/(DIR|PATH|ROOT|FOLDER|STORAGE|DATA|UPLOAD)/i.test(name) || !/^\/[\w.-]+(\/[\w.-]+)*\/?$/.test(value)) continue;
    if (!files.some((f) => f.literals.includes(name))) continue;
    const path = value.replace(/\/$/, "");
    const dir = /\.\w+$/.test(posix.basename(path)) ? posix.dirname(path) : path;
    if (dir === "/" || systemPath.test(dir) || dir === workdir || dir.startsWith(`${workdir}/`) || workdir.startsWith(`${dir}/`)) continue;
    if (createdPaths.some((p) => p === dir || p.startsWith(`${dir}/`) || dir.startsWith(`${p}/`))) continue;
    found.push({ name, dir });
  }
  return found;
}
