import { posix } from "node:path";
import { startCommandWords } from "./start-command.js";
import { isReadme, makefileWrittenHostMount, readmeBindMounts } from "./documented-docker-runs.js";
import type { BuildContext } from "./context.js";
import { composeBindMounts, composeCommands, namesCheckout, composeEnvironment, composeHostPathMounts, composeRootHomeMounts } from "./compose.js";
import { dockerSocketUse } from "./docker-socket.js";
import type { Facts } from "./facts.js";
import { hardwareAccessRoot } from "./hardware-access.js";
import { kubernetesLowPortRoot } from "./kubernetes-low-port.js";
import { kubernetesRootHomeMounts } from "./kubernetes-volumes.js";
import type { Stack } from "./stack.js";
import { isRootUser } from "../transforms/common/user.js";
import { relativeDefaultWritePaths, relativeWritePaths } from "../transforms/python/absolute-write-dirs.js";

/**
 * Why the runtime of a root-run original has to keep root, from how it is deployed: the Docker
 * daemon's socket, mounts into root's home, a TLS key from a host directory, a mounted checkout or
 * host directory the program writes into, a port below 1024 on Kubernetes, or hardware (capabilities or devices
 * compose grants, libraries that open HCI sockets or GPIO), or an application kept in root's home. Undefined when none applies.
 */
export function rootRequiredByDeployment(context: BuildContext, facts: Facts, stack: Stack, runtimeText: string): string | undefined {
  return dockerSocketRoot(context, stack) ?? rootHomeMountRoot(context, facts) ?? mountedKeyRoot(context, facts, runtimeText) ?? mountedCheckoutRoot(context, facts) ?? writtenHostDirectoryRoot(context, facts, stack) ?? kubernetesLowPortRoot(context, facts) ?? hardwareAccessRoot(context, facts, stack) ?? rootHomeWorkdirRoot(facts, stack);
}

/**
 * A root-run Python or Node.js original that keeps its application in root's home (`WORKDIR /root/app`):
 * /root is 0700 in the base images, so another user cannot even enter the directory, and a virtual
 * environment or node_modules made there names it in its scripts. (Go moves its binary out instead.)
 */
function rootHomeWorkdirRoot(facts: Facts, stack: Stack): string | undefined {
  if ((stack !== "python" && stack !== "node") || (facts.user !== undefined && !isRootUser(facts.user))) return undefined;
  const workdir = facts.finalWorkdir;
  if (workdir !== "/root" && !workdir.startsWith("/root/")) return undefined;
  return `the application lives in ${workdir}, in root's home, which is readable by root only (0700), and what the build installs there names that path, so a non-root user could not run it (to drop root, build the application in a directory such as /app)`;
}

/**
 * A root-run Python original whose compose bind-mounts a host directory where its code writes
 * (`./data:/app/data`, `open("data/last_value.txt", "w")`): the host directory keeps its owner, which a
 * root process writes as anyone and a non-root user cannot; the program fails at its first write.
 */
function writtenHostDirectoryRoot(context: BuildContext, facts: Facts, stack: Stack): string | undefined {
  if (facts.user !== undefined && !isRootUser(facts.user)) return undefined;
  const made = makefileWrittenHostMount(context, startCommandWords(facts).slice(1));
  if (made) return `${made.file} line ${made.line} runs the image with the host's ${made.source} mounted at ${made.target}, and ${made.how}: a bind mount keeps the host directory's owner, which the root-run original could write as and a non-root user could not (to drop root, run it with --user set to the uid that owns that directory)`;
  if (stack !== "python") return undefined;
  const workdir = facts.finalWorkdir;
  // the checkout over the WORKDIR is the mounted-checkout rule's (no start command of its own)
  const mounts = [...composeBindMounts(context), ...readmeBindMounts(context)].map((m) => ({ ...m, target: m.target.replace(/(.)\/$/, "$1") })).filter((m) => m.target !== workdir && !namesCheckout(m.source));
  // the sources are read only where compose mounts a host directory at all
  if (mounts.length === 0) return undefined;
  const writes = [
    ...relativeWritePaths(context).map((w) => ({ abs: posix.join(workdir, w.path), how: `${w.file} writes ${w.path}` })),
    ...relativeDefaultWritePaths(context).map((w) => ({ abs: `${posix.join(workdir, w.path)}/`, how: `${w.file} writes ${w.path} (${w.variable}'s default)` })),
    ...configuredWrites(context),
  ];
  for (const mount of mounts) {
    const target = mount.target;
    const write = writes.find((w) => w.abs.startsWith(`${target}/`));
    const advice = isReadme(mount.file) ? "run it with --user set to the uid that owns that directory" : "give the service `user:` the uid that owns that directory";
    if (write) return `${mount.file} line ${mount.line} mounts the host's ${mount.source} at ${target}, and ${write.how} there: a bind mount keeps the host directory's owner, which the root-run original could write as and a non-root user could not (to drop root, ${advice})`;
  }
  return undefined;
}

/**
 * Paths compose's environment gives the program to write: a SQLite URL (`sqlite:////data/app.db`), or a
 * data, media, upload, output, log or cache directory (`MEDIA_DIR=/data/media`).
 */
function configuredWrites(context: BuildContext): { abs: string; how: string }[] {
  return composeEnvironment(context).flatMap((e) => {
    const sqlite = /^sqlite(?:\+\w+)?:\/\/\/(\/[\w./-]+)$/.exec(e.value)?.[1];
    const dir = /(MEDIA|UPLOADS?|OUTPUT|DATA|STORAGE|CACHE|LOGS?)_(DIR|PATH|FOLDER|ROOT)$/.test(e.name) && /^\/[\w./-]+$/.test(e.value) ? `${e.value.replace(/\/$/, "")}/` : undefined;
    const path = sqlite ?? dir;
    return path ? [{ abs: path, how: `${e.file} line ${e.line} points ${e.name}=${e.value}` }] : [];
  });
}

/** Why the runtime keeps root for the Docker daemon's socket, if the application uses it. */
function dockerSocketRoot(context: BuildContext, stack: Stack): string | undefined {
  const use = dockerSocketUse(context, stack);
  return use && `${use}, and the host keeps that socket root:docker 0660, so a non-root user cannot open it (to drop root, run the service as a user in the socket's group, e.g. compose's group_add or docker service's --group with the host's docker gid)`;
}

/** Why the runtime keeps root for compose mounts into root's home, if a root-run original has them. */
function rootHomeMountRoot(context: BuildContext, facts: Facts): string | undefined {
  const mount = facts.user === undefined || isRootUser(facts.user) ? composeRootHomeMounts(context)[0] ?? kubernetesRootHomeMounts(context).map((m) => ({ ...m, source: "a volume", target: m.path }))[0] : undefined;
  return mount && `${mount.file} line ${mount.line} mounts ${mount.source} at ${mount.target}, in root's home: run as root, the program finds it there through HOME=/root, while a non-root user looks in its own home and cannot read root's (to drop root, mount it under the runtime user's home instead)`;
}

/** A private key file by its name: `privkey.pem`, `server.key`, `tls-key.pem`. */
const privateKeyFile = /^(privkey\.pem|private[-_.]?key(\.pem)?|key\.pem|[\w.-]+[-_.]key(\.pem)?|[\w.-]+\.key)$/i;

/**
 * A root-run original whose start command serves TLS with a private key from a host directory compose
 * mounts (`--keyfile /certs/site.key`, `/home/root/certs:/certs:ro`): keys are written readable by
 * their owner only (0600), root's on such a host, so a non-root user could not read it.
 */
function mountedKeyRoot(context: BuildContext, facts: Facts, runtimeText: string): string | undefined {
  if (facts.user !== undefined && !isRootUser(facts.user)) return undefined;
  const key = /(?:--keyfile|--ssl-keyfile|--key-file|ssl_keyfile|keyfile)[=\s"',]+(\/[^\s"',\]]+)/.exec(runtimeText)?.[1];
  if (!key) {
    // a private key file mounted from a host path (`/home/me/certs/example.com/privkey.pem:/app/cert/website.key`)
    const mounted = composeHostPathMounts(context).find((m) => privateKeyFile.test(posix.basename(m.source)) && !m.source.endsWith("/"));
    return mounted && `${mounted.file} line ${mounted.line} mounts the private key ${mounted.source} from the host at ${mounted.target}: keys are readable by their owner only (0600), root's there, so a non-root user could not read it`;
  }
  const mount = composeHostPathMounts(context).find((m) => key === m.target || key.startsWith(`${m.target.replace(/\/$/, "")}/`));
  return mount && `the start command serves TLS with the private key ${key}, which ${mount.file} line ${mount.line} mounts from the host's ${mount.source}: keys are readable by their owner only (0600), root's there, so a non-root user could not read it`;
}

/**
 * An image with no start command of its own whose compose file mounts the checkout over its WORKDIR
 * (`./code/app:/code`, the command from compose) and whose program writes into that checkout
 * (compose runs `makemigrations`, `alembic revision` or celery beat; Django settings make directories or keep a SQLite file there): the
 * image is an environment for the host's sources, which the root-run original wrote into and a
 * non-root user could not.
 */
function mountedCheckoutRoot(context: BuildContext, facts: Facts): string | undefined {
  if (facts.entrypoint || facts.cmd || (facts.user !== undefined && !isRootUser(facts.user))) return undefined;
  const workdir = facts.finalWorkdir.replace(/(.)\/$/, "$1");
  const mount = composeBindMounts(context).find((m) => !m.source.startsWith("/") && !m.source.startsWith("~") && !m.source.startsWith("$") && m.target.replace(/(.)\/$/, "$1") === workdir);
  if (!mount) return undefined;
  const writes = checkoutWrites(context, mount.source.replace(/^\.\/?/, "").replace(/\/$/, ""));
  return writes && `the image has no start command of its own and ${mount.file} line ${mount.line} mounts ${mount.source} over ${workdir}, so the container runs the host's checkout, which the root-run original could write into and a non-root user could not (${writes})`;
}

/** What shows the program writing into its mounted checkout, or undefined. */
function checkoutWrites(context: BuildContext, dir: string): string | undefined {
  for (const c of composeCommands(context)) {
    if (/\bmakemigrations\b/.test(c.text)) return `${c.file} line ${c.line} runs makemigrations, which writes migration files there`;
    if (/\balembic\s+revision\b/.test(c.text)) return `${c.file} line ${c.line} runs alembic revision, which writes a migration script there`;
    // celery beat keeps its schedule file in the working directory unless told otherwise
    if (/\bcelery\b[^;&|]*\bbeat\b/.test(c.text) && !/\s(-s|--schedule)[\s=]/.test(c.text)) return `${c.file} line ${c.line} runs celery beat, which keeps its celerybeat-schedule file there`;
  }
  const prefix = dir === "" ? "" : `${dir}/`;
  for (const path of context.list()) {
    if (!path.startsWith(prefix) || !/(^|\/)settings[\w-]*\.py$/.test(path)) continue;
    const text = context.read(path) ?? "";
    if (/\bos\.makedirs\(|\bos\.mkdir\(|\.mkdir\(/.test(text)) return `${path} makes directories when it is imported`;
    if (/sqlite3[\s\S]{0,200}BASE_DIR|BASE_DIR[^\n]*\.sqlite3/.test(text)) return `${path} keeps a SQLite database in it`;
  }
  return undefined;
}
