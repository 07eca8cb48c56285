import { composeDockerSocketMounts } from "./compose.js";
import { readJson, type BuildContext } from "./context.js";
import type { Stack } from "./stack.js";

// Docker Engine API clients, which reach the daemon through /var/run/docker.sock by default
const goClient = /"github\.com\/(?:docker\/docker\/client|moby\/moby\/client|fsouza\/go-dockerclient)"/;
const pythonClient = /^\s*(?:import\s+docker\b|from\s+docker\s+import\b)/m;
const nodeClients = ["dockerode", "docker-modem"];
const notApplication = /(^|\/)(vendor|node_modules|tests?|\.git)\/|_test\.go$|(^|\/)(test_[^/]*|[^/]*_test|conftest)\.py$/;

/**
 * How the application talks to the Docker daemon through its socket, if it does: a compose mount of
 * the socket, or a Docker Engine client the code of its stack imports (only that stack's sources are
 * read). The host keeps that socket root:docker 0660, so only root (or the socket's group, whose id is
 * the host's) can open it.
 */
export function dockerSocketUse(context: BuildContext, stack: Stack): string | undefined {
  const mount = composeDockerSocketMounts(context)[0];
  if (mount) return `${mount.file} line ${mount.line} mounts the Docker daemon's socket (${mount.source})`;
  const sources = (extension: string) => context.list().filter((p) => p.endsWith(extension) && !notApplication.test(p));
  if (stack === "go") {
    const goFile = sources(".go").find((p) => goClient.test(context.read(p) ?? ""));
    return goFile && `${goFile} imports a Docker Engine client`;
  }
  if (stack === "python") {
    // a local package named docker/ is not the SDK
    const pyFile = context.kind("docker/__init__.py") === "file" ? undefined : sources(".py").find((p) => pythonClient.test(context.read(p) ?? ""));
    return pyFile && `${pyFile} imports the Docker SDK`;
  }
  const dependencies = (readJson(context, "package.json")?.["dependencies"] ?? {}) as Record<string, unknown>;
  const client = nodeClients.find((name) => name in dependencies);
  return client ? `package.json depends on ${client}, a Docker Engine client` : undefined;
}
