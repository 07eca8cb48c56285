import { composeDockerSocketMounts } from "./compose.js";
import { readJson, type BuildContext } from "./context.js";

// Docker Engine API clients, which reach the daemon through /var/run/docker.sock by default
const goClient = /"github\.com\/(?:docker\/docker\/client|moby\/moby\/client|fsouza\/go-dockerclient)"/;
const pythonClient = /^\s*(?:import\s+docker\b|from\s+docker\s+import\b)/m;
const nodeClients = ["dockerode", "docker-modem"];
const notApplication = /(^|\/)(vendor|node_modules|tests?|\.git)\/|_test\.go$|(^|\/)test_[^/]*\.py$/;

/**
 * How the application talks to the Docker daemon through its socket, if it does: a compose mount of
 * the socket, or a Docker Engine client its code imports. The host keeps that socket root:docker
 * 0660, so only root (or the socket's group, whose id is the host's) can open it.
 */
export function dockerSocketUse(context: BuildContext): string | undefined {
  const mount = composeDockerSocketMounts(context)[0];
  if (mount) return `${mount.file} line ${mount.line} mounts the Docker daemon's socket (${mount.source})`;
  const files = context.list().filter((p) => !notApplication.test(p));
  const goFile = files.find((p) => p.endsWith(".go") && goClient.test(context.read(p) ?? ""));
  if (goFile) return `${goFile} imports a Docker Engine client`;
  // a local package named docker/ is not the SDK
  if (context.kind("docker/__init__.py") !== "file") {
    const pyFile = files.find((p) => p.endsWith(".py") && pythonClient.test(context.read(p) ?? ""));
    if (pyFile) return `${pyFile} imports the Docker SDK`;
  }
  const dependencies = (readJson(context, "package.json")?.["dependencies"] ?? {}) as Record<string, unknown>;
  const client = nodeClients.find((name) => name in dependencies);
  return client ? `package.json depends on ${client}, a Docker Engine client` : undefined;
}
