import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import type { Report } from "../../report.js";
import type { PythonStep } from "./tools.js";
import { projectFilePath } from "./project-file.js";
import { distroPython } from "./distro-python.js";
import { dockerignore } from "../../analysis/dockerignore.js";

export interface Version {
  major: number;
  minor: number;
}

/** Whether `.python-version` is in the image before body index `before`: copied, and not left out by .dockerignore. */
function pythonVersionFileIn(facts: Facts, context: BuildContext, before: number): boolean {
  return copiedBefore(facts, before, ".python-version") && !dockerignore(context.read(".dockerignore"))(".python-version");
}

/** X.Y of an official python image's tag (`3.12`, `3.12.4-slim-bookworm`); undefined for `3`, `latest`, digests. */
export function imagePythonVersion(facts: Facts): Version | undefined {
  if (facts.resolvedImage.name !== "python") return undefined;
  const m = /^(\d+)\.(\d+)(?:[.-]|$)/.exec(facts.resolvedImage.tag);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

/** The oldest Python a floating tag (`python:3`, `python:slim`, `python:3-alpine`, untagged) can hold today. */
const floatingTagAtLeast = { major: 3, minor: 14 };

/**
 * The Python X.Y an official python image holds: its tag's, or for a floating tag the oldest release
 * it can hold today (`floating`); an ubuntu or debian image's apt python3 when the build installs it;
 * undefined when the image says nothing.
 */
export function imagePython(facts: Facts): (Version & { floating: boolean; label: string }) | undefined {
  const tagged = imagePythonVersion(facts);
  if (tagged) return { ...tagged, floating: false, label: `Python ${tagged.major}.${tagged.minor}` };
  const distro = distroPython(facts);
  if (distro) return { ...distro, floating: false, label: `Python ${distro.major}.${distro.minor} (its apt python3)` };
  const image = facts.resolvedImage;
  if (image.name !== "python" || image.digest !== "" || !/^(3(-[a-z0-9.-]+)?|[a-z]+[0-9.]*(-[a-z0-9.]+)?)?$/.test(image.tag)) return undefined;
  // a tag bound to a distribution release the images no longer build for stopped moving with it (python:alpine3.9 is 3.8)
  if (/(^|-)(jessie|stretch|buster|bullseye|wheezy)(-|$)/.test(image.tag) || Number(/alpine3\.(\d+)/.exec(image.tag)?.[1] ?? 99) < 19) return undefined;
  return { ...floatingTagAtLeast, floating: true, label: `Python ${floatingTagAtLeast.major}.${floatingTagAtLeast.minor} or later (a floating tag)` };
}

/** The project's `requires-python` specifier in a pyproject.toml, or undefined. */
export function requiresPython(pyproject: string | undefined): string | undefined {
  return /^\s*requires-python\s*=\s*["']([^"']+)["']/m.exec(pyproject ?? "")?.[1];
}

const clause = /^\s*(~=|===|==|!=|<=|>=|<|>)\s*v?(\d+(?:\.\d+)*)(\.\*)?\s*$/;

/** Whether some X.Y.z release satisfies every clause of a PEP 440 specifier (`>=3.10,<3.13`); undefined when it cannot be read. */
export function someReleaseSatisfies(specifier: string, version: Version): boolean | undefined {
  const clauses = specifier.split(",").map((c) => clause.exec(c));
  if (clauses.some((c) => c === null)) return undefined;
  const compare = (a: number[], b: number[]) => {
    for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
    return 0;
  };
  const holds = (v: number[], op: string, target: number[], wildcard: boolean): boolean => {
    const prefixEqual = compare(v.slice(0, target.length), target) === 0;
    switch (op) {
      case "==":
      case "===":
        return wildcard ? prefixEqual : compare(v, target) === 0;
      case "!=":
        return wildcard ? !prefixEqual : compare(v, target) !== 0;
      case "~=":
        return compare(v, target) >= 0 && compare(v.slice(0, target.length - 1), target.slice(0, -1)) === 0;
      case ">=":
        return compare(v, target) >= 0;
      case "<=":
        return compare(v, target) <= 0;
      case ">":
        return compare(v, target) > 0;
      default:
        return compare(v, target) < 0;
    }
  };
  for (let patch = 0; patch < 100; patch++) {
    const v = [version.major, version.minor, patch];
    if (clauses.every((c) => holds(v, c![1]!, c![2]!.split(".").map(Number), c![3] !== undefined))) return true;
  }
  return false;
}

/** The interpreter a uv command asks for: `--python`/`-p`, then UV_PYTHON, then `.python-version` when the image has it by then. */
function requestedPython(words: string[], facts: Facts, context: BuildContext, pythonVersionFileCopied: boolean): { request: string; source: string } | undefined {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if ((w === "--python" || w === "-p") && words[i + 1]) return { request: words[i + 1]!, source: `${w} ${words[i + 1]}` };
    if (w.startsWith("--python=")) return { request: w.slice(9), source: w };
  }
  const env = facts.variables["UV_PYTHON"];
  if (env) return { request: env, source: `UV_PYTHON=${env}` };
  if (!pythonVersionFileCopied) return undefined;
  const pinned = context.read(".python-version")?.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== "" && !l.startsWith("#"));
  return pinned ? { request: pinned, source: `.python-version says ${pinned}` } : undefined;
}

/** Where uv installs the interpreters it downloads in the build stage: the runtime copies it (root's home would not reach it). */
export const uvPythonDir = "/opt/uv-python";

/**
 * The Python a uv project asks for when the image's is not it (`--python`, UV_PYTHON,
 * `.python-version` in the image by then, or `requires-python` excluding the image's X.Y): uv then
 * downloads a managed interpreter at build time, which the environment links to. Undefined when the
 * image's Python serves, or its version is unknown.
 */
export function uvDownloadedPython(facts: Facts, steps: PythonStep[], context: BuildContext, report: Report): { python: string; managedOnly: boolean } | undefined {
  const uvSteps = steps.filter((s) => s.tool === "uv" && s.kind === "deps" && s.words[1] === "sync");
  if (uvSteps.length === 0) return undefined;
  const image = imagePythonVersion(facts) ?? uvImagePythonVersion(facts);
  if (!image) return requestOnUnknownPython(facts, uvSteps, context);
  const python = imageServedOrRequest(facts, uvSteps, context, report, image);
  return python === undefined ? undefined : { python, managedOnly: false };
}

/**
 * The official python image one of uv's own images is built on, slim (`ghcr.io/astral-sh/uv:python3.13-bookworm`
 * → `python:3.13-slim-bookworm`, `python3.12-alpine` → `python:3.12-alpine`): the same interpreter at the same path.
 */
export function uvImageSlimPython(facts: Facts): string | undefined {
  if (!/(^|\/)astral-sh\/uv$/.test(facts.resolvedImage.repository) || facts.resolvedImage.digest) return undefined;
  const m = /^python(\d+\.\d+)-(bookworm|bullseye|trixie|alpine(?:3\.\d+)?)(-slim)?$/.exec(facts.resolvedImage.tag);
  if (!m) return undefined;
  return m[2]!.startsWith("alpine") ? `python:${m[1]}-${m[2]}` : `python:${m[1]}-slim-${m[2]}`;
}

/** X.Y of uv's own images that carry an official Python (`ghcr.io/astral-sh/uv:python3.12-bookworm-slim`). */
function uvImagePythonVersion(facts: Facts): Version | undefined {
  if (!/(^|\/)astral-sh\/uv$/.test(facts.resolvedImage.repository)) return undefined;
  const m = /^python(\d+)\.(\d+)(?:-|$)/.exec(facts.resolvedImage.tag);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

/**
 * An image whose Python msb cannot tell (uv's debian image, buildpack-deps, ubuntu) with a uv sync
 * that asks for an X.Y: whether the image's interpreter serves is unknown, so uv is told to use a
 * Python it downloads (`UV_PYTHON_PREFERENCE=only-managed`), the one asked for, wherever it builds.
 */
function requestOnUnknownPython(facts: Facts, uvSteps: PythonStep[], context: BuildContext): { python: string; managedOnly: boolean } | undefined {
  if (facts.resolvedImage.name === "python") return undefined;
  for (const step of uvSteps) {
    const requested = requestedPython(step.words, facts, context, pythonVersionFileIn(facts, context, step.index));
    const m = requested ? /(?:^|[@-])(\d+)\.(\d+)(?:\.\d+)?$/.exec(requested.request) : null;
    if (requested && m) return { python: `Python ${requested.request.replace(/^(cpython|python)[@-]?/, "")} (${requested.source}; ${facts.resolvedImage.raw} has a Python msb cannot tell)`, managedOnly: true };
  }
  return undefined;
}

function imageServedOrRequest(facts: Facts, uvSteps: PythonStep[], context: BuildContext, report: Report, image: Version): string | undefined {
  const imageText = `${image.major}.${image.minor}`;
  for (const step of uvSteps) {
    const pythonVersionFileCopied = pythonVersionFileIn(facts, context, step.index);
    const requested = requestedPython(step.words, facts, context, pythonVersionFileCopied);
    const copiedLater = !pythonVersionFileCopied && pythonVersionFileIn(facts, context, facts.body.length);
    const later = copiedLater ? requestedPython(step.words, facts, context, true) : undefined;
    const specifier = requiresPython(context.read(projectFilePath(facts, context, "pyproject.toml")));
    const imageServes = !specifier || someReleaseSatisfies(specifier, image) !== false;
    if (!requested && later && imageServes && !later.request.startsWith(imageText) && startsWithUvRun(facts)) {
      report.warn(`.python-version (${later.request}) reaches the image after uv sync, which builds the environment with the image's Python ${imageText}; the runtime runs that environment (the original's \`uv run\` would rebuild it for ${later.request} at start, downloading the interpreter)`);
    }
    if (requested) {
      const m = /(?:^|[@-])(\d+)\.(\d+)(?:\.(\d+))?/.exec(requested.request);
      if (m && (Number(m[1]) !== image.major || Number(m[2]) !== image.minor)) return `Python ${m[1]}.${m[2]} (${requested.source})`;
      // a patch release (3.11.6) is a request for exactly that one; a floating 3.11 tag holds another
      const exact = m?.[3] !== undefined ? `${m[1]}.${m[2]}.${m[3]}` : undefined;
      if (exact && !tagPinsRelease(facts.resolvedImage.tag, exact)) return `exactly Python ${exact} (${requested.source}), which python:${facts.resolvedImage.tag} does not pin`;
      continue;
    }
    if (!imageServes) return `a Python that satisfies requires-python "${specifier}"`;
    // `==3.14.0` asks for one patch release; a floating 3.14 tag holds a later one, so uv downloads it
    const exact = specifier ? /(?:^|,)\s*===?\s*(\d+\.\d+\.\d+)\s*(?:,|$)/.exec(specifier)?.[1] : undefined;
    if (exact && !tagPinsRelease(facts.resolvedImage.tag, exact)) return `exactly Python ${exact} (requires-python "${specifier}"), which python:${facts.resolvedImage.tag} does not pin`;
  }
  return undefined;
}

/** Whether an image tag pins exactly that patch release (`3.11.6`, `3.11.6-slim`). */
function tagPinsRelease(tag: string, release: string): boolean {
  return tag === release || tag.startsWith(`${release}-`);
}

/** Whether a COPY before the step may have put the context's file into the image (the whole context, its directory, the file, or a glob). */
export function copiedBefore(facts: Facts, index: number, file: string): boolean {
  return facts.body.slice(0, index).some((e) => e.copy && !e.copy.fromImage && e.copy.sources.some((s) => {
    const path = s.replace(/^\.\//, "").replace(/\/$/, "");
    return path === "." || path === "" || path === file || file.startsWith(`${path}/`) || /[*?[]/.test(path);
  }));
}

function startsWithUvRun(facts: Facts): boolean {
  return [facts.entrypoint, facts.cmd].some((c) => c !== undefined && /\buv run\b/.test(c.form === "exec" ? c.argv.join(" ") : c.shell));
}
