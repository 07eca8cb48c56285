import { isOfficialImage } from "../../analysis/image-ref.js";
import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import type { Pins } from "./pip-inputs.js";
import { requirementFileLines } from "./requirement-files.js";
import type { PythonStep } from "./tools.js";

/**
 * Distributions PyPI publishes for Linux only as source, in every release: pip compiles them, which needs
 * a compiler and the headers named. `instead` is a distribution with Linux wheels that replaces it.
 */
const sourceOnly: Record<string, { needs: string; apt: string; apk: string; instead?: string }> = {
  psycopg2: { needs: "pg_config and a C compiler", apt: "gcc libpq-dev", apk: "gcc musl-dev postgresql-dev", instead: "psycopg2-binary" },
  mysqlclient: { needs: "pkg-config, the MySQL client headers and a C compiler", apt: "gcc pkg-config default-libmysqlclient-dev", apk: "gcc musl-dev pkgconf mariadb-dev" },
  uwsgi: { needs: "a C compiler", apt: "gcc", apk: "gcc musl-dev linux-headers", instead: "pyuwsgi" },
  "python-ldap": { needs: "the OpenLDAP headers and a C compiler", apt: "gcc libldap2-dev libsasl2-dev", apk: "gcc musl-dev openldap-dev" },
  pyaudio: { needs: "the PortAudio headers and a C compiler", apt: "gcc portaudio19-dev", apk: "gcc musl-dev portaudio-dev" },
  dlib: { needs: "CMake and a C++ compiler", apt: "cmake g++", apk: "cmake g++" },
  "llama-cpp-python": { needs: "a C++ compiler", apt: "g++", apk: "g++" },
};

const compilerInstalled = /\b(gcc|g\+\+|clang|build-essential|build-base|alpine-sdk)\b/;

/**
 * Rejects (exit 2) a pip install, on an official python slim or alpine image, of a distribution PyPI
 * has for Linux only as source (psycopg2, mysqlclient, uWSGI…) when no earlier step installs a compiler:
 * those images have none (the full images do), so the build stops in the compile ("command 'gcc'
 * failed", "pg_config executable not found"). Not when the install names another index or wheel
 * directory, which may hold a wheel, or the requirement has a marker.
 */
export function rejectSourceOnlyWithoutCompiler(facts: Facts, steps: readonly PythonStep[], pins: Pins | undefined, context: BuildContext): void {
  const image = facts.resolvedImage;
  if (!pins || !isOfficialImage(image, "python") || !/(^|-)(slim|alpine)/.test(image.tag)) return;
  const pip = steps.find((s) => s.kind === "deps" && s.tool === "pip");
  if (!pip) return;
  // the install commands and the requirement files they read, with their option lines
  const inputs = steps.filter((s) => s.kind === "deps").map((s) => [s.s.text, ...new Set(requirementFileLines(facts, s, context).lines.map((l) => context.read(l.file) ?? ""))].join("\n")).join("\n");
  if (/--(extra-)?index-url|--find-links|(^|\s)-f\s|--only-binary|PIP_(EXTRA_)?INDEX_URL|PIP_FIND_LINKS/.test(inputs) || Object.keys(facts.variables).some((v) => /^PIP_(EXTRA_)?INDEX_URL$|^PIP_FIND_LINKS$/.test(v))) return;
  const before = facts.body.slice(0, pip.index + 1).filter((e) => e.run).map((e) => e.ins.text).join("\n");
  if (compilerInstalled.test(before)) return;
  for (const [name, what] of Object.entries(sourceOnly)) {
    const spec = pins.get(name)?.find((s) => !s.includes(";"));
    if (spec === undefined) continue;
    const install = image.tag.includes("alpine") ? `apk add --no-cache ${what.apk}` : `apt-get install -y ${what.apt}`;
    throw unusable(`line ${facts.body[pip.index]!.ins.startLine + 1}: \`${pip.s.text.trim()}\` cannot run: pip builds ${name} from source (PyPI has no Linux wheel of it), which needs ${what.needs}, and ${image.raw} has no compiler and no earlier step installs one, so the build stops in the compile (${install} before it${what.instead ? `, or use ${what.instead}` : ""})`);
  }
}
