import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { pipInstallArgs } from "../../analysis/commands.js";
import type { Report } from "../../report.js";
import { packagingTools, pinnedVersion, pipRequirements, requirementName, type PythonStep } from "./tools.js";
import { imagePythonVersion } from "./uv-python.js";
import { venvPipAsImage } from "./venv-pip-upgrade.js";
import { isOfficialImage } from "../../analysis/image-ref.js";
import { poetryNoDevFlag, poetryRuntimeGroupsFlag } from "./poetry-groups.js";
import { projectFilePath } from "./project-file.js";

export interface ToolPlan {
  /** ENV assignments the build stage needs for the tools to install into the environment. */
  env: string[];
  /** Commands that leave only production dependencies (run after the tests). */
  prune: string[];
  /** Where a system pip put each packaging tool's program in the build stage (`uv` → /usr/local/bin/uv). */
  toolPrograms: Map<string, string>;
}

interface ToolInput {
  facts: Facts;
  steps: PythonStep[];
  context: BuildContext;
  report: Report;
  hasTests: boolean;
  /** The environment msb creates, when it creates one. */
  venv: string | undefined;
  /** uv downloads the project's Python (the image's does not serve): downloads stay allowed. */
  uvDownloadsPython?: boolean;
  rewrite(step: PythonStep, text: string): void;
}

/** Where a packaging tool installed after the environment exists goes: outside what the runtime copies. */
export const buildToolsDir = "/opt/build-tools";

/**
 * Per packaging tool: production dependencies only, into the environment the runtime copies, with
 * flags the installed tool version accepts; the tool itself stays in the build stage.
 */
export function planToolSteps(input: ToolInput): ToolPlan {
  const { steps, report, hasTests, venv, rewrite, facts } = input;
  const env: string[] = [];
  const prune: string[] = [];
  const toolPrograms = new Map<string, string>();
  const firstDeps = steps.find((s) => s.kind === "deps");
  const cd = (s: PythonStep) => (s.s.cwd !== facts.finalWorkdir ? `cd ${s.s.cwd} && ` : "");

  for (const step of steps) {
    const { words, s } = step;
    let text = s.text;
    if (step.kind === "tool-install" && venv && firstDeps && step.index >= firstDeps.index) {
      const names = pipRequirements(pipInstallArgs(words)).map(requirementName).filter((n) => packagingTools[n]);
      const links = names.map((n) => `ln -sf ${buildToolsDir}/bin/${n} /usr/local/bin/${n}`).join(" && ");
      // Python 3.7 and older: the venv's bundled pip cannot read the wheel tags the image's own pip takes (cryptography for
      // Poetry's keyring); the image's pip is asked by path, as the environment's python3 is first on PATH by now
      const python = imagePythonVersion(facts);
      const oldPip = isOfficialImage(facts.resolvedImage, "python") && python?.major === 3 && python.minor <= 7;
      rewrite(step, `python3 -m venv ${buildToolsDir}${oldPip ? ` && ${venvPipAsImage(buildToolsDir, "/usr/local/bin/python3")}` : ""} && ${buildToolsDir}/bin/pip install ${pipInstallArgs(words).join(" ")} && ${links}`);
      report.info(`${names.join(", ")} installed into ${buildToolsDir}, which stays in the build stage`);
      for (const n of names) toolPrograms.set(n, `${buildToolsDir}/bin/${n}`);
      continue;
    }
    // the official python images' pip puts programs in /usr/local/bin; --user, --target or --prefix elsewhere
    if (step.kind === "tool-install" && words[0] !== "pipx" && facts.resolvedImage.name === "python" && !words.some((w) => /^(--user|--target|-t|--prefix|--root)(=|$)/.test(w))) {
      for (const n of pipRequirements(pipInstallArgs(words)).map(requirementName).filter((n) => packagingTools[n])) toolPrograms.set(n, `/usr/local/bin/${n}`);
    }
    if (step.kind !== "deps") continue;
    switch (step.tool) {
      case "pip":
        if (venv && /\s--user(?=\s|$)/.test(text)) {
          text = text.replace(/\s--user(?=\s|$)/g, "");
          report.info(`${step.words.includes("setup.py") || step.words.some((w) => w.endsWith("/setup.py")) ? "setup.py" : "pip"} --user dropped: the install goes into the virtual environment`);
        }
        break;
      case "poetry": {
        const version = poetryVersion(input);
        const old = version !== undefined && compareVersions(version, "1.2") < 0;
        const sub = words[words.indexOf("poetry") + 1] ?? words[1];
        // --only-root installs no dependencies, and Poetry refuses it beside --with, --without or --only
        if (sub === "sync" || words.includes("--only-root") || words.includes("--only") || words.some((w) => w.startsWith("--only=")) || words.includes("--with") || words.some((w) => w.startsWith("--with="))) break;
        const pyproject = input.context.read(projectFilePath(facts, input.context, "pyproject.toml"));
        if (words.includes("--no-dev") && !old) {
          const flag = poetryNoDevFlag(pyproject);
          text = text.replace(/\s--no-dev(?=\s|$)/, flag ? ` ${flag}` : "");
          report.info(`poetry install --no-dev became ${flag || "a plain install (the project has no dev group)"}: ${version ? `Poetry ${version}` : "the Poetry the build installs (unpinned: the newest)"} ${version && compareVersions(version, "2") < 0 ? "deprecates" : "no longer has"} --no-dev`);
        } else if (!words.includes("--no-dev") && !words.some((w) => w === "--without" || w.startsWith("--without="))) {
          const flag = old ? "--no-dev" : poetryRuntimeGroupsFlag(pyproject);
          if (!flag) break;
          if (hasTests) prune.push(`${cd(step)}poetry install ${old ? "--no-dev --remove-untracked" : `${flag} --sync`} --no-interaction`);
          else text = `${text} ${flag}`;
          report.info(hasTests ? "Poetry's dev groups are installed for the tests and removed before the runtime copies the environment" : `poetry install ${flag}: dev groups stay out of the runtime`);
        }
        break;
      }
      case "pipenv": {
        if (venv && /\s--system(?=\s|$)/.test(text)) {
          text = text.replace(/\s--system(?=\s|$)/g, "");
          report.info("pipenv --system dropped: Pipenv installs into the active virtual environment");
        }
        if (/\s(--dev|-d)(?=\s|$)/.test(text)) {
          if (hasTests) report.warn("pipenv install --dev: dev packages the tests need stay in the runtime environment (Pipenv cannot remove them selectively)");
          else {
            text = text.replace(/\s(--dev|-d)(?=\s|$)/g, "");
            report.info("pipenv install --dev dropped --dev: dev packages stay out of the runtime");
          }
        }
        break;
      }
      case "uv": {
        if (words[1] === "pip") {
          if (venv && /\s--system(?=\s|$)/.test(text)) {
            text = text.replace(/\s--system(?=\s|$)/g, "");
            report.info("uv pip --system dropped: uv installs into the active virtual environment");
          }
          break;
        }
        if (venv) env.push(`UV_PROJECT_ENVIRONMENT=${venv}`, ...(input.uvDownloadsPython ? [] : ["UV_PYTHON_DOWNLOADS=never"]));
        if (words.some((w) => ["--no-dev", "--only-dev", "--no-default-groups", "--only-group"].includes(w))) break;
        if (hasTests) {
          prune.push(`${cd(step)}${text.replace(/\s--no-install-project(?=\s|$)/, "")} --no-dev`);
          report.info("uv's dev dependencies are installed for the tests and removed before the runtime copies the environment");
        } else {
          text = `${text} --no-dev`;
          report.info("uv sync --no-dev: dev dependencies stay out of the runtime");
        }
        break;
      }
      case "pdm": {
        if (words.some((w) => ["--prod", "--production", "-d", "--dev", "-G", "--group", "--without"].includes(w) || w.startsWith("--group=") || w.startsWith("-G"))) break;
        if (hasTests) report.warn("pdm install with dev dependencies for the tests: they stay in the runtime environment");
        else {
          text = `${text} --prod`;
          report.info("pdm install --prod: dev dependencies stay out of the runtime");
        }
        break;
      }
    }
    if (text !== s.text) rewrite(step, text);
  }
  return { env: [...new Set(env)], prune: [...new Set(prune)], toolPrograms };
}

/** The Poetry version the build installs: a pin in the install, POETRY_VERSION, or the lockfile header. */
export function poetryVersion(input: Pick<ToolInput, "steps" | "facts" | "context">): string | undefined {
  for (const step of input.steps) {
    if (step.kind !== "tool-install") continue;
    for (const spec of pipRequirements(pipInstallArgs(step.words))) {
      if (requirementName(spec) !== "poetry") continue;
      const resolved = spec.replace(/\$\{?POETRY_VERSION\}?/, input.facts.variables["POETRY_VERSION"] ?? "$POETRY_VERSION");
      const pinned = pinnedVersion(resolved);
      if (pinned && /^\d/.test(pinned)) return pinned;
      // unpinned: pip takes the newest release the image's Python can run
      if (/^poetry(\[[^\]]*\])?$/i.test(resolved)) {
        const python = imagePythonVersion(input.facts);
        const newest = python?.major === 3 ? newestPoetryFor[python.minor] : undefined;
        if (newest) return newest;
      }
    }
  }
  const fromEnv = input.facts.variables["POETRY_VERSION"];
  if (fromEnv && /^\d/.test(fromEnv)) return fromEnv;
  const lock = input.context.read("poetry.lock");
  return lock ? /generated by Poetry ([0-9][^\s]*)/.exec(lock.slice(0, 300))?.[1] : undefined;
}

/** The newest Poetry each Python 3.x below 3.9 can install (requires-python of Poetry 1.2, 1.6 and 2.0). */
const newestPoetryFor: Record<number, string> = { 5: "1.1.15", 6: "1.1.15", 7: "1.5.1", 8: "1.8.5" };

export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map((x) => parseInt(x, 10) || 0);
  const pb = b.split(".").map((x) => parseInt(x, 10) || 0);
  for (let k = 0; k < Math.max(pa.length, pb.length); k++) {
    const d = (pa[k] ?? 0) - (pb[k] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
