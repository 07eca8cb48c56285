import { isOfficialImage } from "./image-ref.js";
import { Keyword } from "dockerfile-ast";
import { unsupported } from "../errors.js";
import { splitShell } from "../parser/shell.js";
import { shellScriptOf, type CommandForm } from "../parser/instruction-text.js";
import { commandWords, isTestCommand } from "./commands.js";
import type { Facts } from "./facts.js";
import { rootDaemons, supervisordRefusal } from "./supervisord.js";
import { composeCommands } from "./compose.js";
import { nginxServedSite } from "./nginx-served-site.js";
import { startScripts } from "../transforms/common/runtime-text.js";

const windowsTag = /(^|[-_.])(ltsc\d{4}|nanoserver|servercore|windowsservercore|1809|20h2|21h2)([-_.]|$)/i;

/**
 * Images msb must not convert, recognised before any stack pass runs: each refusal (exit 3) names
 * what was recognised, so the user sees the real reason rather than a generic "nothing to build".
 */
export function refuseUnconvertibleImage(facts: Facts): void {
  const { doc, resolvedImage: image } = facts;
  if (doc.escape === "`" || windowsTag.test(image.tag) || /(^|\/)(windows|servercore|nanoserver)(\/|$)/.test(image.repository)) {
    throw unsupported(doc.escape === "`" ? `the escape=\` directive marks a Windows Dockerfile (${image.raw}); msb converts Linux images only` : `detected a Windows image (${image.raw}); msb converts Linux images only`);
  }
  // public.ecr.aws/lambda/python, amazon/aws-lambda-nodejs: Lambda's runtime loads the handler from
  // LAMBDA_TASK_ROOT with the image's own interpreter and runs it as its own sandbox user
  if (/(^|\/)(lambda\/[\w.-]+|aws-lambda-[\w.-]+)$/.test(image.repository) && (image.registry === "public.ecr.aws" || /^amazon\//.test(image.repository))) {
    throw unsupported(`${image.raw} is an AWS Lambda base image: Lambda's runtime loads the handler from LAMBDA_TASK_ROOT (/var/task) with the image's own interpreter and runs it as a user of its own, so a virtual environment, a non-root USER or a smaller runtime image would not be used`);
  }
  if (/(^|-)onbuild$/.test(image.tag)) {
    throw unsupported(`${image.raw} is an ONBUILD image: its triggers copy and build the sources implicitly, so msb cannot see the build steps; start FROM the plain tag and write the steps out`);
  }
  const onbuild = facts.body.filter((e) => e.keyword === Keyword.ONBUILD).length;
  if (onbuild > 0) {
    const steps = facts.body.filter((e) => e.run || e.copy).length;
    if (onbuild >= steps) {
      throw unsupported(`a base-image template: its build steps are ${onbuild} ONBUILD trigger${onbuild === 1 ? "" : "s"} that run in the images built FROM it, not here; there is nothing to split into stages`);
    }
  }
  const tool = bareToolEntrypoint(facts);
  if (tool) {
    throw unsupported(`a tool image: ENTRYPOINT runs ${tool} with no CMD, so the command that runs is chosen at run time (\`docker run IMAGE <command>\`) and msb cannot tell what the runtime needs`);
  }
  const inherited = inheritedFromUnknownImage(facts);
  if (inherited) {
    throw unsupported(`the start command is inherited from ${inherited}, which is not an official image: msb cannot see what it runs, as which user or with which interpreter, so it cannot tell what the runtime needs (set ENTRYPOINT or CMD in the Dockerfile)`);
  }
  const start = startCommand(facts);
  const mounted = start && scriptNeverCopied(facts, start);
  if (mounted) {
    throw unsupported(`a development image: the start command runs ${mounted}, which the build context has but no COPY or ADD puts in the image, so the sources come from a volume at run time`);
  }
  // no start command of its own: compose's command is what runs (`command: python manage.py runserver`)
  const composed = !facts.entrypoint && !facts.cmd ? composeCommands(facts.context).find((c) => c.key === "command") : undefined;
  const composedScript = composed && scriptNeverCopied(facts, composed.text.replace(/[[\],"']/g, " ").split(/\s+/).filter(Boolean));
  if (composedScript) {
    throw unsupported(`a development image: it has no start command, and ${composed!.file} line ${composed!.line} runs ${composedScript}, which the build context has but no COPY or ADD puts in the image, so the sources come from a volume at run time`);
  }
  const manifestsOnly = dependencyManifestsOnly(facts);
  if (manifestsOnly) {
    throw unsupported(`an environment image: it has no start command and copies only its dependency manifests (${manifestsOnly}), not the application, so the sources come from a volume or a later build at run time; there is no application to put in a runtime stage`);
  }
}

/**
 * Refuses (exit 3) an image whose start command runs what needs root or several programs: a root daemon,
 * the test suite, a process manager or s6-overlay services. The image is otherwise understood, so the checks
 * after these can still find that it cannot build (a rejection wins).
 */
export function refuseRootProcesses(facts: Facts): void {
  const daemon = rootDaemonStarted(facts);
  if (daemon) {
    throw unsupported(`the start command runs ${daemon}, a daemon that needs root (it binds privileged ports, writes its pid file and state under /run and /var, or switches users itself), and msb's runtime runs as a non-root user`);
  }
  const start = startCommand(facts);
  if (start && isTestCommand(start)) {
    throw unsupported(`a test-runner image: its start command (${start.join(" ")}) runs the test suite, so there is no application to ship in a runtime stage`);
  }
  const manager = start && processManager(start);
  if (manager === "supervisord") {
    const reason = supervisordRefusal(facts, start!);
    if (reason) throw unsupported(`a process-manager image: the start command runs supervisord, and ${reason}, so msb cannot run its programs as a non-root user safely`);
  } else if (manager) {
    throw unsupported(`a process-manager image: the start command runs ${manager}, which starts several programs as its own configuration says (often as root, with logs and pid files under /var), so msb cannot tell what each needs at run time or run them as a non-root user safely`);
  }
  // s6-overlay's services, which its /init starts, whatever ENTRYPOINT the image sets (compose may give /init)
  const services = facts.body.find((e) => e.copy && /^\/etc\/(services\.d|s6-overlay|cont-init\.d)(\/|$)/.test(e.copy.destAbs));
  if (!manager && services) {
    throw unsupported(`a process-manager image: line ${services.ins.startLine + 1} copies s6-overlay services into ${services.copy!.destAbs}, which s6-overlay's /init starts with their own run scripts (as root unless each drops privileges), so msb cannot tell what each needs at run time or run them as a non-root user safely`);
  }
}

const dependencyManifest = /(^|\/)(requirements[\w.-]*\.(txt|in)|constraints[\w.-]*\.txt|pyproject\.toml|poetry\.lock|Pipfile(\.lock)?|uv\.lock|pdm\.lock|package(-lock)?\.json|yarn\.lock|pnpm-lock\.yaml|\.yarnrc(\.yml)?|\.npmrc|go\.(mod|sum))$/;

/** The manifests, when an image without a start command copies nothing but dependency manifests from the context. */
function dependencyManifestsOnly(facts: Facts): string | undefined {
  if (facts.entrypoint || facts.cmd) return undefined;
  const copies = facts.body.filter((e) => e.copy);
  if (copies.length === 0 || copies.some((e) => e.copy!.fromImage !== undefined || e.copy!.flags["from"] !== undefined || e.copy!.heredoc)) return undefined;
  const sources = copies.flatMap((e) => e.copy!.sources);
  if (!sources.every((s) => dependencyManifest.test(s.replace(/\/$/, "")))) return undefined;
  // a build step that fetches the application instead (git clone, curl, pip download) has something to ship
  if (facts.body.some((e) => e.run && /\b(git\s+clone|curl|wget|pip[\d.]*\s+download)\b/.test(e.ins.text))) return undefined;
  return [...new Set(sources)].join(", ");
}

const scriptFile = /^(?!\/|-)[\w./-]+\.(py|js|mjs|cjs|ts|rb|php)$/;

/** The start command's own script (`python manage.py`, `node server.js`), when the context has it and no COPY/ADD could bring it in. */
function scriptNeverCopied(facts: Facts, start: string[]): string | undefined {
  if (!facts.context.known) return undefined;
  const script = start.find((w) => scriptFile.test(w))?.replace(/^\.\//, "");
  if (!script || facts.context.kind(script) !== "file") return undefined;
  if (facts.body.some((e) => e.run && /\b(git\s+clone|curl|wget|unzip|tar|pip\s+download|npm\s+pack)\b/.test(e.ins.text))) return undefined;
  const copied = facts.body.some((e) => e.copy && (e.copy.fromImage !== undefined || e.copy.flags["from"] !== undefined || e.copy.heredoc || e.copy.sources.some((s) => {
    const source = s.replace(/^\.\//, "").replace(/\/$/, "");
    return source === "" || source === "." || /[*?[$]/.test(source) || /^https?:/.test(source) || source === script || script.startsWith(`${source}/`) || source.endsWith(".tar") || /\.(tar\.\w+|tgz|zip)$/.test(source);
  })));
  return copied ? undefined : script;
}

/** Whether the start command runs supervisord (which msb then judged able to run as a non-root user). */
export function startsSupervisord(facts: Facts): boolean {
  const start = startCommand(facts);
  return start !== undefined && processManager(start) === "supervisord";
}

/** supervisord or s6-overlay's /init as the start command (directly or through a shell script's exec). */
function processManager(start: string[]): string | undefined {
  const argv = start[0] === "exec" ? start.slice(1) : start;
  if (argv[0]?.split("/").pop() === "supervisord") return "supervisord";
  if (argv[0] === "/init") return "s6-overlay's /init";
  return undefined;
}

const tools = /^(npm|npx|yarn|pnpm|node|bun|deno|python[\d.]*|pip[\d.]*|poetry|pipenv|uv|go)$/;

/**
 * `ENTRYPOINT ["npm"]` (or `npm run`, `python`, …) with no CMD: the runtime's work comes from `docker run`
 * arguments. Not when compose gives the command (`command: python -m bot` after `poetry run`).
 */
function bareToolEntrypoint(facts: Facts): string | undefined {
  if (!facts.entrypoint || facts.cmd) return undefined;
  if (composeCommands(facts.context).some((c) => c.key === "command")) return undefined;
  const argv = facts.entrypoint.form === "exec" ? facts.entrypoint.argv : (firstSegment(facts.entrypoint.shell) ?? []);
  const program = argv[0]?.split("/").pop() ?? "";
  if (!tools.test(program)) return undefined;
  const rest = argv.slice(1);
  if (rest.length === 0 || (rest.length === 1 && /^(run|run-script|exec|dlx|x)$/.test(rest[0]!))) return argv.join(" ");
  return undefined;
}

/**
 * The base image, when the container runs its parent's start command (no ENTRYPOINT or CMD here, nor
 * in compose) and that parent is not a Docker Official Image, whose start commands msb knows.
 */
function inheritedFromUnknownImage(facts: Facts): string | undefined {
  if (facts.entrypoint || facts.cmd) return undefined;
  const image = facts.resolvedImage;
  const official = isOfficialImage(image);
  if (official || image.raw.includes("$")) return undefined;
  if (composeCommands(facts.context).some((c) => c.key === "command" || c.key === "entrypoint")) return undefined;
  return image.raw;
}

/** A root daemon the start command runs itself (`nginx -g "daemon off;"`, `service cron start && …`), if any. */
function rootDaemonStarted(facts: Facts): string | undefined {
  const command: CommandForm | undefined = facts.entrypoint ?? facts.cmd;
  // the official nginx and httpd images are runtime images themselves: the stack detection names that
  if (!command || (isOfficialImage(facts.resolvedImage) && ["nginx", "httpd"].includes(facts.resolvedImage.name))) return undefined;
  // nginx serving the site a node image built: converted as a static front-end, nginx running unprivileged
  if (nginxServedSite(facts)) return undefined;
  const script = shellScriptOf(command);
  const segments = script !== undefined ? splitShell(script).map((s) => s.argv) : [command.form === "exec" ? command.argv : []];
  const started = segments.map((argv) => rootDaemonOf(commandWords(argv))).find((d) => d !== undefined);
  if (started) return started;
  // a start script that runs one as its own top-level command (`cron -f` at the end of entry.sh)
  for (const { path, text } of startScripts(facts, facts.context)) {
    for (const line of text.split(/\r?\n/)) {
      if (/^\s*#/.test(line) || /^\s/.test(line)) continue;
      const daemon = splitShell(line).map((segment) => rootDaemonOf(commandWords(segment.argv).filter((w) => w !== "exec"))).find((d) => d !== undefined);
      if (daemon) return `${daemon} (from the start script ${path})`;
    }
  }
  return undefined;
}

/** The root daemon a command runs (`nginx -g …`, `service cron start`), if it runs one. */
function rootDaemonOf(words: readonly string[]): string | undefined {
  const program = words[0]?.split("/").pop() ?? "";
  const daemon = program === "service" ? words[1] ?? "" : program;
  return rootDaemons.test(daemon) ? daemon : undefined;
}

/** The words the container runs first: the ENTRYPOINT's, else the CMD's (first simple command of a shell form). */
function startCommand(facts: Facts): string[] | undefined {
  const command: CommandForm | undefined = facts.entrypoint ?? facts.cmd;
  if (!command) return undefined;
  const script = shellScriptOf(command);
  if (script !== undefined) return firstSegment(script);
  return command.form === "exec" ? [...command.argv, ...(facts.entrypoint && facts.cmd?.form === "exec" ? facts.cmd.argv : [])] : undefined;
}

function firstSegment(shell: string): string[] | undefined {
  const segments = splitShell(shell);
  return segments.length === 1 ? segments[0]!.argv : undefined;
}
