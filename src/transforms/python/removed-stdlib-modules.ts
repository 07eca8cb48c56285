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

/** Distributions every release of which imports a removed module when imported: what it imports, and how. */
const dependenciesImportingRemoved: Record<string, { minor: number; how: string }> = {
  http3: { minor: 13, how: "http3 imports cgi (http3/models.py)" },
  "requests-async": { minor: 13, how: "requests-async's last release requires http3 0.6, which imports cgi (http3/models.py)" },
};

/** Distributions whose releases below a version import a removed module when imported (Django's cgi use ended with 4.1: django/django#15679). */
const releasesImportingRemoved: { name: string; below: string; minor: number; how: string }[] = [
  { name: "django", below: "4.1", minor: 13, how: "Django before 4.1 imports cgi (django/http/request.py)" },
];

/**
 * Rejects (exit 2) an image whose Python no longer has a standard-library module the application
 * needs when it starts: the started script imports it at its top level, or a required distribution
 * imports it in every release. The container stops with "No module named 'cgi'" and the like.
 */
export function rejectRemovedStdlibImports(facts: Facts, steps: readonly PythonStep[], pins: Pins | undefined, context: BuildContext): void {
  const python = imagePython(facts);
  if (!python || python.major !== 3) return;
  const removed = removedIn.filter(([minor]) => python.minor >= minor).flatMap(([minor, modules]) => modules.map((m) => ({ module: m, minor })));
  if (removed.length === 0) return;
  const install = steps.find((s) => s.kind === "deps");
  const line = install ? facts.body[install.index]!.ins.startLine + 1 : undefined;
  const where = line !== undefined ? `line ${line}: ` : "";
  for (const [name, { minor, how }] of Object.entries(dependenciesImportingRemoved)) {
    if (python.minor < minor || !pins?.has(name)) continue;
    throw unusable(`${where}the image builds but cannot start: the requirements take ${name}, and ${how}, a module Python 3.${minor} removed (PEP 594), so on ${python.label} importing it stops with "No module named 'cgi'" (use a python:3.12 image, or replace ${name})`);
  }
  for (const { name, below, minor, how } of releasesImportingRemoved) {
    const specs = pins?.get(name);
    if (python.minor < minor || !specs || !heldBelow(specs, below)) continue;
    throw unusable(`${where}the image builds but cannot start: the requirements hold ${specs[0]}, and ${how}, a module Python 3.${minor} removed (PEP 594), so on ${python.label} importing it stops with "No module named 'cgi'" (use an image of Python 3.${minor - 1} or older, or Django 4.1 or later)`);
  }
  const script = startCommandWords(facts).find((w) => /\.py$/.test(w));
  if (script === undefined) return;
  const file = contextFileAt(facts, context, posix.resolve(facts.finalWorkdir, script));
  const code = file === undefined ? undefined : context.read(file);
  if (code === undefined) return;
  for (const { module, minor } of removed) {
    // top-level imports only: one inside try/except or a function may be a fallback
    if (!new RegExp(`^(?:import\\s+(?:[\\w.]+\\s*,\\s*)*${module}\\b|from\\s+${module}(?:\\.\\w+)*\\s+import\\b)`, "m").test(code)) continue;
    throw unusable(`${where}the image builds but cannot start: ${file} imports ${module}, which Python 3.${minor} removed, so on ${python.label} it stops with "No module named '${module}'" (use an image of Python 3.${minor - 1} or older)`);
  }
}
