import type { BuildContext } from "./context.js";
import type { Facts } from "./facts.js";
import { startCommandWords } from "./start-command.js";
import { startCommandPorts } from "../transforms/common/privileged-ports.js";
import { isRootUser } from "../transforms/common/user.js";

const workloadKinds = /^kind:\s*["']?(Deployment|StatefulSet|DaemonSet|Pod|ReplicaSet|Job|CronJob|ValidatingWebhookConfiguration|MutatingWebhookConfiguration)["']?\s*$/m;
const admissionCode = /\bAdmissionReview\b|\badmission_?(review|response|controller)\b/i;
const sourceFile = /\.(py|go|js|ts|mjs|cjs)$/;
const scanLimit = 400;

const ecsDeployment = /\baws-actions\/amazon-ecs-(deploy|render)-task-definition\b|\baws\s+ecs\s+(update-service|register-task-definition|run-task)\b|"containerDefinitions"\s*:/;

/**
 * A root-run original that listens below 1024 and is made for Kubernetes (a workload manifest in the
 * context, or code answering admission reviews) or Amazon ECS (a workflow or task definition that
 * deploys it): Kubernetes leaves net.ipv4.ip_unprivileged_port_start at 1024 and containerd before 2.0
 * does not lower it, and ECS's container runtime does not let a non-root process bind below 1024
 * (aws/containers-roadmap#1721), so the container would crash-loop where the original ran.
 */
export function kubernetesLowPortRoot(context: BuildContext, facts: Facts): string | undefined {
  if (facts.user !== undefined && !isRootUser(facts.user)) return undefined;
  const low = startCommandPorts(startCommandWords(facts)).filter((p) => Number(p) < 1024);
  if (low.length === 0 || !context.known) return undefined;
  const ports = [...new Set(low)].join(", ");
  const kubernetes = kubernetesEvidence(context);
  if (kubernetes) return `the start command listens on port ${ports}, below 1024, and ${kubernetes}: Kubernetes keeps net.ipv4.ip_unprivileged_port_start at 1024 (containerd before 2.0 does not lower it), so a non-root user could not bind that port there (to drop root, listen on a port of 1024 or more and point the Service's targetPort at it)`;
  const ecs = ecsEvidence(context);
  return ecs && `the start command listens on port ${ports}, below 1024, and ${ecs}: ECS's container runtime does not let a non-root user bind a port below 1024, so the task would stop at start (to drop root, listen on a port of 1024 or more and point the task definition's containerPort at it)`;
}

function ecsEvidence(context: BuildContext): string | undefined {
  const files = context.list().filter((p) => /^\.github\/workflows\/[^/]+\.ya?ml$|(^|\/)[^/]*task[-_]?def[^/]*\.json$/i.test(p)).slice(0, scanLimit);
  const found = files.find((path) => ecsDeployment.test(context.read(path) ?? ""));
  return found && `${found} deploys it to Amazon ECS`;
}

function kubernetesEvidence(context: BuildContext): string | undefined {
  const files = context.list().filter((p) => !p.endsWith("/") && !p.includes("node_modules/") && p.split("/").length <= 4).slice(0, scanLimit * 10);
  for (const path of files.filter((p) => /\.ya?ml$/.test(p)).slice(0, scanLimit)) {
    const text = context.read(path) ?? "";
    const kind = /^apiVersion:/m.test(text) ? workloadKinds.exec(text)?.[1] : undefined;
    if (kind) return `${path} deploys it to Kubernetes (a ${kind})`;
  }
  for (const path of files.filter((p) => sourceFile.test(p)).slice(0, scanLimit)) {
    if (admissionCode.test(context.read(path) ?? "")) return `${path} answers Kubernetes admission reviews, so it runs on Kubernetes`;
  }
  return undefined;
}
