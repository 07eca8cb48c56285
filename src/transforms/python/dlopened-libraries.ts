import type { BuildContext } from "../../analysis/context.js";
import { mentionedDistributions } from "./library-programs.js";

/**
 * Shared libraries Python packages open by name at import (cffi's dlopen, ctypes.util.find_library),
 * which no ELF file links and so no ldd scan finds, by the package's top-level module (WeasyPrint 52's
 * text.py and fonts.py, cairocffi's __init__.py and pixbuf.py, psycopg 3's pq/_pq_ctypes.py).
 */
const openedBy: { modules: string[]; sonames: string[] }[] = [
  { modules: ["weasyprint"], sonames: ["libgobject-2.0.so.0", "libpango-1.0.so.0", "libpangocairo-1.0.so.0", "libpangoft2-1.0.so.0", "libharfbuzz.so.0", "libfontconfig.so.1"] },
  // cairocffi.pixbuf, which WeasyPrint before 53 loads JPEG and GIF images with
  { modules: ["cairocffi"], sonames: ["libcairo.so.2", "libgdk_pixbuf-2.0.so.0"] },
  // python-magic is a package from 0.4.20 on, a single module before
  { modules: ["magic", "magic.py"], sonames: ["libmagic.so.1"] },
  // psycopg 3's pure-Python implementation (no psycopg[binary] or [c]) loads libpq with ctypes
  { modules: ["psycopg"], sonames: ["libpq.so.5"] },
];

/** Distributions that bring those modules, as the project's manifests name them. */
const distributions = ["weasyprint", "cairocffi", "cairosvg", "python-magic", "psycopg"];

/** Whether the project's manifests name a distribution whose module opens shared libraries by name. */
export function loadsLibrariesByName(context: BuildContext): boolean {
  return mentionedDistributions(context, distributions).length > 0;
}

/**
 * Shell lines (inside the recording braces) that print the sonames the installed modules open by name,
 * for each such module installed under `dirs`: what the build image has of them the runtime needs too.
 */
export function openedSonames(dirs: string[]): string {
  const paths = openedBy.flatMap(({ modules }) => modules.map((m) => `-path '*-packages/${m}'`));
  const cases = openedBy.map(({ modules, sonames }) => `${modules.join("|")}) echo ${sonames.join(" ")} ;;`).join(" ");
  return `find ${dirs.join(" ")} -maxdepth 5 \\( ${paths.join(" -o ")} \\) 2>/dev/null | while read -r module; do case "\${module##*/}" in ${cases} esac; done | tr ' ' '\\n' | sort -u`;
}
