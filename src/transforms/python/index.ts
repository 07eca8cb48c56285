import { posix } from "node:path";
import { Keyword } from "dockerfile-ast";
import { commandWords, isPipInstall, pipInstallArgs } from "../../analysis/commands.js";
import { userSetBefore } from "../../analysis/facts.js";
import { has } from "../../analysis/context.js";
import { unsupported } from "../../errors.js";
import { added } from "../../plan/types.js";
import { argsOf } from "../../parser/document.js";
import { familyOf, smallerVariant } from "../common/base-images.js";
import { manifestFirstCopy } from "../common/manifest-first.js";
import { chooseRuntimeUser } from "../common/user.js";
import type { StackDecision, StackPass } from "../types.js";

/** Where pip installs go when the original does not choose: a user base every runtime user can read. */
export const pythonDepsDir = "/opt/python-deps";

const unsupportedTools: Record<string, string> = { poetry: "Poetry", pipenv: "Pipenv", conda: "conda", mamba: "mamba", pdm: "PDM", uv: "uv", hatch: "Hatch" };

export const pythonPass: StackPass = {
  name: "python",
  description: "Python apps: pip dependencies installed in the build stage and copied to python:<version>-slim, run by a created non-root user",
  plan(input) {
    const { facts, report, context, options } = input;
    const segments = facts.body.flatMap((e, i) => (e.run?.segments ?? []).map((s, j) => ({ entry: e, i, j, s, words: commandWords(s.argv) })));
    for (const { words } of segments) {
      const tool = unsupportedTools[words[0] ?? ""] ?? (words[0] === "pip" && words[1] === "install" && words.includes("pipenv") ? undefined : undefined);
      if (tool) throw unsupported(`detected a Python project managed with ${tool}; msb supports pip (requirements.txt, pip-installable pyproject) for now`);
    }

    const pipInstalls = segments.filter((x) => isPipInstall(x.words));
    const venvs = segments.flatMap(({ words, s }) => {
      const at = words.indexOf("venv");
      if ((/^python/.test(words[0] ?? "") && words[1] === "-m" && at === 2) || words[0] === "virtualenv") {
        const dir = words.slice(words[0] === "virtualenv" ? 1 : 3).find((w) => !w.startsWith("-"));
        return dir ? [posix.resolve(s.cwd, dir)] : [];
      }
      return [];
    });
    const targets = pipInstalls.flatMap(({ words, s }) => {
      const args = pipInstallArgs(words);
      return args.flatMap((a, k) => {
        const m = /^--(target|prefix|root)=(.+)$/.exec(a);
        if (m) return [posix.resolve(s.cwd, m[2]!)];
        if (["-t", "--target", "--prefix", "--root"].includes(a) && args[k + 1]) return [posix.resolve(s.cwd, args[k + 1]!)];
        return [];
      });
    });

    const buildInserts = new Map<number, ReturnType<typeof added>[]>();
    const moves = new Map<number, number>();
    const segmentRewrites = new Map<number, Map<number, string>>();
    const cacheTargets = new Map<number, string[]>();
    const depsDirs = [...venvs, ...targets];
    const userBase = depsDirs.length === 0 && pipInstalls.length > 0;
    if (userBase) {
      buildInserts.set(-1, [added(`ENV PIP_USER=1 PYTHONUSERBASE=${pythonDepsDir} PATH=${pythonDepsDir}/bin:$PATH`, "pip installs into one directory that the runtime copies")]);
      const userAt = facts.body.findIndex((e) => e.keyword === Keyword.USER);
      if (userAt >= 0 && userAt < (pipInstalls[0]?.i ?? 0)) {
        const user = argsOf(facts.body[userAt]!.ins).trim();
        buildInserts.set(userAt, [added(`RUN mkdir -p ${pythonDepsDir} && chown ${user} ${pythonDepsDir}`)]);
      }
      report.info(`pip dependencies are installed into ${pythonDepsDir} (PIP_USER) and copied to the runtime`);
    } else if (depsDirs.length > 0) {
      report.info(`dependencies live in ${depsDirs.join(", ")}, copied to the runtime`);
    }
    for (const { i, words } of pipInstalls) {
      if (!userSetBefore(facts, i) && !words.includes("--no-cache-dir")) cacheTargets.set(i, ["/root/.cache/pip"]);
    }

    const first = pipInstalls[0];
    if (first) {
      const args = pipInstallArgs(first.words);
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
      const insertion = manifestFirstCopy(facts, first.i, requirement.map((r) => r.replace(/^\.\//, "")), blockers, report);
      if (insertion) {
        buildInserts.set(insertion.at, [...(buildInserts.get(insertion.at) ?? []), added(insertion.text)]);
        moves.set(first.i, insertion.at);
      }
    }

    const official = facts.resolvedImage.name === "python";
    const originalFamily = familyOf(facts.resolvedImage);
    let runtimeImage = facts.image.raw;
    let family = originalFamily;
    if (official) {
      const variant = originalFamily === "alpine" || options.runtime === "alpine" ? "alpine" : "slim";
      if (variant === "alpine" && originalFamily !== "alpine") report.warn("alpine was asked for: packages built against glibc may not import on musl");
      runtimeImage = smallerVariant(facts.image, facts.resolvedImage, variant, report);
      family = variant === "alpine" ? "alpine" : "debian";
      report.info(`runtime image ${runtimeImage}`);
    } else {
      report.assume(`${facts.image.raw} is not an official python image; the runtime keeps it and drops only build tools`);
    }
    const user = chooseRuntimeUser(facts, { family, sameFamilyAsBuild: family === originalFamily }, report);
    const owner = `${user.name}:${user.group}`;
    const workdir = facts.finalWorkdir;
    if (has(context, "Pipfile") && !has(context, "requirements.txt") && pipInstalls.length === 0) {
      throw unsupported("detected a Pipenv project; msb supports pip (requirements.txt, pip-installable pyproject) for now");
    }

    const decision: StackDecision = {
      runtimeImage,
      family,
      user,
      buildInserts,
      moves,
      segmentRewrites,
      cacheTargets,
      runtimeEnv: userBase ? [`ENV PYTHONUSERBASE=${pythonDepsDir} PATH=${pythonDepsDir}/bin:$PATH`] : [],
      runtimeSetup: [],
      appCopies: (source) => [
        ...(userBase ? [`COPY --from=${source} ${pythonDepsDir} ${pythonDepsDir}`] : []),
        ...depsDirs.filter((d) => !(workdir !== "/" && d.startsWith(`${workdir}/`))).map((d) => `COPY --from=${source} ${d} ${d}`),
        ...(workdir === "/" ? [] : [`COPY --from=${source} --chown=${owner} ${workdir} ${workdir}`]),
      ],
      installsRuntimePackages: true,
      copiesWorkdir: true,
    };
    return decision;

  },
};
