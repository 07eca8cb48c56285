import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { applicationSources } from "./application-sources.js";

/**
 * Packages that load a system library through ctypes when imported and ship none of their own: no
 * python image has the library, so the import fails unless a step installs it.
 */
const loadsSystemLibrary: { module: string; distribution: string; library: string; apt: string; apk: string; installed: RegExp }[] = [
  { module: "pyzbar", distribution: "pyzbar", library: "libzbar.so.0", apt: "libzbar0", apk: "zbar", installed: /\b(libzbar0|libzbar-dev|python3-pyzbar|py3-pyzbar|zbar(-libs|-dev|-tools)?)\b/ },
  { module: "pylibdmtx", distribution: "pylibdmtx", library: "libdmtx.so.0", apt: "libdmtx0b", apk: "libdmtx", installed: /\b(libdmtx0[ab]?|libdmtx-dev|libdmtx)\b/ },
];

const manifests = /(^|\/)(requirements[^/]*\.(txt|in)|pyproject\.toml|Pipfile(\.lock)?|poetry\.lock|uv\.lock|pdm\.lock|setup\.(py|cfg))$/;

/**
 * Rejects (exit 2) an image whose program imports a package that loads a system library through ctypes
 * (pyzbar: libzbar.so.0) when no step installs that library: the image builds, and the program stops at
 * import ("Unable to find zbar shared library").
 */
export function rejectMissingCtypesLibrary(facts: Facts, context: BuildContext): void {
  const runs = facts.body.filter((e) => e.run).map((e) => e.ins.text).join("\n");
  const declared = context.list().filter((p) => manifests.test(p) && !p.includes("node_modules/")).slice(0, 50).map((p) => context.read(p) ?? "").join("\n");
  for (const entry of loadsSystemLibrary) {
    if (!new RegExp(`(^|[^\\w.-])${entry.distribution}([^\\w.-]|$)`, "im").test(declared) || entry.installed.test(runs)) continue;
    const importer = applicationSources(context).find((s) => new RegExp(`^\\s*(from\\s+${entry.module}(\\.|\\s)|import\\s+${entry.module}\\b)`, "m").test(s.code));
    if (!importer) continue;
    const alpine = /alpine/.test(facts.resolvedImage.tag) || facts.resolvedImage.name === "alpine";
    throw unusable(`${importer.path} imports ${entry.module}, which loads ${entry.library} through ctypes, and no step installs it (${facts.resolvedImage.raw} has none): the image builds, and the program stops at that import (${alpine ? `apk add --no-cache ${entry.apk}` : `apt-get install -y ${entry.apt}`} in the Dockerfile)`);
  }
}
