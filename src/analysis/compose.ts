import { posix } from "node:path";
import type { BuildContext } from "./context.js";
import { officialImages } from "./official-images.js";
import { systemTopDirectory } from "./system-directories.js";

// compose.yaml, docker-compose.yml, docker-compose-prod.yml, docker-compose.dev.yaml, …
const composeFile = /^(docker-)?compose([.-][\w.-]+)?\.ya?ml$/;

interface ComposeSource {
  file: string;
  lines: string[];
  /** Lines of services that run a published third-party image. */
  foreign: Set<number>;
  /** Every service's name: the host name it has on the project's network. */
  serviceNames: string[];
  /** Lines of the services that build this image (`build:`). */
  building: Set<number>;
}

const sourcesByContext = new WeakMap<BuildContext, ComposeSource[]>();
const mountsByContext = new WeakMap<BuildContext, ComposeMount[]>();
const commandsByContext = new WeakMap<BuildContext, ComposeCommand[]>();

/** The compose files at the context's top and beside the Dockerfile, each read and split once per context. */
function composeSources(context: BuildContext): ComposeSource[] {
  let sources = sourcesByContext.get(context);
  if (!sources) {
    sources = [];
    const read: { file: string; lines: string[]; services: ComposeService[] }[] = [];
    // at the context's top, and beside a Dockerfile in a subdirectory (`build/docker-compose.yml` with `context: ..`)
    const dirs = ["", ...(context.dockerfileDir ? [`${context.dockerfileDir}/`] : [])];
    const beside = (p: string) => dirs.some((d) => p.startsWith(d) && !p.slice(d.length).includes("/"));
    const candidates = context.list().filter((p) => composeFile.test(posix.basename(p)) && p.split("/").length <= 3 && !p.includes("node_modules/"));
    for (const file of candidates.sort()) {
      const lines = beside(file) || candidates.length <= 20 ? context.read(file)?.split(/\r?\n/) : undefined;
      // elsewhere (`docker/docker-compose.yaml` with `build: ..`), only a file that builds this context
      if (!lines || (!beside(file) && !buildsContext(lines, posix.dirname(file), context))) continue;
      read.push({ file, lines, services: servicesOf(lines, file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : "") });
    }
    // an override file (docker-compose.prod.yml) adds to services another file defines: judged together
    const others = otherImageServices(read.map((r) => r.services), context.dockerfilePath);
    for (const { file, lines, services } of read) {
      sources.push({ file, lines, foreign: new Set(services.filter((x) => others.has(x.name)).flatMap((x) => x.lines)), serviceNames: services.map((x) => x.name), building: new Set(services.filter((x) => x.build && !others.has(x.name)).flatMap((x) => x.lines)) });
    }
    sourcesByContext.set(context, sources);
  }
  return sources;
}

/**
 * Whether a compose file in `dir` builds this Dockerfile: a `build:`/`context:` of the context's top or
 * the Dockerfile's directory (`build: ..`, `context: ../`), and no `dockerfile:` naming another file.
 */
function buildsContext(lines: readonly string[], dir: string, context: BuildContext): boolean {
  const dockerfileDir = context.dockerfileDir ?? "";
  const dockerfile = context.dockerfilePath ?? "Dockerfile";
  const named = lines.map((l) => /^\s*dockerfile\s*:\s*["']?([^\s"'#]+)/.exec(l)?.[1]).filter((v): v is string => v !== undefined);
  return lines.some((line) => {
    const value = /^\s*(?:build|context)\s*:\s*["']?([^\s"'#]+)["']?\s*(#.*)?$/.exec(line)?.[1];
    if (value === undefined || value.startsWith("/") || /^\w+:\/\//.test(value)) return false;
    const target = posix.normalize(posix.join(dir, value)).replace(/\/$/, "").replace(/^\.$/, "");
    if (target !== "" && target !== dockerfileDir) return false;
    return named.length === 0 || named.some((n) => posix.normalize(posix.join(target, n)) === dockerfile);
  });
}

/**
 * The compose services a build of this image cannot reach by name: every service of the compose files
 * read, unless a service builds on a network of its own choosing (`build: network: host`).
 */
export function composeServiceHosts(context: BuildContext): { file: string; name: string }[] {
  const sources = composeSources(context);
  if (sources.some(({ lines }) => lines.some((l) => /^\s+network\s*:/.test(l)))) return [];
  return sources.flatMap(({ file, serviceNames }) => serviceNames.map((name) => ({ file, name })));
}

/**
 * The values the compose files give a build argument of this image's services (`args:` under
 * `build:`, as a map `INSTALL_DEV: ${INSTALL_DEV-true}` or a list `- INSTALL_DEV=true`), as written.
 */
export function composeBuildArgs(context: BuildContext, name: string): { file: string; line: number; value: string }[] {
  return blockEntries(context, "args").filter((e) => e.name === name).map(({ file, line, value }) => ({ file, line, value }));
}

/**
 * The `NAME: value` / `- NAME=value` entries of every block under `key:` (`args:`, `environment:`) in
 * the services the compose files run from this image, with their values as written; comment lines
 * neither end a block nor count as entries.
 */
function blockEntries(context: BuildContext, key: string): { file: string; line: number; name: string; value: string }[] {
  const opens = new RegExp(`^\\s*${key}\\s*:\\s*$`);
  return composeSources(context).flatMap(({ file, lines, foreign }) => {
    const found: { file: string; line: number; name: string; value: string }[] = [];
    let blockIndent = -1;
    lines.forEach((line, i) => {
      const indent = line.search(/\S/);
      if (opens.test(line) && !foreign.has(i)) {
        blockIndent = indent;
        return;
      }
      if (blockIndent < 0 || line.trim() === "" || /^\s*#/.test(line)) return;
      if (indent <= blockIndent) {
        blockIndent = -1;
        return;
      }
      const m = /^\s*(?:-\s*)?["']?([A-Za-z_]\w*)["']?\s*[:=]\s*["']?(.*?)["']?\s*$/.exec(line);
      if (m) found.push({ file, line: i + 1, name: m[1]!, value: m[2]! });
    });
    return found;
  });
}

export interface ComposeCommand {
  file: string;
  /** 1-based line of the key. */
  line: number;
  key: "command" | "entrypoint" | "test";
  /** The value as one line: a string, a flow list, or the items of a block list joined by spaces. */
  text: string;
}

/**
 * The `command:`, `entrypoint:` and healthcheck `test:` values of the compose files read: how the
 * image is also run. Found with line patterns, not a YAML parser.
 */
export function composeCommands(context: BuildContext): ComposeCommand[] {
  let found = commandsByContext.get(context);
  if (found) return found;
  found = [];
  for (const { file, lines, foreign } of composeSources(context)) {
    lines.forEach((line, i) => {
      if (foreign.has(i)) return;
      const key = /^(\s*)(command|entrypoint|test)\s*:(.*)$/.exec(line);
      if (!key) return;
      const block = [key[3]!.trim().replace(/^[>|][-+]?$/, "")];
      // a block list (`- uv`), or a scalar folded over more lines (`command: >` / `sh -c "uv run …` continued)
      for (let k = i + 1; k < lines.length && lines[k]!.trim() !== "" && lines[k]!.search(/\S/) > key[1]!.length; k++) block.push(lines[k]!.trim().replace(/^-\s*/, ""));
      const text = block.filter(Boolean).join(" ");
      if (text) found!.push({ file, line: i + 1, key: key[2] as ComposeCommand["key"], text });
    });
  }
  commandsByContext.set(context, found);
  return found;
}

/**
 * `PORT` values below 1024 that the services run from this image are given (`- PORT=80`, `PORT: "80"`),
 * and whether that file runs a service on the host's network (`network_mode: host`), where the
 * host's unprivileged-port limit applies rather than the container's.
 */
export function composeLowPorts(context: BuildContext): { file: string; line: number; port: string; hostNetwork: boolean }[] {
  return composeSources(context).flatMap(({ file, lines, foreign }) => {
    const hostNetwork = lines.some((l, i) => !foreign.has(i) && /^\s*network_mode\s*:\s*["']?host["']?\s*$/.test(l));
    return lines.flatMap((l, i) => {
      const port = /^\s*(?:-\s*)?["']?PORT["']?\s*[:=]\s*["']?(\d+)["']?\s*$/.exec(l)?.[1];
      return !foreign.has(i) && port !== undefined && Number(port) < 1024 ? [{ file, line: i + 1, port, hostNetwork }] : [];
    });
  });
}

export interface ComposeBindMount {
  file: string;
  line: number;
  source: string;
  target: string;
}

/**
 * Writable bind mounts of the compose files read, short (`- ./data:/app/data`)
 * and long syntax (`- type: bind` with `source:`/`target:`): host directories the container writes
 * with the host's ownership. Named volumes, read-only mounts and sockets or files such as
 * /etc/localtime are left out.
 */
export function composeBindMounts(context: BuildContext): ComposeBindMount[] {
  return allBindMounts(context).filter((m) => !/(^|,)ro(,|$)/.test(m.mode) && !/\.(sock|socket)$|^\/(etc|proc|sys|dev|run|var\/run)\//.test(m.target) && !/\.sock$/.test(m.source));
}

/** Whether a bind mount's host side names the checkout itself: `.`, or the shell's `$(pwd)` or `${PWD}` in a documented run. */
export function namesCheckout(source: string): boolean {
  return /^(\.|\$\(pwd\)|\$\{?PWD\}?)\/?$/.test(source);
}

/** The compose bind mount of the checkout (`.:/app`, `./:/app/`) over a directory of the image, if any. */
export function composeCheckoutMountAt(context: BuildContext, dir: string): ComposeBindMount | undefined {
  const target = dir.replace(/(.)\/$/, "$1");
  return composeBindMounts(context).find((m) => /^\.\/?$/.test(m.source) && m.target.replace(/(.)\/$/, "$1") === target);
}

/**
 * Targets of writable bind mounts that are directories of the app's (`./logs:/var/log/api`), not system
 * paths or files: the app writes there, and a run without the mount needs the directory to exist.
 */
export function composeBindMountDirectories(context: BuildContext): string[] {
  return [...new Set(composeBindMounts(context)
    .filter((m) => /^\/[\w./-]+$/.test(m.target) && !/\.\w+$/.test(m.target.replace(/\/$/, "")) && !isFile(context, m.source))
    .map((m) => m.target.replace(/(.)\/$/, "$1"))
    .filter((t) => !/^\/(etc|bin|sbin|lib|lib64|proc|sys|dev|run|tmp|root|boot)(\/|$)|^\/usr(\/(?!src\/)|$)|^\/$/.test(t)))];
}

function isFile(context: BuildContext, source: string): boolean {
  const path = source.replace(/^\.\//, "").replace(/\/$/, "");
  return !path.startsWith("/") && !path.startsWith("..") && context.kind(path) === "file";
}

/** Mounts of the Docker daemon's socket into the services built here (`/var/run/docker.sock:/var/run/docker.sock`). */
export function composeDockerSocketMounts(context: BuildContext): ComposeBindMount[] {
  return allBindMounts(context).filter((m) => /(^|\/)docker\.sock$/.test(m.source) || /(^|\/)docker\.sock$/.test(m.target));
}

/**
 * Bind mounts of Let's Encrypt's directory (`/etc/letsencrypt`): certbot keeps `live/` and
 * `archive/` readable by root only, so a non-root runtime cannot read the keys a root original served.
 */
export function composeRootOnlyMounts(context: BuildContext): ComposeBindMount[] {
  return allBindMounts(context).filter((m) => /(^|\/)letsencrypt(\/|$)/.test(m.source) || /^\/etc\/letsencrypt(\/|$)/.test(m.target));
}

/**
 * Mounts of host directories by absolute path (`/home/root/certs:/certs:ro`), read-only ones too:
 * files there keep the host's owners and modes.
 */
export function composeHostPathMounts(context: BuildContext): ComposeBindMount[] {
  return allBindMounts(context).filter((m) => m.source.startsWith("/"));
}

/**
 * Bind mounts, read-only ones too, onto a path directly under `/` that is not a system directory
 * (`./config.yaml:/config.yaml`): the program, run in `/`, reads it relatively.
 */
export function composeRootLevelMounts(context: BuildContext): ComposeBindMount[] {
  return allBindMounts(context).filter((m) => { const name = /^\/([^/]+)\/?$/.exec(m.target)?.[1]; return name !== undefined && !systemTopDirectory.test(name); });
}

/**
 * Mounts into root's home (`~/.config/gcloud:/root/.config/gcloud`, `~/.aws:/root/.aws`): a program run
 * as root finds them through HOME=/root, a program run as another user looks in its own home.
 */
export function composeRootHomeMounts(context: BuildContext): ComposeBindMount[] {
  return allBindMounts(context).filter((m) => /^\/root\/./.test(m.target));
}

const databaseDataDirectory = /^\/(var\/lib\/(mysql|mariadb|postgresql|mongodb|redis|rabbitmq|influxdb|clickhouse)|data\/db|data\/configdb|bitnami)(\/|$)/;

/**
 * Targets of named volumes (`- beat-data:/code/celery-beat`, or `type: volume`) in the services built
 * here: a fresh named volume takes the owner of the image's directory at its target, root's when the
 * image lacks it.
 */
export function composeNamedVolumeTargets(context: BuildContext): string[] {
  // system directories are not the app's, but /usr/src/app is a common WORKDIR; a database server's data
  // directory belongs to a database service whose image compose names under the project's own namespace
  return [...new Set(allMounts(context).filter((m) => m.kind === "volume" && /^\/[\w./-]+$/.test(m.target) && !/^\/(etc|bin|sbin|lib|proc|sys|dev|run)(\/|$)|^\/usr(\/(?!src\/)|$)/.test(m.target) && !databaseDataDirectory.test(m.target)).map((m) => m.target.replace(/(.)\/$/, "$1")))];
}

interface ComposeMount extends ComposeBindMount {
  mode: string;
  kind: "bind" | "volume";
}

function allBindMounts(context: BuildContext): ComposeMount[] {
  return allMounts(context).filter((m) => m.kind === "bind");
}

function allMounts(context: BuildContext): ComposeMount[] {
  const cached = mountsByContext.get(context);
  if (cached) return cached;
  const found: ComposeMount[] = [];
  for (const { file, lines, foreign } of composeSources(context)) {
    let volumesIndent = -1;
    let longForm: { line: number; itemIndent: number; keys: Map<string, string> } | undefined;
    const endLongForm = () => {
      if (longForm) {
        const { keys, line } = longForm;
        const source = keys.get("source") ?? "";
        const target = keys.get("target") ?? "";
        const bind = keys.get("type") === "bind" || (!keys.has("type") && /^[.~/$]/.test(source));
        const volume = keys.get("type") === "volume" || (!keys.has("type") && /^[A-Za-z0-9][\w.-]*$/.test(source));
        if ((bind || volume) && source && target) found.push({ file, line, source, target, mode: keys.get("read_only") === "true" ? "ro" : "", kind: bind ? "bind" : "volume" });
      }
      longForm = undefined;
    };
    lines.forEach((line, i) => {
      const indent = line.search(/\S/);
      if (indent < 0 || /^\s*#/.test(line) || foreign.has(i)) return;
      if (longForm && indent <= longForm.itemIndent) endLongForm();
      if (/^\s*volumes\s*:\s*$/.test(line)) {
        volumesIndent = indent;
        return;
      }
      // YAML lets a block sequence sit at its key's indentation (`volumes:` then `- .:/app` below it)
      if (volumesIndent >= 0 && (indent < volumesIndent || (indent === volumesIndent && !/^\s*-/.test(line)))) volumesIndent = -1;
      if (volumesIndent < 0) return;
      // `- name:/target` (or `- C:\\data:/target`) is the short syntax, not the first key of a long-form item
      const shortNamed = /^\s*-\s*["']?[A-Za-z0-9][\w.-]*:[\\/]/.test(line);
      const pair = shortNamed ? null : /^\s*(-\s*)?([\w-]+)\s*:\s*["']?([^"'#\s]*)["']?\s*(#.*)?$/.exec(line);
      if (pair) {
        if (pair[1]) longForm = { line: i + 1, itemIndent: indent, keys: new Map() };
        longForm?.keys.set(pair[2]!, pair[3]!);
        return;
      }
      // `"${DOCKER_WEB_VOLUME:-./public:/app/public}"`, `${POOL:-./pool}:${POOL_PATH:-/pool}:ro`: a default is what an
      // unset variable mounts
      // a comment after the item (`- ~/secrets:/app/secrets # edit the left side`) is not part of it
      const item = /^\s*-\s*["']?([^"'\s]+)["']?\s*$/.exec(line.replace(/\s+#.*$/, ""))?.[1]?.replace(/\$\{\w+:?-([^}]*)\}/g, "$1");
      // a Windows host path keeps its drive letter (`C:/Users/me/pgdata:/var/lib/postgresql/data`)
      const drive = item === undefined ? "" : (/^[A-Za-z]:(?=[\\/])/.exec(item)?.[0] ?? "");
      const parts = item?.slice(drive.length).split(":");
      if (!parts || parts.length < 2) return;
      parts[0] = drive + parts[0];
      const [source, target, mode = ""] = parts as [string, string, string?];
      if (/^[.~/$]/.test(source) || drive) found.push({ file, line: i + 1, source, target, mode, kind: "bind" });
      else if (/^[A-Za-z0-9][\w.-]*$/.test(source)) found.push({ file, line: i + 1, source, target, mode, kind: "volume" });
    });
    endLongForm();
  }
  mountsByContext.set(context, found);
  return found;
}

// vendors whose images run beside an application (databases, queues, dashboards), never built from its Dockerfile
const thirdPartyNamespaces = /^(bitnami|grafana|prom|minio|confluentinc|dpage|portainer|jaegertracing|openzipkin|redislabs|localstack|mailhog|axllent|rabbitmq|wurstmeister|elastic|curlimages|mockserver|wiremock|selenium|hashicorp|testcontainers|otel|openpolicyagent|getsentry|mongo-express|clickhouse|timescale|postgis|pgvector|qdrant|semitechnologies|opensearchproject|apache|nats|emqx|eclipse-mosquitto|amazon|neo4j|temporalio|rediscommander|valkey|louislam|nginxproxy|linuxserver|containrrr|jc21|nginxinc|ollama|n8nio|kong|hasura|supabase|postgrest)\//;

/**
 * An official Docker Hub image (`postgres:16`, `redis`) or a well-known vendor's: not this Dockerfile's.
 * An image of some user's namespace (`someone/backend:latest`) or a local tag (`rank-api:2.2.0`) may be
 * the one this Dockerfile builds, so its service still counts.
 */
export function isPublishedThirdPartyImage(image: string): boolean {
  // a vendor's namespace is its own on GitHub's registry too (`ghcr.io/containrrr/watchtower`)
  const name = image.replace(/^docker\.io\/(library\/)?/, "").replace(/^ghcr\.io\/(?=[\w.-]+\/)/, "");
  const unqualified = name.replace(/[:@].*$/, "").toLowerCase();
  // a vendor publishing under its own name (`mockserver/mockserver`, `minio/minio`)
  const vendorOwnName = /^([\w.-]+)\/\1$/.test(unqualified);
  return (!name.includes("/") && (officialImages.has(unqualified) || /^\$\{?\w/.test(name))) || vendorOwnName || thirdPartyNamespaces.test(name) || /^(docker\.elastic\.co|quay\.io|mcr\.microsoft\.com|gcr\.io\/cadvisor)\//.test(name);
}

interface ComposeService {
  name: string;
  /** Indexes of the service's lines after its name. */
  lines: number[];
  build: boolean;
  /** Where `build:` (or its `context:`) says the image is built from; "." for the directory of the files. */
  buildContext?: string;
  /** The Dockerfile a `dockerfile:` key names: as written, then as a path inside the context. */
  dockerfile?: string;
  image: boolean;
  thirdParty: boolean;
}

/** A relative POSIX path with `.` and `..` segments resolved; "" for the top, undefined above it. */
function normalise(path: string): string | undefined {
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part !== "..") parts.push(part);
    else if (parts.pop() === undefined) return undefined;
  }
  return parts.join("/");
}

/** A key's plain scalar written on the line after it, indented deeper (`image:` then `postgres:16.2`). */
function continuedValue(lines: string[], keyLine: number, keyIndent: number): string | undefined {
  const next = lines[keyLine + 1];
  if (next === undefined || next.search(/\S/) <= keyIndent) return undefined;
  return /^\s*["']?([^"'\s#]+?)["']?\s*(#.*)?$/.exec(next)?.[1];
}

/** The services of one compose file (in `dir` of the context), found with line patterns. */
function servicesOf(lines: string[], dir: string): ComposeService[] {
  const services: ComposeService[] = [];
  const start = lines.findIndex((l) => /^services\s*:\s*$/.test(l));
  if (start < 0) return services;
  let serviceIndent = -1;
  let service: ComposeService | undefined;
  const anchors = new Map<string, ComposeService>();
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    const indent = line.search(/\S/);
    if (indent < 0 || /^\s*#/.test(line)) continue;
    if (indent === 0) break;
    if (serviceIndent < 0) serviceIndent = indent;
    if (indent === serviceIndent) {
      service = { name: line.trim().replace(/\s*:.*$/, "").replace(/^["']|["']$/g, ""), lines: [], build: false, image: false, thirdParty: false };
      services.push(service);
      // `redis: &redis` anchors the service for others to merge (`<<: *redis`)
      const anchor = /:\s*&([\w-]+)\s*$/.exec(line)?.[1];
      if (anchor) anchors.set(anchor, service);
      continue;
    }
    if (!service || indent < serviceIndent) continue;
    service.lines.push(i);
    // `<<: *redis`: the anchored service's image (or build) is this one's too
    const merged = /^\s*<<\s*:\s*\*([\w-]+)\s*$/.exec(line)?.[1];
    const base = merged === undefined ? undefined : anchors.get(merged);
    if (base) {
      service.build ||= base.build;
      service.image ||= base.image;
      service.thirdParty ||= base.thirdParty;
      if (base.buildContext !== undefined && service.buildContext === undefined) service.buildContext = base.buildContext;
      if (base.dockerfile !== undefined && service.dockerfile === undefined) service.dockerfile = base.dockerfile;
    }
    if (/^\s*build\s*:/.test(line)) service.build = true;
    // `build: ./nginx`, or `context: ./nginx` under build: where this service's image is built from
    const built = /^\s*(?:build|context)\s*:\s*["']?([^"'\s#]+)/.exec(line)?.[1];
    if (built !== undefined) service.buildContext = built.replace(/^\.\/?$/, ".").replace(/^\.\//, "").replace(/\/$/, "") || ".";
    const dockerfile = /^\s*dockerfile\s*:\s*["']?([^"'\s#]+)/.exec(line)?.[1];
    if (dockerfile !== undefined) service.dockerfile = dockerfile;
    // YAML lets a plain value continue on the next, deeper line (`image:` then `  postgres:16.2`)
    const image = /^\s*image\s*:\s*["']?([^"'\s#]+)/.exec(line)?.[1] ?? (/^\s*image\s*:\s*(#.*)?$/.test(line) ? continuedValue(lines, i, indent) : undefined);
    if (image !== undefined) {
      service.image = true;
      service.thirdParty ||= isPublishedThirdPartyImage(image);
    }
  }
  // `dockerfile:` is relative to the build context, which is relative to the compose file
  for (const x of services) {
    if (x.dockerfile === undefined) continue;
    const path = normalise(`${dir}/${x.buildContext ?? "."}/${x.dockerfile}`);
    if (path === undefined) delete x.dockerfile;
    else x.dockerfile = path;
  }
  return services;
}

/**
 * Names of the services that run another image (`image:` without `build:`, beside a service that
 * builds, or a published third-party image; or built from another directory beside one built from
 * this one): their commands and mounts belong to that image (a database beside the app), not to
 * this Dockerfile's. A service's definitions in several files count as one.
 */
function otherImageServices(files: ComposeService[][], dockerfilePath: string | undefined): Set<string> {
  const merged = new Map<string, Omit<ComposeService, "lines">>();
  // when a service builds this Dockerfile, a service that only names an image in the same file runs
  // something else (`nouchka/sqlite3` beside the app); otherwise an image with a namespace may be this one, published
  const besideBuilder = new Set(files.filter((services) => services.some((x) => x.build)).flatMap((services) => services.map((x) => x.name)));
  for (const d of files.flat()) {
    const m = merged.get(d.name);
    merged.set(d.name, m
      ? { name: d.name, build: m.build || d.build, buildContext: m.buildContext ?? d.buildContext, dockerfile: m.dockerfile ?? d.dockerfile, image: m.image || d.image, thirdParty: m.thirdParty || d.thirdParty }
      : { name: d.name, build: d.build, ...(d.buildContext !== undefined ? { buildContext: d.buildContext } : {}), ...(d.dockerfile !== undefined ? { dockerfile: d.dockerfile } : {}), image: d.image, thirdParty: d.thirdParty });
  }
  const services = [...merged.values()];
  // a service built from another directory of the context (`build: ./nginx`) is another image: this one's context is the top
  const others = new Set<string>();
  for (const x of services) {
    const otherBuild = x.build && x.buildContext !== undefined && x.buildContext !== "." && !x.buildContext.startsWith("..");
    // `dockerfile: dockerfile_db`: built from this context, but from another Dockerfile than the one converted
    const otherDockerfile = x.build && x.dockerfile !== undefined && dockerfilePath !== undefined && x.dockerfile !== dockerfilePath;
    if ((x.image && !x.build && (besideBuilder.has(x.name) || x.thirdParty)) || otherBuild || otherDockerfile) others.add(x.name);
  }
  return others;
}

/** The stage names the compose files build (`build:` → `target: app`). */
export function composeBuildTargets(context: BuildContext): string[] {
  return composeSources(context).flatMap(({ lines, foreign }) => lines.flatMap((line, i) => {
    const target = foreign.has(i) ? undefined : /^\s*target\s*:\s*["']?([\w.-]+)["']?\s*(#.*)?$/.exec(line)?.[1];
    return target ? [target] : [];
  }));
}

/**
 * The `environment:` entries of the services the compose files run from this image, as a list
 * (`- STATE_DIR=/app/states`) or a map (`STATE_DIR: /app/states`), with their values as written.
 */
export function composeEnvironment(context: BuildContext): { file: string; line: number; name: string; value: string }[] {
  return blockEntries(context, "environment");
}

/**
 * What the services run from this image are granted beyond a plain container: `privileged: true`,
 * `cap_add:` or `devices:`. Docker hands capabilities and device access to the container's root; a
 * non-root process gets no effective capabilities and only the device nodes' own permissions.
 */
export function composeElevatedPrivileges(context: BuildContext): { file: string; line: number; key: string }[] {
  return composeSources(context).flatMap(({ file, lines, foreign }) =>
    lines.flatMap((line, i) => {
      const key = /^\s+(privileged\s*:\s*["']?true\b|cap_add\s*:|devices\s*:)/.exec(line)?.[1]?.replace(/\s*:.*$/, "");
      // `deploy.resources.reservations.devices` asks for GPUs, whose device nodes every user may open
      return key && !foreign.has(i) && !(key === "devices" && /^\s*reservations\s*:/.test(parentLine(lines, i))) ? [{ file, line: i + 1, key }] : [];
    }));
}

/** The nearest line above `i` indented less than it: the key it belongs to. */
function parentLine(lines: readonly string[], i: number): string {
  const indent = lines[i]!.search(/\S/);
  for (let k = i - 1; k >= 0; k--) if (lines[k]!.trim() !== "" && lines[k]!.search(/\S/) < indent) return lines[k]!;
  return "";
}

/** The names compose tags the image it builds from this Dockerfile with (`image:` beside `build:`). */
export function composeBuiltImageTags(context: BuildContext): { file: string; line: number; image: string }[] {
  return composeSources(context).flatMap(({ file, lines, building }) => lines.flatMap((line, i) => {
    const image = building.has(i) ? /^\s*image\s*:\s*["']?([^"'\s#]+)/.exec(line)?.[1] : undefined;
    return image ? [{ file, line: i + 1, image }] : [];
  }));
}

/**
 * A service of this image that compose keeps open at a shell: `stdin_open: true` or `tty: true` and no
 * `command:` or `entrypoint:` of its own, so the program is started by hand inside it (`docker exec`).
 */
export function composeInteractiveShell(context: BuildContext): { file: string; line: number; key: string } | undefined {
  for (const { file, lines, foreign } of composeSources(context)) {
    if (composeCommands(context).some((c) => c.file === file && c.key !== "test")) continue;
    const at = lines.findIndex((line, i) => !foreign.has(i) && /^\s+(stdin_open|tty)\s*:\s*true\b/.test(line));
    if (at >= 0) return { file, line: at + 1, key: /(stdin_open|tty)/.exec(lines[at]!)![1]! };
  }
  return undefined;
}
