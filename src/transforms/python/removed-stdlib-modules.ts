import { posix } from "node:path";
import type { BuildContext } from "../../analysis/context.js";
import { contextFileAt } from "../../analysis/copied-file.js";
import type { Facts } from "../../analysis/facts.js";
import { startCommandWords } from "../../analysis/start-command.js";
import { unusable } from "../../errors.js";
import type { Pins } from "./pip-inputs.js";
import type { PythonStep } from "./tools.js";
import { imagePython } from "./uv-python.js";
import { heldBelow } from "./version-bounds.js";

/** Standard-library modules removed by a Python release (PEP 594 in 3.13; distutils, imp, asyncore, asynchat, smtpd in 3.12). */
const removedIn: [minor: number, modules: string[]][] = [
  [12, ["distutils", "imp", "asyncore", "asynchat", "smtpd"]],
  [13, ["aifc", "audioop", "cgi", "cgitb", "chunk", "crypt", "imghdr", "mailcap", "msilib", "nis", "nntplib", "ossaudiodev", "pipes", "sndhdr", "spwd", "sunau", "telnetlib", "uu", "xdrlib", "lib2to3"]],
];

/** What a distribution's import needs that a Python release removed, and the error it stops with. */
interface RemovedNeed {
  minor: number;
  how: string;
  error: string;
  /** What PEP or change removed it, named in the message. */
  removal: string;
}

const pep594 = (module: string) => ({ minor: 13, error: `No module named '${module}'`, removal: "a module Python 3.13 removed (PEP 594)" });
const removedIn312 = (module: string) => ({ minor: 12, error: `No module named '${module}'`, removal: "a module Python 3.12 removed" });

/** Distributions every release of which fails to import on a Python release. */
const dependenciesImportingRemoved: Record<string, RemovedNeed> = {
  http3: { ...pep594("cgi"), how: "http3 imports cgi (http3/models.py)" },
  "requests-async": { ...pep594("cgi"), how: "requests-async's last release requires http3 0.6, which imports cgi (http3/models.py)" },
  slackbot: { ...removedIn312("imp"), how: "slackbot imports imp in every release (slackbot/bot.py)" },
};

/**
 * Distributions whose releases below a version fail to import on a Python release: Django's cgi use
 * ended with 4.1 (django/django#15679); requests took its ABCs from collections.abc from 2.19 (psf/requests#4501).
 */
const releasesImportingRemoved: (RemovedNeed & { name: string; below: string; fixed: string })[] = [
  { name: "django", below: "4.1", ...pep594("cgi"), how: "Django before 4.1 imports cgi (django/http/request.py)", fixed: "Django 4.1 or later" },
  {
    name: "requests", below: "2.19", minor: 10, error: "module 'collections' has no attribute 'MutableMapping'",
    removal: "an alias of collections.abc.MutableMapping that Python 3.10 removed (the urllib3 releases it allows use such aliases too, so the first import error may name one of them)",
    how: "requests before 2.19 subclasses collections.MutableMapping (requests/structures.py)", fixed: "current requests and urllib3 releases",
  },
];

/**
 * Rejects (exit 2) an image whose Python no longer has a standard-library module or name the application
 * needs when it starts: the started script imports it at its top level, or a required distribution
 * imports it (in every release, or below a version). The container stops with "No module named 'cgi'" and the like.
 */
export function rejectRemovedStdlibImports(facts: Facts, steps: readonly PythonStep[], pins: Pins | undefined, context: BuildContext): void {
  const python = imagePython(facts);
  if (!python || python.major !== 3) return;
  const install = steps.find((s) => s.kind === "deps");
  const line = install ? facts.body[install.index]!.ins.startLine + 1 : undefined;
  const where = line !== undefined ? `line ${line}: ` : "";
  for (const [name, need] of Object.entries(dependenciesImportingRemoved)) {
    if (python.minor < need.minor || !pins?.has(name)) continue;
    throw unusable(`${where}the image builds but cannot start: the requirements take ${name}, and ${need.how}, ${need.removal}, so on ${python.label} importing it stops with "${need.error}" (use an image of Python 3.${need.minor - 1} or older, or replace ${name})`);
  }
  for (const need of releasesImportingRemoved) {
    const specs = pins?.get(need.name);
    if (python.minor < need.minor || !specs || !heldBelow(specs, need.below)) continue;
    throw unusable(`${where}the image builds but cannot start: the requirements hold ${specs[0]}, and ${need.how}, ${need.removal}, so on ${python.label} importing it stops with "${need.error}" (use an image of Python 3.${need.minor - 1} or older, or ${need.fixed})`);
  }
  const removed = removedIn.filter(([minor]) => python.minor >= minor).flatMap(([minor, modules]) => modules.map((m) => ({ module: m, minor })));
  const script = startCommandWords(facts).find((w) => /\.py$/.test(w));
  if (script === undefined || removed.length === 0) return;
  const file = contextFileAt(facts, context, posix.resolve(facts.finalWorkdir, script));
  const code = file === undefined ? undefined : context.read(file);
  if (code === undefined) return;
  for (const { module, minor } of removed) {
    // top-level imports only: one inside try/except or a function may be a fallback
    if (!new RegExp(`^(?:import\\s+(?:[\\w.]+\\s*,\\s*)*${module}\\b|from\\s+${module}(?:\\.\\w+)*\\s+import\\b)`, "m").test(code)) continue;
    throw unusable(`${where}the image builds but cannot start: ${file} imports ${module}, which Python 3.${minor} removed, so on ${python.label} it stops with "No module named '${module}'" (use an image of Python 3.${minor - 1} or older)`);
  }
}
