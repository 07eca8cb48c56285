import { substitute } from "../../analysis/image-ref.js";
import { rejectMissingCtypesLibrary } from "./ctypes-system-libraries.js";
import { composeCommands } from "../../analysis/compose.js";
import { startScripts } from "../common/runtime-text.js";
import { pipenvDotenvWarning } from "./pipenv-dotenv.js";
import { rejectLogFileDirectoryMissing } from "./log-directory-missing.js";
import { rejectSourceOnlyWithoutCompiler } from "./source-only-packages.js";
import { osPackagesInstalled } from "../../analysis/os-packages-installed.js";
import type { Report } from "../../report.js";
import { posix } from "node:path";
import { Keyword } from "dockerfile-ast";
import { commandWords, osPackageStep, pipInstallArgs } from "../../analysis/commands.js";
import { userSetBefore } from "../../analysis/facts.js";
import { has, type BuildContext } from "../../analysis/context.js";
import { formatImageRef, isOfficialImage } from "../../analysis/image-ref.js";
import { poetryEnvUseSteps } from "./poetry-env-use.js";
import { rejectGunicornPkgResourcesRemoved, rejectOldPkgResourcesOnPython312 } from "./setuptools-pkg-resources.js";
import { rejectNewestPipenvOnPython36 } from "./pipenv-python36.js";
import { unsupported } from "../../errors.js";
import { added, type PlanLine } from "../../plan/types.js";
import { argsOf } from "../../parser/document.js";
import { debianSlimVariant, familyOf, smallerVariant } from "../common/base-images.js";
import { manifestFirstCopy } from "../common/manifest-first.js";
import { chooseRuntimeUser, ownerOf } from "../common/user.js";
import type { StackDecision, StackPass } from "../types.js";
import { usrLocalBinScripts } from "./usr-local-bin-scripts.js";
import { rejectUnbuildablePyYaml } from "./pyyaml-cython.js";
import { rejectPillowBeforePython313 } from "./pillow-python313.js";
import { rejectGrpcioBeforePython313 } from "./grpcio-python313.js";
import { rejectDiscordBotWithoutIntents } from "./discord-intents.js";
import { rejectPoetryExactPythonMismatch } from "./poetry-python-pin.js";
import { installRecordedAlpinePackages, installRecordedPackages, recordAlpineRuntimePackages, recordRuntimePackages } from "./shared-libraries.js";
import { poeTasks, startWithoutRunner, toolScripts, unprovidedRunnerProgram } from "./start-command.js";
import { refuseStartTimePackaging } from "./start-time-install.js";
import { sitePackagesCopies } from "./site-packages-copies.js";
import { absoluteWriteDirs, relativeWritesAtRoot } from "./absolute-write-dirs.js";
import { rejectUninstalledStartProgram } from "./start-program-installed.js";
import { rejectDiscordPy1OnPython313, rejectOldPsycopg2OnPython313, rejectOldPydantic1OnPython3124, rejectOldScrapyOnNewTwisted, rejectPahoMqtt1Client, rejectScrapyContrib, rejectStreamlitBetaApis } from "./removed-library-apis.js";
import { rejectRemovedStdlibImports } from "./removed-stdlib-modules.js";
import { requirementFilePaths } from "./requirement-files.js";
import { namesSystemInterpreter, withVenvInterpreter } from "./venv-interpreter.js";
import { isCondaCommand, pythonSteps, requirementPins, type PythonStep } from "./tools.js";
import { planToolSteps } from "./tool-rewrites.js";
import { rejectPipenvDeployPythonMismatch, rejectPipenvVirtualenvPythonMismatch } from "./pipenv-python.js";
import { rejectPoetryWithUnboundedCore } from "./poetry-core-unbounded.js";
import { importedStdlibExtensions } from "./stdlib-libraries.js";
import { browsersShippedByImage, homeDownloads } from "./home-downloads.js";
import { rejectPoetryNoDevUnderPoetry2 } from "./poetry-no-dev.js";
import { rejectUnpinnedPoetryInstallerOnOldPython } from "./poetry-installer-python.js";
import { rejectPipIntoExternallyManagedPython } from "./externally-managed.js";
import { rejectPoetryExportWithoutPlugin } from "./poetry-export.js";
import { rejectRemovedPoetryOptions } from "./poetry-removed-options.js";
import { rejectMissingPackagingTool } from "./tool-present.js";
import { rejectPoetryRootWithoutPackage } from "./poetry-root-package.js";
import { rejectPlaywrightOtherThanImage } from "./playwright-image-browsers.js";
import { rejectRemovedPipOptions } from "./removed-pip-options.js";
import { refuseUvRunWithoutInstall } from "./runner-without-install.js";
import { rejectSetuptoolsPackageDirsMissing } from "./setuptools-package-dirs.js";
import { imagePythonVersion, uvDownloadedPython, uvImageSlimPython, uvPythonDir } from "./uv-python.js";
import { commandPlaces, planComposeRunners, providesUv, systemPipSpec, uvRunEnv } from "./compose-runners.js";
import { composeStartInstalls, refuseComposeOnlyStartInstalls } from "./compose-start-installs.js";
import { venvPipAsImage, venvPipUpgrade } from "./venv-pip-upgrade.js";
import { djangoWrittenRoots } from "./django-roots.js";
import { ownedMkdir } from "../common/owned-directories.js";
import { copyFromStage } from "../common/copy-instruction.js";
import { appendTo } from "../common/multimap.js";
import { projectFilePath } from "./project-file.js";
import { pdmDownloadedPython, pdmPythonDir } from "./pdm-python.js";
import { installerPoetrySpec } from "./poetry-installed.js";
import { rejectMissingPipCommand, rejectMissingPythonCommand } from "./python-command.js";
import { uvResyncAfterSources } from "./uv-run-resync.js";
import { rejectMissingRequirementsFile } from "./requirements-file-missing.js";
import { rejectCeleryWorkerWithNewKombu } from "./celery-kombu.js";
import { rejectCelery52OnPython312 } from "./celery-python312.js";
import { rejectSklearnStub } from "./sklearn-stub.js";
import { runsPython2 } from "./python2-image.js";
import { rejectSetupPyWithoutSetuptools } from "./setuptools-missing.js";
import { rejectPipenvLockRequirements } from "./pipenv-lock-requirements.js";
import { refuseHatchEnvironments } from "./hatch-environments.js";
import { refusePdmWithoutVenv } from "./pdm-without-venv.js";
import { warnDjango2WithPsycopg29 } from "./django-psycopg2-utc.js";
import { loadsLibrariesByName } from "./dlopened-libraries.js";
import { rejectPlatformOnlyWheels } from "./platform-only-wheels.js";
import { rejectTelegramBotV13Code } from "./telegram-bot-v20.js";
import { rejectUvLockedWithoutLockfile } from "./uv-missing-lock.js";
import { refuseDevDependenciesImage } from "./dev-dependencies-image.js";
import { rejectSetupPyInstallOfTooNewDependency } from "./setup-py-easy-install.js";
import { rejectFastapiCommandWithoutCli } from "./fastapi-cli.js";
import { refuseComposeDevServerImage } from "./compose-dev-server.js";
import { rejectPoetry1LockUnderPoetry2 } from "./poetry-stale-lock.js";
import { rejectFlaskWithRemovedImports } from "./flask-dependencies.js";
import { rejectOldFlaskScriptOnPython314 } from "./flask-python314.js";
import { pipInputs } from "./pip-inputs.js";

/** The virtual environment msb creates when the original installs into the system or user site. */
export const venvDir = "/opt/venv";

/** OS packages a virtual environment makes build-only: pip, venv and headers never run in the runtime. */
const buildOnlyPythonPackages = /^(python3?(\.\d+)?-(pip|venv|dev|setuptools|wheel|distutils)|python3?-virtualenv|pipx|virtualenv|pipenv|python3-pipenv|python3-poetry|poetry)$/;

export const pythonPass: StackPass = {
  name: "python",
  description: "Python apps: dependencies installed into a virtual environment in the build stage (pip, Poetry, Pipenv, uv, PDM) and copied to python:<version>-slim with the shared libraries they link, run by a created non-root user",
  plan(input) {
    const { facts, report, context, options } = input;
    for (const entry of facts.body) {
      for (const s of entry.run?.segments ?? []) {
        if (isCondaCommand(commandWords(s.argv))) {
          throw unsupported("detected a conda environment; msb does not convert conda: its environments carry their own interpreter and native libraries outside the system package manager, so a smaller runtime cannot be derived safely");
        }
      }
    }
    if (/^(continuumio\/|condaforge\/|mambaorg\/)/.test(facts.resolvedImage.repository ?? facts.resolvedImage.raw)) {
      throw unsupported("detected a conda base image; msb does not convert conda environments");
    }

    const steps = pythonSteps(facts);
    refuseHatchEnvironments(facts);
    refusePdmWithoutVenv(facts, steps, context);
    rejectMissingPackagingTool(facts);
    rejectSetupPyWithoutSetuptools(facts);
    rejectPipenvLockRequirements(facts, steps);
    rejectRemovedPoetryOptions(facts, steps);
    // in build order: the installer's step, then Poetry's option parsing (a removed --no-dev), then its install
    rejectUnpinnedPoetryInstallerOnOldPython(facts);
    rejectPoetryNoDevUnderPoetry2(facts, steps);
    rejectPoetryRootWithoutPackage(facts, steps, context);
    if (input.contextEvident) rejectSetuptoolsPackageDirsMissing(facts, steps, context);
    rejectPoetryExportWithoutPlugin(facts, steps);
    rejectPipIntoExternallyManagedPython(facts);
    rejectMissingPythonCommand(facts);
    rejectMissingPipCommand(facts);
    rejectPipenvDeployPythonMismatch(facts, steps, context);
    rejectPipenvVirtualenvPythonMismatch(facts, steps, context);
    rejectPoetryWithUnboundedCore(facts, steps);
    rejectUnbuildablePyYaml(facts, steps, context);
    rejectPillowBeforePython313(facts, steps, context);
    rejectGrpcioBeforePython313(facts, steps, context);
    rejectPlaywrightOtherThanImage(facts, steps, context);
    rejectRemovedPipOptions(facts, steps);
    rejectDiscordBotWithoutIntents(facts, steps, context);
    rejectPoetryExactPythonMismatch(facts, steps, context);
    if (input.contextEvident) rejectUvLockedWithoutLockfile(facts, steps, context);
    if (input.contextEvident) rejectMissingRequirementsFile(facts, steps, context);
    if (input.contextEvident) rejectUninstalledStartProgram(facts, steps, context);
    if (input.contextEvident) rejectMissingCtypesLibrary(facts, context);
    refuseDevDependenciesImage(facts, steps, context);
    refuseComposeDevServerImage(facts, context);
    // pdm installed by the build's pip can be installed again by the runtime's, where scripts or compose run through it
    // a project whose lock holds pdm itself (pdm-bump depends on it) has pdm in the environment the runtime copies
    const pdmLocked = /^name = "pdm"$/m.test(context.read("pdm.lock") ?? "");
    const official = isOfficialImage(facts.resolvedImage, "python") || /(^|\/)library\/python$/.test(facts.resolvedImage.repository);
    const pdmSpec = (official ? systemPipSpec(steps, "pdm") : undefined) ?? (pdmLocked ? "pdm" : undefined);
    // packaging tools copied from their images (`COPY --from=ghcr.io/astral-sh/uv /uv /uvx /bin/`): build stage only, unless a runner needs uv
    const toolCopies = new Set(facts.body.flatMap((e, i) => (e.copy?.fromImage && (/(^|\/)(uv|poetry|pdm|pipenv)(:|@|$)/.test(e.copy.fromImage) || e.copy.sources.every((src) => /(^|\/)(uv|uvx)$/.test(src))) ? [i] : [])));
    const uvImageCopies = new Set([...toolCopies].filter((i) => facts.body[i]!.copy!.sources.some((src) => /(^|\/)uv$/.test(src))));
    // that uv can be copied into the runtime too, for a start script's `uv run`
    // Poetry the build installed at a known release (pip, or its installer with POETRY_VERSION) is installed again for `poetry run`
    const poetrySpec = official ? systemPipSpec(steps, "poetry") ?? installerPoetrySpec(facts) : undefined;
    const scriptRunners = refuseStartTimePackaging(facts, context, new Set([...(pdmSpec ? ["pdm"] : []), ...(uvImageCopies.size > 0 ? ["uv"] : []), ...(poetrySpec ? ["poetry"] : [])]));
    const uvScripts = scriptRunners.filter((r) => r.tool === "uv");
    const pdmScripts = scriptRunners.filter((r) => r.tool === "pdm");
    const poetryScripts = scriptRunners.filter((r) => r.tool === "poetry");
    if (input.contextEvident) rejectPoetry1LockUnderPoetry2(facts, steps, context);
    if (input.contextEvident) rejectOldPkgResourcesOnPython312(facts, steps, context);
    if (input.contextEvident) rejectGunicornPkgResourcesRemoved(facts, steps, context);
    rejectNewestPipenvOnPython36(facts, steps);
    if (input.contextEvident) rejectSetupPyInstallOfTooNewDependency(facts, steps, context);
    if (input.contextEvident) {
      // every requirement the pip installs read, parsed once for the rules that judge pins
      const pins = pipInputs(facts, steps, context);
      rejectFlaskWithRemovedImports(facts, steps, pins, context);
      rejectOldFlaskScriptOnPython314(facts, pins, context);
      rejectCeleryWorkerWithNewKombu(facts, steps, pins, input.runtimeText);
      rejectCelery52OnPython312(facts, steps, pins, input.runtimeText);
      rejectSklearnStub(facts, steps, pins);
      rejectPlatformOnlyWheels(facts, steps, pins, context);
      rejectSourceOnlyWithoutCompiler(facts, steps, pins, context);
      rejectTelegramBotV13Code(facts, steps, pins, context);
      rejectScrapyContrib(facts, steps, pins, context);
      rejectOldScrapyOnNewTwisted(facts, steps, pins, context, input.runtimeText);
      rejectDiscordPy1OnPython313(facts, steps, pins, context);
      rejectRemovedStdlibImports(facts, steps, pins, context);
      rejectStreamlitBetaApis(facts, steps, pins, context);
      rejectLogFileDirectoryMissing(facts, context, input.runtimeText);
      rejectPahoMqtt1Client(facts, steps, pins, context);
      rejectOldPsycopg2OnPython313(facts, steps, pins);
      rejectOldPydantic1OnPython3124(facts, steps, pins);
      rejectFastapiCommandWithoutCli(facts, pins);
      warnDjango2WithPsycopg29(facts, pins, report);
    }
    const downloadedPython = uvDownloadedPython(facts, steps, context, report);
    const pdmPython = pdmDownloadedPython(facts, steps, context);
    const depsSteps = steps.filter((s) => s.kind === "deps");
    refuseUvRunWithoutInstall(facts, depsSteps.length);
    const runtimeText = input.runtimeText;
    // a venv made after every install (`pip install -r …` then `python3 -m venv env`) holds none of the dependencies
    const installsAfter = (v: PythonStep) => depsSteps.some((d) => d.index > v.index || (d.index === v.index && d.segment > v.segment));
    const ownVenvs = [
      ...steps.filter((s) => s.kind === "venv" && installsAfter(s)).flatMap(({ words, s }) => {
        // `python3 -m venv $VIRTUAL_ENV`: the directory its ENV names
        const named = venvDirOf(words);
        const dir = named && substitute(named, facts.variables);
        return dir && !dir.includes("$") ? [posix.resolve(s.cwd, dir)] : [];
      }),
      ...inProjectVenv(facts, depsSteps, runtimeText),
      ...(pdmPython ? [pdmPython.venv] : []),
    ];
    const targets = depsSteps.filter((x) => x.tool === "pip").flatMap(({ words, s }) => {
      const args = pipInstallArgs(words);
      return args.flatMap((a, k) => {
        const m = /^--(target|prefix|root)=(.+)$/.exec(a);
        const dir = m ? m[2]! : ["-t", "--target", "--prefix", "--root"].includes(a) ? args[k + 1] : undefined;
        const resolved = dir && substitute(dir, facts.variables);
        return resolved && !resolved.includes("$") ? [posix.resolve(s.cwd, resolved)] : [];
      });
    });

    const buildInserts = new Map<number, PlanLine[]>();
    const moves = new Map<number, number>();
    const segmentRewrites = new Map<number, Map<number, string>>();
    const omit = new Set<number>();
    const cacheTargets = new Map<number, string[]>();
    const rewrite = (step: Pick<PythonStep, "index" | "segment">, text: string) => {
      const map = segmentRewrites.get(step.index) ?? new Map<number, string>();
      map.set(step.segment, text);
      segmentRewrites.set(step.index, map);
    };
    // `pip3 install --break-system-packages …` into the distribution's Python before the image makes its own venv
    // (often with --system-site-packages): those packages live in /usr/local/lib, which the runtime needs too
    const firstVenv = steps.find((x) => x.kind === "venv" && installsAfter(x));
    const systemPip = firstVenv !== undefined && !official && input.osPackages?.manager === "apt" && depsSteps.some((d) => d.tool === "pip" && d.index < firstVenv.index && !pipInstallArgs(d.words).some((a) => /^(--user|-t|--target|--prefix|--root)(=|$)/.test(a)));
    if (systemPip) report.info(`line ${facts.body[depsSteps.find((d) => d.tool === "pip")!.index]!.ins.startLine + 1} installs into the distribution's Python before the image's own virtual environment exists: /usr/local/lib, where pip put those packages, is copied to the runtime too`);
    const depsDirs = [...new Set([...ownVenvs, ...targets, ...(systemPip ? ["/usr/local/lib"] : [])])];
    // the environment's path goes unquoted into PATH and the steps that prune and inspect it
    const spaced = depsDirs.find((d) => /\s/.test(d));
    if (spaced) throw unsupported(`the Python environment ${spaced} has whitespace in its path; msb does not derive the runtime from such a path (use a directory without spaces)`);
    const useVenv = depsDirs.length === 0 && depsSteps.length > 0;
    if (useVenv && runsPython2(facts)) {
      throw unsupported(`${facts.resolvedImage.raw}${facts.resolvedImage.name === "python" ? "" : " with the Python 2 packages the build installs"} runs Python 2, which has no venv module, and msb installs Python dependencies into a virtual environment the runtime copies (Python 2 reached its end of life in 2020: msb does not convert Python 2 images)`);
    }
    const sitePackages = useVenv ? sitePackagesCopies(facts, venvDir, report) : undefined;
    const hasTests = facts.body.some((e) => (e.run?.segments ?? []).some((s) => s.kind === "test"));
    const tools = planToolSteps({ facts, steps, context, report, hasTests, venv: useVenv ? venvDir : undefined, uvDownloadsPython: downloadedPython !== undefined, rewrite });
    const resync = uvResyncAfterSources(facts, steps, context, (step) => segmentRewrites.get(step.index)?.get(step.segment) ?? step.s.text);
    if (resync) {
      buildInserts.set(resync.at, [added(resync.text, "uv run synced the project at start: the sources copied after the last uv sync are installed now"), ...(buildInserts.get(resync.at) ?? [])]);
      report.info(`the start command ran "uv run", which syncs the project first: \`${resync.text.slice(4)}\` runs again after the COPY on line ${resync.line}, as the runtime starts the program without uv`);
    }
    if (pdmPython) {
      appendTo(buildInserts, pdmPython.step.index, added(`RUN pdm config -g python.install_root ${pdmPythonDir}`, "PDM installs the Python it downloads where the runtime copies it from"));
      report.info(`requires-python "${pdmPython.specifier}" excludes the image's Python: pdm install downloads a matching CPython into ${pdmPythonDir} and makes ${pdmPython.venv} with it; the runtime copies both and runs that environment`);
    }
    if (downloadedPython) {
      // uv keeps the interpreters it downloads in root's home unless told otherwise; the environment links to it by absolute path
      const firstSync = steps.find((x) => x.tool === "uv" && x.kind === "deps" && x.words[1] === "sync")!;
      appendTo(buildInserts, firstSync.index, added(`ENV UV_PYTHON_INSTALL_DIR=${uvPythonDir}${downloadedPython.managedOnly ? " UV_PYTHON_PREFERENCE=only-managed" : ""}`, "uv installs the Python it downloads where the runtime copies it from"));
      report.info(`uv downloads ${downloadedPython.python} at build time: it goes into ${uvPythonDir}, which the runtime copies (the environment runs that interpreter, not the image's)`);
    }

    for (const { index, words, tool } of depsSteps) {
      if (!userSetBefore(facts, index) && !(tool === "pip" && words.includes("--no-cache-dir"))) {
        appendTo(cacheTargets, index, cacheDirOf[tool]);
      }
    }

    const firstPip = depsSteps.find((x) => x.tool === "pip");
    if (firstPip && firstPip === depsSteps[0]) {
      const args = pipInstallArgs(firstPip.words);
      const requirement = [
        ...args.filter((_, k) => args[k - 1] === "-r" || args[k - 1] === "--requirement"),
        ...args.flatMap((a) => /^(-r|--requirement=)(.+)/.exec(a)?.[2] ?? []),
      ];
      const blockers: string[] = [];
      if (requirement.length === 0) blockers.push("the install does not read a requirements file");
      for (const file of requirement) {
        const text = context.read(file.replace(/^\.\//, ""));
        if (text === undefined) blockers.push(`${file} is not in the build context`);
        else if (/^\s*(-r|-c|-e|--requirement|--constraint|--editable|\.|\/|file:)/m.test(text)) blockers.push(`${file} refers to other files`);
      }
      const insertion = manifestFirstCopy(facts, firstPip.index, requirement.map((r) => r.replace(/^\.\//, "")), blockers, report);
      if (insertion) {
        appendTo(buildInserts, insertion.at, added(insertion.text));
        moves.set(firstPip.index, insertion.at);
      }
    }

    // an image merely named python elsewhere (mcr.microsoft.com/playwright/python) is a vendor's, with its own Python
    const debianSlim = official ? undefined : debianSlimVariant(facts.image);
    // uv's image stays the runtime where compose or a start script runs uv in the container
    const uvAtRunTime = composeCommands(context).some((c) => /(^|[\s"'[,])uv["']?\s*,?\s*["']?(run|pip|sync)\b/.test(c.text)) || startScripts(facts, context).some((script) => /(^|[\s;&|])uv\s+(run|pip|sync)\b/.test(script.text));
    const uvSlim = official || uvAtRunTime ? undefined : uvImageSlimPython(facts);
    const originalFamily = familyOf(facts.resolvedImage, input.osPackages?.manager);
    let runtimeImage = facts.image.raw;
    let family = originalFamily;
    if (official) {
      const variant = originalFamily === "alpine" || options.runtime === "alpine" ? "alpine" : "slim";
      if (variant === "alpine" && originalFamily !== "alpine") report.warn("alpine was asked for: packages built against glibc may not import on musl");
      runtimeImage = smallerVariant(facts.image, facts.resolvedImage, variant, report);
      family = variant === "alpine" ? "alpine" : "debian";
      report.info(`runtime image ${runtimeImage}`);
    } else if (uvSlim) {
      runtimeImage = uvSlim;
      family = originalFamily === "alpine" ? "alpine" : "debian";
      report.info(`runtime image ${runtimeImage}: the official image ${facts.image.raw} is built on, slim, with the same Python at the same path; uv stays in the build stage`);
    } else if (debianSlim) {
      runtimeImage = debianSlim;
      report.info(`runtime image ${runtimeImage}: the same Debian release as ${facts.image.raw}, without its documentation files; only build tools are dropped`);
    } else {
      report.assume(`${facts.image.raw} is not an official python image; the runtime keeps it (same distribution release) and drops only build tools`);
    }
    const user = chooseRuntimeUser(facts, { family, sameFamilyAsBuild: family === originalFamily }, report, input.rootRequired !== undefined);
    const owner = ownerOf(user);
    const workdir = facts.finalWorkdir;
    if (has(context, "Pipfile") && !has(context, "requirements.txt") && depsSteps.length === 0) {
      // `bash -c "if …; then pipenv install --system --dev; else pipenv install --system; fi"`: a script msb does not read into
      const nested = facts.body.find((e) => e.run && /\b(?:ba)?sh\s+-c\b/.test(e.ins.text) && /\bpipenv\s+(install|sync)\b/.test(e.ins.text));
      if (nested) throw unsupported(`line ${nested.ins.startLine + 1} installs the Pipfile inside a \`${/\bbash\s+-c\b/.test(nested.ins.text) ? "bash" : "sh"} -c\` script, which msb does not read into, so it cannot tell which install the build runs (run pipenv directly in the RUN, with the choice as separate RUN lines or an ARG-selected flag, and convert again)`);
      throw unsupported("detected a Pipfile but no step installs it (pipenv install or pip install); msb cannot tell which dependencies the app needs");
    }

    if (useVenv) {
      const first = depsSteps[0]!;
      const at = moves.get(first.index) ?? first.index;
      const env = [`VIRTUAL_ENV=${venvDir}`, `PATH=${venvDir}/bin:$PATH`, ...tools.env];
      const lines: PlanLine[] = [];
      const userAt = lastUserBefore(facts, first.index);
      const venvPackage = official ? undefined : missingVenvPackage(facts, input.osPackages?.manager);
      const imagePython = imagePythonVersion(facts);
      const oldBundledPip = official && first.tool === "pip" && imagePython !== undefined && imagePython.major === 3 && imagePython.minor <= 7;
      const originalUpgrade = venvPipUpgrade(steps, first, venvDir);
      const upgrade = originalUpgrade ?? (oldBundledPip ? venvPipAsImage(venvDir) : undefined);
      // older venvs have only python and python3: a command naming python3.7 would run the image's interpreter
      const versionedNames = [...new Set([...runtimeText.matchAll(/(?<![\w/.-])python(3\.\d+)(?![\w.-])/g)].map((m) => `python${m[1]}`))];
      const versionedLinks = versionedNames.map((n) => ` && { [ -e ${venvDir}/bin/${n} ] || ln -s python3 ${venvDir}/bin/${n}; }`).join("");
      // a tag naming its Python (uv's python3.12-bookworm-slim) is built on the official image, whose venv works
      // an image msb knows nothing of (tensorflow/tensorflow is Ubuntu's python3) gets the same fallback: its failure is the build's as before
      const venvFallback = !official && !venvPackage && (originalFamily === "debian" || originalFamily === "unknown") && !/python3\.\d+/.test(facts.resolvedImage.tag) && !installsVenv(facts);
      // a third-party base ships Python packages of its own (anibali/pytorch's torch): the venv sees them, and the runtime, the same image, has them
      // (uv's images are the official python image with uv added; Playwright's pin their own playwright, handled apart)
      // not when the build itself installs distribution Python packages: pip would skip what they satisfy, and the runtime may leave them out
      const sharesBasePackages = !official && !isOfficialImage(facts.resolvedImage) && !installsDistributionPythonPackages(facts) && !/^(ghcr\.io\/astral-sh\/uv|mcr\.microsoft\.com\/playwright\/)/.test(formatImageRef(facts.resolvedImage));
      // a start script that installs extra packages with `pip install --user` needs the user site, which a venv hides unless it sees the system's
      const userSiteScript = startScripts(facts, context).find((script) => /\bpip3?(\.\d+)?\s+install\b[^\n]*\s--user\b/.test(script.text));
      const venv = `python3 -m venv${sharesBasePackages || userSiteScript ? " --system-site-packages" : ""} ${venvDir}`;
      if (userSiteScript) report.warn(`the start script ${userSiteScript.path} installs packages with pip install --user: the virtual environment is made with --system-site-packages, which keeps the user site visible (a plain venv refuses --user installs), but Python finds the environment's own packages first, so a --user upgrade of a package the image has (pip install --user -U name) does not take effect as it did in the original`);
      const create = `${venvPackage
        ? `RUN apt-get update && apt-get install -y --no-install-recommends ${venvPackage} && rm -rf /var/lib/apt/lists/* && ${venv}`
        : venvFallback
          ? `RUN { ${venv} || { apt-get update && apt-get install -y --no-install-recommends python3-venv && rm -rf /var/lib/apt/lists/* && ${venv}; }; }`
          : `RUN ${venv}`}${versionedLinks}${upgrade ? ` && ${upgrade}` : ""}`;
      if (sharesBasePackages) report.info(`${facts.image.raw} is not an official image and may ship Python packages of its own: the virtual environment is made with --system-site-packages, so the application still sees them (the runtime starts from the same image)`);
      if (versionedNames.length > 0) report.info(`commands run ${versionedNames.join(", ")}: the virtual environment gets ${versionedNames.length === 1 ? "that name" : "those names"} too, as older venvs have only python and python3`);
      if (venvPackage) report.info(`${venvPackage} installed in the build stage: the virtual environment needs it`);
      if (venvFallback) report.info(`${facts.image.raw} brings its own python: if it lacks the venv module's pip (Debian's python3 without python3-venv), the build stage installs python3-venv`);
      if (upgrade && !originalUpgrade) report.info(`the virtual environment's pip is brought to the image's own pip version: Python ${imagePython!.major}.${imagePython!.minor}'s venv bundles an older pip that cannot read newer wheel tags`);
      else if (originalUpgrade) report.info(`the original's pip upgrade runs in the virtual environment too (${originalUpgrade}): venv starts with the pip its Python bundles`);
      // `apk add python3 && pip3 install …` in one RUN: the environment can only be made between the two
      const pythonInstalledInStep = !official && !downloadedPython && userAt === undefined && at === first.index && installsPythonEarlierInStep(facts, first);
      if (pythonInstalledInStep) {
        const current = segmentRewrites.get(first.index)?.get(first.segment) ?? first.s.text;
        rewrite(first, `${create.replace(/^RUN /, "")} && export ${env.join(" ")} && ${current}`);
        report.info(`line ${facts.body[first.index]!.ins.startLine + 1} installs Python before its dependencies: the virtual environment is made between the two, in that step`);
        buildInserts.set(first.index + 1, [added(`ENV ${env.join(" ")}`, "dependencies go into a virtual environment that the runtime copies"), ...(buildInserts.get(first.index + 1) ?? [])]);
      } else if (!downloadedPython) {
        if (userAt !== undefined) {
          const buildUser = argsOf(facts.body[userAt]!.ins).trim();
          buildInserts.set(userAt, [added(`${create} && chown -R ${buildUser} ${venvDir}`, "dependencies go into a virtual environment that the runtime copies"), ...(buildInserts.get(userAt) ?? [])]);
        } else {
          lines.push(added(create, "dependencies go into a virtual environment that the runtime copies"));
        }
      }
      if (!pythonInstalledInStep) {
        lines.push(added(`ENV ${env.join(" ")}`));
        buildInserts.set(at, [...lines, ...(buildInserts.get(at) ?? [])]);
      }
      report.info(`dependencies are installed into the virtual environment ${venvDir}, copied to the runtime with its bin on PATH`);
    } else if (depsDirs.length > 0) {
      report.info(`dependencies live in ${depsDirs.join(", ")}, copied to the runtime`);
    }

    const playwrightPins = steps.filter((s) => s.kind === "deps").flatMap((s) => requirementPins(facts, s, context, "playwright").map((p) => p.version));
    const shippedBrowsers = browsersShippedByImage(facts, playwrightPins);
    if (shippedBrowsers) report.info(`${facts.image.raw} ships Playwright ${shippedBrowsers}'s browsers in its /ms-playwright, the release the requirements pin: playwright install finds them there, and the runtime, the same image, has them`);
    const downloads = homeDownloads(facts).filter((d) => !(shippedBrowsers && d.variable === "PLAYWRIGHT_BROWSERS_PATH"));
    for (const d of downloads) {
      appendTo(buildInserts, d.index, added(`ENV ${d.variable}=${d.dir}`, `${d.what} go where the runtime copies them from, not root's home`));
      if (d.mustExist) appendTo(buildInserts, d.index, added(`RUN mkdir -p ${d.dir}`));
      report.info(`line ${facts.body[d.index]!.ins.startLine + 1} downloads ${d.what}: into ${d.dir} (${d.variable}), copied to the runtime${d.writable ? ` owned by ${user.name}` : ""}`);
    }
    const envDirs = useVenv ? [venvDir] : depsDirs;
    const scanDirs = [...envDirs, ...downloads.map((d) => d.dir), ...(workdir === "/" ? [] : [workdir])].filter((d, k, all) => !all.some((o, m) => m !== k && d.startsWith(`${o}/`)));
    // a third-party base sets a WORKDIR of its own (tiangolo's /app), which msb cannot read: relative copies land there
    const relativeCopy = facts.body.some((e) => e.copy && !e.copy.fromImage && e.copy.flags["from"] === undefined && !/^["']?[/$]/.test(e.copy.dest));
    if (relativeCopy && !facts.body.some((e) => e.keyword === Keyword.WORKDIR) && !isOfficialImage(facts.resolvedImage)) {
      throw unsupported(`copies relative to ${facts.resolvedImage.raw}'s own WORKDIR, which the Dockerfile does not name and msb cannot read from the image; add a WORKDIR, or start FROM an official python image`);
    }
    if (scanDirs.length === 0) {
      const builds = facts.body.some((e) => e.copy || e.run?.segments.some((seg) => seg.kind === "deps"));
      throw unsupported(builds
        ? `copies and installs relative to ${facts.resolvedImage.raw}'s own WORKDIR and Python environment, which the Dockerfile does not name (no WORKDIR, no virtualenv msb can create); add a WORKDIR or start FROM an official python image`
        : "installs no Python packages and copies no application: there is no build to separate from the runtime");
    }
    const venvBins = (useVenv ? [venvDir] : ownVenvs).map((d) => `${d}/bin`);
    const debianRuntime = family === "debian" && originalFamily === "debian";
    const devPackages = (input.osPackages?.buildOnly ?? []).map((p) => p.replace(/[=<>].*$/, "")).filter((p) => /-dev$/.test(p) && !/^(python|libc6?|linux|libpython|musl)/.test(p));
    const pruneParts = [...tools.prune];
    // the removal script needs importlib.metadata (Python 3.8+): on an image tagged older it would do nothing
    const taggedPython = imagePythonVersion(facts);
    const metadataAvailable = !taggedPython || taggedPython.major > 3 || (taggedPython.major === 3 && taggedPython.minor >= 8);
    if (metadataAvailable) for (const dir of [...(useVenv ? [venvDir] : ownVenvs)]) pruneParts.push(removePackagingTools(dir));
    const stdlibExtensions = official && debianRuntime ? importedStdlibExtensions(context) : [];
    if (stdlibExtensions.length > 0) report.info(`the app imports tkinter, whose libraries ${runtimeImage} lacks: its extension module joins the shared-library scan`);
    const opensLibraries = loadsLibrariesByName(context);
    if (opensLibraries && (debianRuntime || family === "alpine")) report.info("a dependency opens shared libraries by name at import (WeasyPrint, cairocffi, python-magic, psycopg 3): those the build image has join the runtime's libraries");
    if (debianRuntime) pruneParts.push(`# the packages that own the shared libraries the installed files link against, for the runtime\n${recordRuntimePackages([...scanDirs, ...stdlibExtensions], venvBins, devPackages, facts.doc.escape, downloads.map((d) => d.dir), opensLibraries)}`);
    if (debianRuntime) report.info("shared libraries that installed packages link against are recorded in the build stage and installed in the runtime under its release's package names");
    const alpineRuntime = family === "alpine" && originalFamily === "alpine";
    if (alpineRuntime) {
      pruneParts.push(`# the libraries the installed files link against, for the runtime\n${recordAlpineRuntimePackages(scanDirs, devPackages, facts.doc.escape, opensLibraries)}`);
      report.info("shared libraries that installed packages link against are recorded in the build stage and added in the runtime as apk provides them in its release (so:NAME)");
    }

    const osRuntimePackages = osRuntimeList(input.osPackages, debianRuntime || alpineRuntime, official && !/\/usr\/bin\/python/.test(runtimeText), ["ubuntu", "debian", "alpine"].includes(facts.resolvedImage.name));

    const runnerless = startLines(facts, context, report);
    const dotenvLost = runnerless ? pipenvDotenvWarning(facts, context) : undefined;
    if (dotenvLost) report.warn(dotenvLost);
    const interpreterByPath = useVenv && [facts.entrypoint, facts.cmd].some(namesSystemInterpreter);
    if (interpreterByPath) report.info(`the start command runs the image's Python by its path, which has none of the packages: it runs ${venvDir}/bin's interpreter of that name instead`);
    const startOverride = interpreterByPath ? withVenvInterpreter(runnerless ?? originalStartLines(facts), venvDir) : runnerless;
    // the original's pip put console scripts in /usr/local/bin; the virtualenv keeps them in its bin
    const venvScriptLinks = useVenv ? usrLocalBinScripts(facts, context) : [];
    if (venvScriptLinks.length > 0) report.info(`commands run ${venvScriptLinks.map((n) => `/usr/local/bin/${n}`).join(", ")}, where the original's pip installed ${venvScriptLinks.length === 1 ? "it" : "them"}: linked there to ${venvDir}/bin in the runtime`);
    const djangoRoots = djangoWrittenRoots(context, runtimeText, workdir);
    if (djangoRoots.length > 0) report.info(`Django writes ${djangoRoots.join(", ")} at run time (STATIC_ROOT with collectstatic at start, MEDIA_ROOT uploads); made in the runtime owned by ${user.name}`);
    const codeWrites = input.rootRequired ? [] : absoluteWriteDirs(context, workdir).filter((w) => !djangoRoots.includes(w.dir));
    for (const w of codeWrites) report.info(`${w.file} writes into ${w.dir}, outside the application directory: made in the runtime owned by ${user.name}, which the root-run original did not need (a host directory mounted there must let that user write)`);
    // an application left in `/` writes its relative files there, which is root's
    const rootWrites = workdir === "/" && !input.rootRequired && !input.movedFromRoot ? relativeWritesAtRoot(context) : { files: [], dirs: [] };
    const rootFiles = rootWrites.files.filter((f) => context.kind(f.slice(1)) === undefined);
    const rootDirs = rootWrites.dirs.filter((d) => context.kind(d.slice(1)) === undefined && !djangoRoots.includes(d) && !codeWrites.some((w) => w.dir === d));
    if (rootFiles.length + rootDirs.length > 0) report.info(`the application runs in / and writes ${[...rootFiles, ...rootDirs].join(", ")} there: made in the runtime owned by ${user.name}, as / is root's`);
    const writtenRoots = [...djangoRoots, ...codeWrites.map((w) => w.dir), ...rootDirs];
    const composeRunners = planComposeRunners({ context, hasStartCommand: Boolean(facts.cmd || facts.entrypoint), uvImageCopies, uvProgram: tools.toolPrograms.get("uv"), environment: useVenv ? venvDir : ownVenvs[0], runtimeHasUv: providesUv(runtimeImage), pdmSpec, poetrySpec: useVenv ? poetrySpec : undefined });
    if (composeRunners.kind === "warn") {
      for (const c of composeRunners.commands) {
        report.warn(`${c.file} line ${c.line} starts the app with "${c.via}", but the runtime image has no ${c.tool}: ${useVenv ? (c.via === `${c.tool} run` ? `drop "${c.tool} run" there (the environment's commands are on PATH)` : `run the script's command there instead (the environment's commands are on PATH)`) : "run the program from the project's virtual environment there instead"}`);
      }
    }
    const startInstalls = input.rootRequired ? [] : composeStartInstalls(context);
    refuseComposeOnlyStartInstalls(context, Boolean(facts.cmd || facts.entrypoint), startInstalls);
    for (const c of startInstalls) {
      report.warn(`${c.file} line ${c.line} installs packages when the container starts (\`${c.install}\`): the runtime runs as ${user.name}, who cannot write ${useVenv ? `the copied environment ${venvDir}` : "the image's site-packages"}, so that install fails there; install them in the Dockerfile (the packages a test needs in its test stage)`);
    }
    if (composeRunners.kind === "keep-uv") {
      for (const i of composeRunners.copies) toolCopies.delete(i);
      const places = commandPlaces(composeRunners.commands);
      report.info(`uv stays in the runtime: ${places} ${composeRunners.commands.length > 1 ? "start" : "starts"} the image with "uv run", which runs in the copied environment without syncing (UV_NO_SYNC)`);
    }
    const uvForScripts = uvScripts.length > 0 && composeRunners.kind !== "keep-uv" && composeRunners.kind !== "uv-in-runtime";
    if (uvForScripts) {
      for (const i of uvImageCopies) toolCopies.delete(i);
      report.info(`uv stays in the runtime: the start script ${uvScripts.map((r) => r.path).join(", ")} runs programs with "uv run", which runs in the copied environment without syncing (UV_NO_SYNC)`);
    }
    const uvScriptEnv = uvForScripts ? [uvRunEnv(useVenv ? venvDir : undefined)] : [];
    const keptPdm = pdmLocked ? undefined : composeRunners.kind === "keep-pdm" ? composeRunners.spec : pdmScripts.length > 0 ? pdmSpec : undefined;
    // packaging tools the runtime's pip installs as the build's did, for the runners that start the image
    if (poetryScripts.length > 0 && !useVenv) throw unsupported(`the start script ${poetryScripts[0]!.path} runs a program through Poetry (\`poetry run\`), and the build installs into an environment of its own that msb does not hand to a runtime Poetry (msb does not rewrite scripts); run the programs from the environment directly`);
    const keptPoetry = composeRunners.kind === "keep-poetry" ? composeRunners.spec : poetryScripts.length > 0 ? poetrySpec : undefined;
    const keptTools = [...new Set([keptPdm, keptPoetry].filter((spec): spec is string => spec !== undefined))];
    if (poetryScripts.length > 0) report.info(`Poetry stays in the runtime: the start script ${poetryScripts.map((r) => r.path).join(", ")} runs programs with "poetry run"; the runtime's pip installs ${poetrySpec} as the build did, and poetry runs in the copied environment (VIRTUAL_ENV)`);
    const pdmWhere = (spec: string) => (pdmLocked ? "pdm.lock locks pdm itself, so the copied environment has it" : `the runtime's pip installs ${spec} as the build did, and pdm runs in the copied environment`);
    if (pdmScripts.length > 0) report.info(`pdm stays in the runtime: the start script ${pdmScripts.map((r) => r.path).join(", ")} runs programs with "pdm run"; ${pdmWhere(pdmSpec!)}`);
    if (composeRunners.kind === "keep-pdm") report.info(`pdm stays in the runtime: ${commandPlaces(composeRunners.commands)} ${composeRunners.commands.length > 1 ? "start" : "starts"} the image with "${composeRunners.commands[0]!.via}"; ${pdmWhere(composeRunners.spec)}`);
    if (composeRunners.kind === "keep-poetry") report.info(`Poetry stays in the runtime: ${commandPlaces(composeRunners.commands)} ${composeRunners.commands.length > 1 ? "start" : "starts"} the image with "poetry run"; the runtime's pip installs ${composeRunners.spec} as the build did, and poetry runs in the copied environment (VIRTUAL_ENV)`);
    if (composeRunners.kind === "uv-in-runtime") report.info(`${composeRunners.command.file} line ${composeRunners.command.line} starts the app with "uv run": ${runtimeImage} has uv, which is pointed at the copied environment without syncing (UV_NO_SYNC)`);
    if (toolCopies.size > 0) report.info("the packaging tool copied from its image stays in the build stage");

    const envUses = useVenv ? poetryEnvUseSteps(facts) : [];
    for (const use of envUses) {
      if (use.sole) omit.add(use.index);
      else rewrite(use, "true");
      report.info(`line ${facts.body[use.index]!.ins.startLine + 1}: poetry env use is left out: Poetry would install into an environment of its own instead of ${venvDir}, which it uses as the active one`);
    }

    // requirement files pip read outside the WORKDIR (`COPY requirements.txt /tmp`) served the build only
    const requirementInputs = depsSteps.filter((s) => s.tool === "pip").flatMap(requirementFilePaths);
    const decision: StackDecision = {
      runtimeImage,
      family,
      user,
      buildInserts,
      moves,
      segmentRewrites,
      ...(omit.size > 0 ? { omit } : {}),
      ...(sitePackages && sitePackages.rewrites.size > 0 ? { instructionRewrites: sitePackages.rewrites } : {}),
      // a packaging tool's launcher the build links onto PATH (`ln -s ~/.local/bin/poetry /usr/local/bin/poetry`) serves the build only
      buildInputsOutsideWorkdir: (path) => requirementInputs.includes(path) || (sitePackages !== undefined && sitePackages.rewrites.size > 0 && sitePackages.moved(path)) || /^\/usr(\/local)?\/bin\/(poetry|pipenv|pdm|uv|uvx)$/.test(path),
      cacheTargets,
      ...(pruneParts.length > 0 ? { pruneStep: pruneParts.map((p) => (p.startsWith("#") ? p.replace("\n", "\nRUN ") : `RUN ${p}`)).join("\n") } : {}),
      runtimeEnv: [...(useVenv ? [`ENV VIRTUAL_ENV=${venvDir} PATH=${venvDir}/bin:$PATH`] : []), ...(!useVenv && startOverride ? runnerlessPath(ownVenvs.filter((v) => v !== pdmPython?.venv), facts.variables["PATH"]) : []), ...(pdmPython && !(facts.variables["PATH"] ?? "").includes(`${pdmPython.venv}/bin`) ? [`ENV PATH=${pdmPython.venv}/bin:$PATH`] : []), ...downloads.map((d) => `ENV ${d.variable}=${d.dir}`), ...(composeRunners.kind === "keep-uv" || composeRunners.kind === "uv-in-runtime" ? [composeRunners.env] : []), ...uvScriptEnv],
      runtimeSetup: [...(rootFiles.length > 0 ? [`RUN touch ${rootFiles.join(" ")} && chown ${owner} ${rootFiles.join(" ")}`] : []), ...keptTools.map((spec) => `RUN /usr/local/bin/python -m pip install --no-cache-dir '${spec}'`), ...(writtenRoots.length > 0 ? [ownedMkdir(writtenRoots, workdir, owner)] : []), ...(venvScriptLinks.length > 0 ? [`RUN ${venvScriptLinks.map((n) => `ln -sf ${venvDir}/bin/${n} /usr/local/bin/${n}`).join(" && ")}`] : []), ...(useVenv && facts.userSwitchTool === "su" ? [suPathWithVenv(venvDir, report)] : [])],
      ...(debianRuntime ? { runtimeSetupFrom: (source: string) => installRecordedPackages(source) } : {}),
      ...(alpineRuntime ? { runtimeSetupFrom: (source: string) => installRecordedAlpinePackages(source) } : {}),
      ...(osRuntimePackages ? { osRuntimePackages } : {}),
      appCopies: (source) => [
        ...(composeRunners.kind === "keep-uv" && composeRunners.program ? [copyFromStage(source, composeRunners.program, "/usr/local/bin/uv")] : []),
        ...(downloadedPython ? [copyFromStage(source, uvPythonDir)] : []),
        ...(pdmPython ? [copyFromStage(source, pdmPythonDir)] : []),
        ...downloads.map((d) => copyFromStage(source, d.dir, d.dir, d.writable ? owner : undefined)),
        // a directory on PATH that is the WORKDIR itself (a venv made in place) comes with the WORKDIR's copy
        ...envDirs.filter((d) => !(workdir !== "/" && (d === workdir || d.startsWith(`${workdir}/`)))).map((d) => copyFromStage(source, d)),
        ...(workdir === "/" ? [] : [copyFromStage(source, workdir, workdir, owner)]),
      ],
      installsRuntimePackages: true,
      copiesWorkdir: true,
      ...(startOverride ? { startOverride } : {}),
      ...(toolCopies.size > 0 ? { buildOnlyImageCopies: toolCopies } : {}),
    };
    return decision;
  },
};

const cacheDirOf: Record<PythonStep["tool"], string> = { pip: "/root/.cache/pip", poetry: "/root/.cache/pypoetry", pipenv: "/root/.cache/pipenv", uv: "/root/.cache/uv", pdm: "/root/.cache/pdm" };

function venvDirOf(words: readonly string[]): string | undefined {
  const args = words[0] === "virtualenv" ? words.slice(1) : words[0] === "uv" ? words.slice(2) : words.slice(3);
  const dir = args.find((w) => !w.startsWith("-"));
  return dir ?? (words[0] === "uv" ? ".venv" : undefined);
}

/** An in-project `.venv` the start command uses by path (Poetry, Pipenv, uv or PDM made it): kept as the original's own. */
function inProjectVenv(facts: StackFacts, depsSteps: PythonStep[], runtimeText: string): string[] {
  if (depsSteps.length === 0 || !/(^|[\s"'/=])\.venv\//.test(runtimeText)) return [];
  // made in the directory the install ran in (`uv sync` in / before `WORKDIR /bot` makes /.venv)
  return [...new Set(depsSteps.map((s) => posix.join(s.s.cwd || facts.finalWorkdir, ".venv")))];
}
type StackFacts = Parameters<StackPass["plan"]>[0]["facts"];

function lastUserBefore(facts: StackFacts, index: number): number | undefined {
  let found: number | undefined;
  facts.body.forEach((e, i) => {
    if (i < index && e.keyword === Keyword.USER) found = /^(root|0)(:.*)?$/.test(argsOf(e.ins).trim()) ? undefined : i;
  });
  return found;
}

/**
 * pip, setuptools and wheel are not runtime packages: removed from the environment unless an
 * installed distribution requires them (old gunicorn imports pkg_resources), or some installed
 * module mentions pkg_resources without declaring setuptools (celery 4 finds `celery flower`
 * through it, and quietly finds nothing without it). Never fails the build.
 */
function removePackagingTools(dir: string): string {
  const script = "import importlib.metadata as m,re;d=list(m.distributions());n=lambda s:re.split('[^A-Za-z0-9_.-]',s,1)[0].lower().replace('_','-');need={n(r) for x in d for r in x.requires or [] if 'extra ==' not in r};t={'pip','setuptools','wheel'};u=lambda x:n(x.metadata['Name']) not in t and any(str(f).endswith('.py') and (p:=f.locate()).is_file() and b'pkg_resources' in p.read_bytes() for f in x.files or []);need|={'setuptools'} if any(map(u,d)) else set();print(*sorted({n(x.metadata['Name']) for x in d}&t-need))";
  // importlib.metadata exists from Python 3.8 on: on older ones nothing is removed, and the build goes on
  return `unneeded=$(${dir}/bin/python -c "${script}" 2>/dev/null || true); if [ -n "$unneeded" ]; then ${dir}/bin/python -m pip uninstall -y -q $unneeded || true; fi`;
}

const venvProviders = /-venv$|^python3(\.\d+)?-full$|^virtualenv$/;

/** Whether an earlier command of the dependency step's RUN installs Python from the OS packages (`apk add python3 && pip3 install …`). */
function installsPythonEarlierInStep(facts: StackFacts, step: PythonStep): boolean {
  return (facts.body[step.index]!.run?.segments ?? []).slice(0, step.segment).some((segment) => {
    const install = osPackageStep(segment.argv);
    return install?.action === "install" && install.packages.some((p) => /^(python3?|python3\.\d+|python3-(pip|venv|dev)|py3-pip)$/.test(p));
  });
}

/** Whether a step of the Dockerfile installs the venv module's pip (Debian's python3-venv and kin). */
function installsVenv(facts: StackFacts): boolean {
  return osPackagesInstalled(facts).some((p) => venvProviders.test(p));
}

/** Whether a step installs Python packages from the distribution (`python3-yaml`, `py3-numpy`), not headers or packaging tools. */
function installsDistributionPythonPackages(facts: StackFacts): boolean {
  return osPackagesInstalled(facts).some((p) => /^(python3?|py3)-[\w.+-]+$/.test(p) && !/-(dev|devel|venv|pip|distutils)$/.test(p));
}

/**
 * The venv package an apt python of a non-official base lacks, if any: python3-venv, the one of the
 * default `python3` that `python3 -m venv` runs, whatever version the original also named
 * (`python3.9` on ubuntu:22.04 is no package: apt takes the name as a pattern).
 */
function missingVenvPackage(facts: StackFacts, manager: string | undefined): string | undefined {
  if (manager !== "apt") return undefined;
  const packages = osPackagesInstalled(facts);
  if (packages.some((p) => venvProviders.test(p))) return undefined;
  return packages.some((p) => /^python3(\.\d+)?(-minimal|-pip)?$/.test(p)) ? "python3-venv" : undefined;
}

/**
 * The original's runtime OS packages for a Debian runtime that records its libraries: `-dev`
 * mappings are left to the recorded list (its names are the release's own), pip and venv are build-only.
 */
/** The distribution's own interpreter: an official python image runs its /usr/local one instead. */
const distroPython = /^python3?(\.\d+)?$/;

function osRuntimeList(plan: Parameters<StackPass["plan"]>[0]["osPackages"], recorded: boolean, officialPython: boolean, distributionBase: boolean): string[] | undefined {
  if (!plan) return undefined;
  const fromHeaders = new Set(plan.buildOnly.length > 0 && recorded ? mappedLibraries(plan) : []);
  const kept = plan.runtime.filter((p) => {
    const name = p.replace(/[=<>].*$/, "");
    return !buildOnlyPythonPackages.test(name) && !(officialPython && distroPython.test(name)) && !fromHeaders.has(p);
  });
  // on a distribution's own image, `apt-get install python3-pip` brings the interpreter as a dependency: dropping pip must not drop it
  const pythonThroughTools = [...plan.runtime, ...plan.buildOnly].some((p) => buildOnlyPythonPackages.test(p.replace(/[=<>].*$/, "")) && /^python3|^py3-|^pipenv\b|^poetry\b/.test(p));
  if (distributionBase && pythonThroughTools && !kept.some((p) => distroPython.test(p.replace(/[=<>].*$/, "")))) kept.push("python3");
  // Debian's and Ubuntu's python3-pip depends on ca-certificates: the original had the CA store through it (Debian 12: 23.0.1+dfsg-1)
  const name = (p: string) => p.replace(/[=<>].*$/, "");
  const pipBroughtCertificates = plan.manager === "apt" && [...plan.runtime, ...plan.buildOnly].some((p) => name(p) === "python3-pip");
  if (pipBroughtCertificates && !kept.some((p) => name(p) === "ca-certificates")) kept.push("ca-certificates");
  return kept;
}

function mappedLibraries(plan: NonNullable<Parameters<StackPass["plan"]>[0]["osPackages"]>): string[] {
  return plan.runtime.filter((p) => plan.mappedLibraries.includes(p));
}

/** The original's own environments whose programs a start command without `uv run` finds only on PATH. */
function runnerlessPath(venvs: readonly string[], path: string | undefined): string[] {
  const missing = venvs.filter((v) => !(path ?? "").split(":").includes(`${v}/bin`));
  return missing.length > 0 ? [`ENV PATH=${missing.map((v) => `${v}/bin`).join(":")}:$PATH`] : [];
}

/** ENTRYPOINT/CMD without `poetry run`, `pipenv run`, `uv run`, `pdm run`: the runtime has no packaging tool. */
function startLines(facts: StackFacts, context: BuildContext, report: { info(m: string): void; warn(m: string): void }): PlanLine[] | undefined {
  const pyproject = context.read(projectFilePath(facts, context, "pyproject.toml"));
  const scripts = toolScripts(pyproject);
  const poe = poeTasks(pyproject);
  const entry = facts.entrypoint ? startWithoutRunner("ENTRYPOINT", facts.entrypoint, scripts, poe) : undefined;
  const cmd = facts.cmd ? startWithoutRunner("CMD", facts.cmd, scripts, poe) : undefined;
  if (!entry && !cmd) return undefined;
  const tool = (entry ?? cmd)!.tool;
  if (tool !== "poe") report.info(`the start command runs without "${tool} run": the environment's programs are on PATH`);
  const ranPoe = (c: StackFacts["cmd"]) => c !== undefined && /(^|\s)poe\s/.test(c.form === "exec" ? c.argv.join(" ") : c.form === "shell" ? c.shell : "");
  const keptPoe = (c: { text: string } | undefined) => c !== undefined && /(^|[\s"\[])poe["\s]/.test(c.text);
  if (poe.size > 0 && (ranPoe(facts.entrypoint) || ranPoe(facts.cmd)) && !keptPoe(entry) && !keptPoe(cmd)) report.info("the start command runs the poe task's command itself: poethepoet runs a Poetry project's tasks through Poetry, which the runtime does not have");
  const unprovided = [facts.entrypoint, facts.cmd].flatMap((c) => (c?.form === "exec" ? [unprovidedRunnerProgram(c.argv, pyproject, context)] : [])).find(Boolean);
  if (unprovided) report.warn(`the start command runs "${unprovided}" through "${tool} run", and neither the project's scripts, the context nor its dependencies' names provide it; the runtime runs ${unprovided} from the environment, which fails if nothing installs it`);
  return originalStartLines(facts, { [Keyword.ENTRYPOINT]: entry?.text, [Keyword.CMD]: cmd?.text });
}

/** The original's last ENTRYPOINT and CMD, in their order, as lines a rule may rewrite; `texts` replaces either one's text. */
function originalStartLines(facts: StackFacts, texts: Partial<Record<string, string>> = {}): PlanLine[] {
  return facts.body.filter((e) => (e.keyword === Keyword.ENTRYPOINT || e.keyword === Keyword.CMD) && e.ins === lastOf(facts, e.keyword)).map((e) => added(texts[e.keyword] ?? e.ins.text));
}

function lastOf(facts: StackFacts, keyword: string) {
  return [...facts.body].reverse().find((e) => e.keyword === keyword)?.ins;
}

/**
 * su sets PATH anew from PAM's /etc/environment (Ubuntu's has a PATH line) or login.defs' ENV_PATH
 * (`su -`), dropping the venv the runtime put on PATH: the program a start script runs through
 * `su app -c "python3 bot.py"` would get the system Python without the packages. The venv's bin
 * goes first in both, where they set a PATH.
 */
function suPathWithVenv(venvDir: string, report: Report): string {
  report.info(`the start script switches users with su, which sets PATH from /etc/environment or login.defs: ${venvDir}/bin is put first there too`);
  return `# su takes PATH from /etc/environment or login.defs, not from ENV: the venv goes first there too\nRUN { [ ! -f /etc/environment ] || sed -i 's#^PATH="\\{0,1\\}#&${venvDir}/bin:#' /etc/environment; } && { [ ! -f /etc/login.defs ] || sed -i 's#^\\(ENV_S\\{0,1\\}U\\{0,1\\}PATH[[:space:]]\\{1,\\}PATH=\\)#\\1${venvDir}/bin:#' /etc/login.defs; }`;
}
