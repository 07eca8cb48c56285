import { aptUpdateWithArchiveFallback } from "./apt-update.js";
import { commandWords, osPackageStep, type OsPackageStep } from "../../analysis/commands.js";
import type { Facts } from "../../analysis/facts.js";

/** Packages only a build needs: compilers, headers, VCS and download tools, build systems. */
const buildOnlyExact = new Set([
  "build-essential", "build-base", "alpine-sdk", "gcc", "g++", "cpp", "make", "cmake", "autoconf", "automake", "libtool",
  "pkg-config", "pkgconf", "pkgconfig", "musl-dev", "libc-dev", "libc6-dev", "linux-headers", "binutils",
  "git", "curl", "wget", "gnupg", "gnupg2", "unzip", "xz-utils", "bzip2", "patch",
  "python3-dev", "python-dev", "gfortran", "rustc", "cargo", "golang", "go", "nasm", "yasm", "bison", "flex",
  "gettext-base", "software-properties-common", "apt-transport-https", "dirmngr", "lsb-release", "openssh-client",
  "node-gyp", "clang", "llvm", "swig", "upx", "tzdata-dev", "devscripts",
]);
/** Debian/Ubuntu header packages whose shared library the runtime still needs: `-dev` → runtime library (bookworm names). */
const debianRuntimeLibraryOf: Record<string, string> = {
  "libpq-dev": "libpq5", "default-libmysqlclient-dev": "libmariadb3", "libmariadb-dev": "libmariadb3", "libmariadb-dev-compat": "libmariadb3",
  "libjpeg-dev": "libjpeg62-turbo", "libjpeg62-turbo-dev": "libjpeg62-turbo",
  "libpng-dev": "libpng16-16", "libxml2-dev": "libxml2", "libxslt1-dev": "libxslt1.1", "libxslt-dev": "libxslt1.1",
  "libffi-dev": "libffi8", "libssl-dev": "libssl3", "zlib1g-dev": "zlib1g",
  "libgeos-dev": "libgeos-c1v5", "libmagic-dev": "libmagic1", "libsqlite3-dev": "libsqlite3-0",
  "libcairo2-dev": "libcairo2", "libopenblas-dev": "libopenblas0", "liblapack-dev": "liblapack3",
  "libcurl4-openssl-dev": "libcurl4", "libsasl2-dev": "libsasl2-2", "libldap2-dev": "libldap-2.5-0",
  "libzmq3-dev": "libzmq5", "libwebp-dev": "libwebp7", "libfreetype6-dev": "libfreetype6", "libtiff-dev": "libtiff6",
  "libtiff5-dev": "libtiff6", "libevent-dev": "libevent-2.1-7", "libyaml-dev": "libyaml-0-2", "librdkafka-dev": "librdkafka1",
  "libvips-dev": "libvips42", "libgmp-dev": "libgmp10", "libsnappy-dev": "libsnappy1v5", "libkrb5-dev": "libkrb5-3",
  "libpcre3-dev": "libpcre3", "libuv1-dev": "libuv1", "libbz2-dev": "libbz2-1.0", "liblzma-dev": "liblzma5",
  "libncurses-dev": "libncurses6", "libreadline-dev": "libreadline8", "libgdbm-dev": "libgdbm6", "libsodium-dev": "libsodium23",
};
/** Alpine header packages → the package that holds their shared library (Alpine names differ from Debian's: libffi, not libffi8). */
const alpineRuntimeLibraryOf: Record<string, string> = {
  "postgresql-dev": "libpq", "libpq-dev": "libpq", "mariadb-dev": "mariadb-connector-c", "mariadb-connector-c-dev": "mariadb-connector-c",
  "jpeg-dev": "libjpeg-turbo", "libjpeg-turbo-dev": "libjpeg-turbo", "libpng-dev": "libpng", "libxml2-dev": "libxml2", "libxslt-dev": "libxslt",
  "libffi-dev": "libffi", "openssl-dev": "libssl3", "zlib-dev": "zlib", "sqlite-dev": "sqlite-libs", "freetype-dev": "freetype",
  "libwebp-dev": "libwebp", "tiff-dev": "tiff", "lcms2-dev": "lcms2", "openblas-dev": "openblas", "geos-dev": "geos", "yaml-dev": "yaml",
  "librdkafka-dev": "librdkafka", "vips-dev": "vips", "gmp-dev": "gmp", "libsodium-dev": "libsodium", "libevent-dev": "libevent",
  "readline-dev": "readline", "bzip2-dev": "libbz2", "xz-dev": "xz-libs", "cairo-dev": "cairo", "curl-dev": "libcurl", "zeromq-dev": "libzmq",
  "openjpeg-dev": "openjpeg", "tk-dev": "tk", "tcl-dev": "tcl", "harfbuzz-dev": "harfbuzz", "fribidi-dev": "fribidi",
};
const runtimeLibraryOf = (manager: OsPackageStep["manager"], name: string): string | undefined =>
  manager === "apk" ? alpineRuntimeLibraryOf[name] : manager === "apt" ? debianRuntimeLibraryOf[name] : undefined;
/** Header packages with no runtime library to keep (the C library and the toolchain's own headers). */
const headersOnly = new Set(["python3-dev", "python-dev", "libc6-dev", "libc-dev", "musl-dev", "linux-headers", "linux-libc-dev"]);

/** Packages that commands can need at run time even though builds also use them. */
const downloadTools = new Set(["curl", "wget", "ca-certificates", "git", "openssh-client", "gnupg", "unzip"]);

/** HTTP clients that health checks outside the Dockerfile (compose, Kubernetes, an orchestrator's) call in the container. */
const probeTools = new Set(["curl", "wget"]);

/** Whether a RUN of the build calls the program (`curl -sSL … | sh`, `wget -O …`): then the build installed it for itself. */
function usedByBuild(facts: Facts, program: string): boolean {
  return facts.body.some((e) => e.run?.segments.some((s) => {
    const words = withoutCompoundKeyword(commandWords(s.argv));
    return words[0]?.split("/").pop() === program || (words[0] === "sudo" && words[1] === program);
  }));
}

export interface OsPackagePlan {
  manager: OsPackageStep["manager"];
  runtime: string[];
  buildOnly: string[];
  /** Header packages kept whole because their runtime library is not in msb's table. */
  unmappedHeaders: string[];
  /** Runtime libraries that stand in for a header package (named after msb's table, not the release). */
  mappedLibraries: string[];
  /**
   * Runtime packages the original installs only when a build argument says so (`if [ "$ENV" = dev ];
   * then apt-get install …; fi`): the runtime installs them under the same condition. Not in `runtime`.
   */
  conditional: { condition: string; args: string[]; packages: string[] }[];
  /**
   * apt: the original installed a package the runtime keeps (or a header package whose library it
   * keeps) without `--no-install-recommends`, so it had their Recommends: plugins libraries load at
   * run time (libheif's encoders behind libvips) that no ldd shows. The runtime takes them too.
   */
  recommends: boolean;
}

/** `then apt-get install …` → `apt-get install …`: the command a branch or loop body starts with. */
const withoutCompoundKeyword = (words: string[]) => (["then", "do", "else"].includes(words[0] ?? "") ? words.slice(1) : words);

const opensBlock = new Set(["if", "case", "for", "while", "until"]);
const closesBlock = new Set(["fi", "esac", "done"]);

/**
 * Packages installed inside a plain `if TEST; then …; fi` of a RUN whose test reads only the
 * stage's build arguments, each with that test. Installs inside other compound commands (else
 * branches, case, loops, nested blocks) count as unconditional, as before.
 */
function conditionalInstalls(facts: Facts): Map<string, { condition: string; args: string[] }> {
  const stageArgs = new Set(facts.body.filter((e) => e.keyword === "ARG").map((e) => e.ins.text.replace(/^\s*ARG\s+/i, "").split("=")[0]!.trim()));
  const found = new Map<string, { condition: string; args: string[] }>();
  const unconditional = new Set<string>();
  for (const entry of facts.body) {
    let depth = 0;
    let condition: { condition: string; args: string[] } | undefined;
    let plain = true;
    for (const segment of entry.run?.segments ?? []) {
      const words = commandWords(segment.argv);
      const first = words[0] ?? "";
      if (opensBlock.has(first)) {
        depth++;
        if (depth === 1 && first === "if") {
          const args = [...new Set([...segment.text.matchAll(/\$\{?([A-Za-z_]\w*)/g)].map((m) => m[1]!))];
          plain = args.length > 0 && args.every((a) => stageArgs.has(a));
          condition = { condition: segment.text, args };
        } else plain = false;
        continue;
      }
      if (closesBlock.has(first)) {
        depth = Math.max(0, depth - 1);
        if (depth === 0) [condition, plain] = [undefined, true];
        continue;
      }
      if (first === "else" || first === "elif") plain = false;
      const step = osPackageStep(withoutCompoundKeyword(words));
      if (step?.action !== "install") continue;
      for (const p of step.packages) {
        if (depth > 0 && plain && condition) found.set(p, condition);
        else unconditional.add(p);
      }
    }
  }
  for (const p of unconditional) found.delete(p);
  return found;
}

/** Splits every package the original installs into build-only and runtime (unknown ones stay in the runtime). */
/** Packages that are build tools for one stack only (node-gyp needs python; a Python app needs it at run time). */
const buildOnlyFor: Record<string, string[]> = { node: ["python3", "python", "python-is-python3", "python3-minimal"], static: ["python3", "python", "python-is-python3"] };

export function splitOsPackages(facts: Facts, runtimeText: string, stack?: string, programsAppRuns: readonly string[] = []): OsPackagePlan | undefined {
  const stackBuildOnly = new Set(buildOnlyFor[stack ?? ""] ?? []);
  let manager: OsPackageStep["manager"] | undefined;
  const all: string[] = [];
  const withRecommends = new Set<string>();
  for (const entry of facts.body) {
    for (const segment of entry.run?.segments ?? []) {
      const step = osPackageStep(withoutCompoundKeyword(commandWords(segment.argv)));
      if (step?.action !== "install") continue;
      manager ??= step.manager;
      for (const p of step.packages) {
        if (!all.includes(p)) all.push(p);
        if (step.recommends) withRecommends.add(p);
      }
    }
  }
  if (!manager) return undefined;
  const runtime: string[] = [];
  const buildOnly: string[] = [];
  const unmappedHeaders: string[] = [];
  const mappedLibraries: string[] = [];
  const keep = (pkg: string) => {
    if (!runtime.includes(pkg)) runtime.push(pkg);
  };
  for (const pkg of all) {
    const name = pkg.replace(/[=<>].*$/, "");
    const started = programsAppRuns.includes(name);
    const mentioned = started || new RegExp(`(^|[^\\w-])${escapeRegExp(name)}([^\\w-]|$)`).test(runtimeText);
    if (started && !headersOnly.has(name)) keep(pkg);
    else if (probeTools.has(name) && !usedByBuild(facts, name)) keep(pkg);
    else if (buildOnlyExact.has(name) || headersOnly.has(name) || (stackBuildOnly.has(name) && !mentioned)) {
      if (downloadTools.has(name) && mentioned) keep(pkg);
      else buildOnly.push(pkg);
    } else if (runtimeLibraryOf(manager, name) !== undefined) {
      const library = runtimeLibraryOf(manager, name)!;
      buildOnly.push(pkg);
      keep(library);
      mappedLibraries.push(library);
    } else if (/-(dev|devel)$/.test(name)) {
      unmappedHeaders.push(pkg);
      keep(pkg);
    } else {
      keep(pkg);
    }
  }
  // git clones over ssh (`git@host:repo`) as in the original, whose git came with ssh (a recommend, or the full image's)
  if (manager === "apt" && programsAppRuns.includes("git") && runtime.some((p) => p.replace(/[=<>].*$/, "") === "git")) keep("openssh-client");
  const conditions = conditionalInstalls(facts);
  const conditional: OsPackagePlan["conditional"] = [];
  for (const pkg of [...runtime]) {
    const condition = conditions.get(pkg);
    if (!condition) continue;
    runtime.splice(runtime.indexOf(pkg), 1);
    const group = conditional.find((c) => c.condition === condition.condition);
    if (group) group.packages.push(pkg);
    else conditional.push({ ...condition, packages: [pkg] });
  }
  const kept = all.filter((pkg) => runtime.includes(pkg) || (runtimeLibraryOf(manager!, pkg.replace(/[=<>].*$/, "")) !== undefined && buildOnly.includes(pkg)));
  return { manager, runtime, buildOnly, unmappedHeaders, mappedLibraries, conditional, recommends: manager === "apt" && kept.some((pkg) => withRecommends.has(pkg)) };
}

/**
 * The runtime's install line; `oldRelease`: the image's Debian release may have moved to archive.debian.org;
 * `recommends`: apt takes the packages' Recommends, as the original's install did.
 */
export function installCommand(manager: OsPackageStep["manager"], packages: string[], oldRelease = false, recommends = false): string {
  const list = packages.join(" ");
  switch (manager) {
    case "apt":
      return `RUN ${oldRelease ? aptUpdateWithArchiveFallback : "apt-get update"} && apt-get install -y ${recommends ? "" : "--no-install-recommends "}${list} && rm -rf /var/lib/apt/lists/*`;
    case "apk":
      return `RUN apk add --no-cache ${list}`;
    default:
      return `RUN ${manager} install -y ${list} && ${manager} clean all`;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
