import { posix } from "node:path";
import { commandWords, osPackageStep } from "./commands.js";
import type { Facts } from "./facts.js";
import { isOfficialImage } from "./image-ref.js";
import { startCommandWords } from "./start-command.js";
import { globMatches } from "../transforms/common/manifest-first.js";

/** The nginx configuration a node image copies in, and where. */
export interface CopiedNginxConfig {
  /** Path in the build context. */
  path: string;
  /** Where the original puts it: /etc/nginx/nginx.conf, or a file of server blocks under /etc/nginx. */
  target: string;
  text: string;
  /** Whether it is a whole nginx.conf (an `http {` block), not server blocks an nginx.conf includes. */
  main: boolean;
}

export interface NginxServedSite {
  /** The directory nginx serves in the original image (absolute). */
  root: string;
  /** Why msb takes that directory. */
  why: string;
  /** The configuration that names the root: a whole nginx.conf, or server blocks. */
  config?: CopiedNginxConfig;
  /** A whole nginx.conf copied beside the server blocks of `config`, which it includes. */
  mainConfig?: CopiedNginxConfig;
}

/** OS packages that provide Node.js or its package managers (`apk add nodejs yarn`, `apt-get install nodejs npm`). */
const nodePackages = /^(nodejs|nodejs-current|nodejs-lts|npm|yarn|yarnpkg)$/;

/** Debian's nginx package serves /var/www/html through /etc/nginx/sites-enabled/default. */
const debianDefaultRoot = "/var/www/html";

/**
 * A node image that installs nginx with the OS package manager and starts it in the foreground to
 * serve what the image's own build wrote: the single-stage form of "build with node, serve with
 * nginx". The site is the `root` the copied nginx configuration names, or, with Debian's default
 * configuration, /var/www/html when a build step copies files there. Undefined for anything else:
 * nginx proxying to a node server, several roots, or a root no step fills.
 */
export function nginxServedSite(facts: Facts): NginxServedSite | undefined {
  const segments = facts.body.flatMap((e) => e.run?.segments ?? []);
  const osPackages = segments.flatMap((s) => osPackageStep(s.argv)?.packages ?? []);
  // a node image, or a distribution image that installs Node.js beside nginx (`apk add nginx nodejs yarn`)
  if (!isOfficialImage(facts.resolvedImage, "node") && !osPackages.some((p) => nodePackages.test(p))) return undefined;
  const start = startCommandWords(facts);
  if (start[0]?.split("/").pop() !== "nginx") return undefined;
  const options = start.slice(1);
  if (!(options.length === 0 || (options.length === 2 && options[0] === "-g" && /^daemon\s+off;?$/.test(options[1]!.trim())))) return undefined;
  if (!osPackages.includes("nginx")) return undefined;

  const configs: CopiedNginxConfig[] = [];
  for (const entry of facts.body) {
    const copy = entry.copy;
    if (!copy || copy.fromImage || copy.flags["from"] !== undefined || !copy.destAbs.startsWith("/etc/nginx/")) continue;
    if (copy.sources.length !== 1) return undefined;
    const path = copy.sources[0]!.replace(/^\.\//, "");
    const text = facts.context.read(path);
    if (text === undefined) return undefined;
    const target = copy.destAbs.endsWith("/") ? posix.join(copy.destAbs, posix.basename(path)) : copy.destAbs;
    configs.push({ path, target, text, main: /^\s*http\s*\{/m.test(text) });
  }
  // a whole nginx.conf beside the server blocks it includes (`include /etc/nginx/conf.d/*.conf;`)
  const mainConfig = configs.length === 2 ? configs.find((c) => c.main) : undefined;
  const servers = mainConfig ? configs.filter((c) => c !== mainConfig) : configs;
  if (servers.length > 1 || (mainConfig && (servers[0]!.main || !includes(mainConfig.text, servers[0]!.target)))) return undefined;
  const config = servers[0];
  if (config) {
    // a proxy to a node server is no static site
    const text = config.text.replace(/#.*$/gm, "");
    if (/(^|[{;])\s*(proxy_pass|fastcgi_pass|uwsgi_pass|grpc_pass)\s/m.test(`${text}\n${(mainConfig?.text ?? "").replace(/#.*$/gm, "")}`)) return undefined;
    const roots = [...new Set([...text.matchAll(/(?:^|[{;])\s*root\s+["']?([^;"'\s]+)["']?\s*;/gm)].map((m) => m[1]!.replace(/\/$/, "")))];
    if (roots.length !== 1 || !roots[0]!.startsWith("/")) return undefined;
    const root = roots[0]!;
    if (!filled(facts, root)) return undefined;
    return { root, why: `${config.path} serves root ${root}`, config, ...(mainConfig ? { mainConfig } : {}) };
  }
  if (facts.resolvedImage.tag.includes("alpine") || !filled(facts, debianDefaultRoot)) return undefined;
  return { root: debianDefaultRoot, why: `Debian's nginx serves ${debianDefaultRoot}, where a build step copies the site` };
}

/** Whether an nginx.conf's `include` directives take in the file at `target` (`include /etc/nginx/conf.d/*.conf;`). */
function includes(main: string, target: string): boolean {
  return [...main.replace(/#.*$/gm, "").matchAll(/(?:^|[{;])\s*include\s+["']?([^;"'\s]+)["']?\s*;/gm)].some((m) => globMatches(posix.resolve("/etc/nginx", m[1]!), target));
}

/** Whether the build writes the root: it lies under the WORKDIR the sources build in, or a RUN copies files into it. */
function filled(facts: Facts, root: string): boolean {
  const workdir = facts.finalWorkdir;
  if (workdir !== "/" && root.startsWith(`${workdir}/`)) return true;
  return facts.body.some((e) =>
    (e.run?.segments ?? []).some((s) => {
      const words = commandWords(s.argv);
      if (!/^(cp|mv|rsync)$/.test(words[0] ?? "")) return false;
      const destination = words[words.length - 1] ?? "";
      return posix.resolve(s.cwd, destination).replace(/\/$/, "") === root;
    }),
  );
}
