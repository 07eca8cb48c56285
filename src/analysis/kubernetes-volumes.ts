import type { BuildContext } from "./context.js";

export interface KubernetesVolumeMount {
  file: string;
  line: number;
  path: string;
}

const workload = /^kind:\s*["']?(Deployment|StatefulSet|DaemonSet|Pod|ReplicaSet|Job|CronJob)["']?\s*$/m;
/** Volume sources that are configuration handed to the program, read-only by nature. */
const configurationSource = /^\s*(configMap|secret|projected|downwardAPI)\s*:/;
const scanLimit = 200;
const cache = new WeakMap<BuildContext, AnyMount[]>();

/**
 * Directories the context's Kubernetes workloads mount volumes at (`volumeMounts: - mountPath:
 * /app/logs`), for the program to write: read-only mounts and ConfigMap, Secret, projected or
 * downward-API volumes are left out. A PersistentVolume or emptyDir keeps the owner it was made
 * with; a directory the image has owned by its user is what a named volume, or a pod with fsGroup, needs.
 */
export function kubernetesVolumeMounts(context: BuildContext): KubernetesVolumeMount[] {
  return allMounts(context).filter((m) => !m.readOnly && !m.configuration).map(({ file, line, path }) => ({ file, line, path }));
}

/**
 * Every volume the workloads mount in root's home (`/root/.kube/config` from a Secret or hostPath, read-only
 * too): run as root, the program finds it there through HOME=/root; a non-root user neither looks there nor
 * can read it.
 */
export function kubernetesRootHomeMounts(context: BuildContext): KubernetesVolumeMount[] {
  return allMounts(context).filter((m) => /^\/root\/./.test(m.path)).map(({ file, line, path }) => ({ file, line, path }));
}

interface AnyMount extends KubernetesVolumeMount {
  readOnly: boolean;
  configuration: boolean;
}

function allMounts(context: BuildContext): AnyMount[] {
  const cached = cache.get(context);
  if (cached) return cached;
  const found: AnyMount[] = [];
  if (context.known) {
    const manifests = context.list().filter((p) => /\.ya?ml$/.test(p) && !p.includes("node_modules/") && p.split("/").length <= 4).slice(0, scanLimit);
    for (const file of manifests) {
      const text = context.read(file) ?? "";
      if (!/^apiVersion:/m.test(text)) continue;
      for (const document of documents(text)) {
        // a database or cache the manifests also deploy (`image: postgres:15`, `bitnami/redis`) is not this image
        const images = [...document.text.matchAll(/^\s*(?:-\s*)?image:\s*["']?([^"'\s#]+)/gm)].map((m) => m[1]!);
        if (!workload.test(document.text) || images.length === 0 || images.every(isThirdPartyImage)) continue;
        const configVolumes = configurationVolumeNames(document.lines);
        for (const mount of volumeMountItems(document.lines)) {
          if (!/^\/[\w./-]+$/.test(mount.path)) continue;
          found.push({ file, line: document.firstLine + mount.index + 1, path: mount.path.replace(/(.)\/$/, "$1"), readOnly: mount.readOnly, configuration: mount.name !== undefined && configVolumes.has(mount.name) });
        }
      }
    }
  }
  cache.set(context, found);
  return found;
}

/** An official library image (`postgres:15`, `docker.io/library/redis`) or a vendor's packaged one (bitnami/…). */
function isThirdPartyImage(reference: string): boolean {
  const name = reference.replace(/@.*$/, "").replace(/:[^/]*$/, "").replace(/^(docker\.io\/)?(library\/)?/, "");
  if (/(^|\/)(redis|postgres|postgresql|mongo|mongodb|mysql|mariadb|rabbitmq|memcached|nginx|elasticsearch|minio|kafka|zookeeper|etcd|influxdb|grafana|prometheus|[\w-]*redis[\w-]*)$/.test(name)) return true;
  return !name.includes("/") || /^(bitnami|bitnamicharts|grafana|prom|quay\.io\/prometheus|elastic|docker\.elastic\.co|minio|confluentinc|rabbitmq|mongo|redis|mysql|mariadb|postgres)\//.test(name);
}

function documents(text: string): { text: string; lines: string[]; firstLine: number }[] {
  const all = text.split(/\r?\n/);
  const out: { text: string; lines: string[]; firstLine: number }[] = [];
  let start = 0;
  all.forEach((line, i) => {
    if (/^---\s*$/.test(line)) {
      out.push({ text: all.slice(start, i).join("\n"), lines: all.slice(start, i), firstLine: start });
      start = i + 1;
    }
  });
  out.push({ text: all.slice(start).join("\n"), lines: all.slice(start), firstLine: start });
  return out;
}

/** Names of the pod's volumes whose source is configuration (`- name: settings` then `configMap:`). */
function configurationVolumeNames(lines: string[]): Set<string> {
  const names = new Set<string>();
  lines.forEach((line, i) => {
    const item = /^(\s*)-\s*name:\s*["']?([\w.-]+)["']?\s*$/.exec(line);
    if (!item) return;
    const indent = item[1]!.length;
    for (let k = i + 1; k < lines.length; k++) {
      const next = lines[k]!;
      if (next.trim() === "") continue;
      const nextIndent = next.search(/\S/);
      if (nextIndent <= indent) break;
      if (configurationSource.test(next)) names.add(item[2]!);
    }
  });
  return names;
}

/** The items under each `volumeMounts:` key: mount path, volume name, read-only flag. */
function volumeMountItems(lines: string[]): { index: number; path: string; name?: string; readOnly: boolean }[] {
  const out: { index: number; path: string; name?: string; readOnly: boolean }[] = [];
  lines.forEach((line, i) => {
    const key = /^(\s*)volumeMounts:\s*$/.exec(line);
    if (!key) return;
    const indent = key[1]!.length;
    let current: { index: number; path?: string; name?: string; readOnly: boolean } | undefined;
    const flush = () => {
      if (current?.path) out.push({ index: current.index, path: current.path, ...(current.name ? { name: current.name } : {}), readOnly: current.readOnly });
      current = undefined;
    };
    for (let k = i + 1; k < lines.length; k++) {
      const next = lines[k]!;
      if (next.trim() === "" || /^\s*#/.test(next)) continue;
      const nextIndent = next.search(/\S/);
      if (nextIndent < indent || (nextIndent === indent && !/^\s*-/.test(next))) break;
      if (/^\s*-\s/.test(next)) {
        flush();
        current = { index: k, readOnly: false };
      }
      const pair = /^\s*(?:-\s*)?(mountPath|name|readOnly):\s*["']?([^"'#\s]+)["']?/.exec(next);
      if (!pair || !current) continue;
      if (pair[1] === "mountPath") current.path = pair[2]!;
      else if (pair[1] === "name") current.name = pair[2]!;
      else current.readOnly = pair[2] === "true";
    }
    flush();
  });
  return out;
}
