import { commandWords, leadingAssignments } from "../../analysis/commands.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";

/** Distribution releases whose Python carries PEP 668's EXTERNALLY-MANAGED marker (untagged: the newest). */
const markedReleases: Record<string, RegExp> = {
  debian: /^(|latest|stable|testing|sid|unstable|bookworm|trixie|forky|1[2-9])([-.]|$)/,
  ubuntu: /^(|latest|rolling|devel|lunar|mantic|noble|oracular|plucky|questing|2[3-9]\.\d\d)([-.]|$)/,
  alpine: /^(|latest|edge|3\.(19|[2-9]\d)|[4-9]\.\d+)([-.]|$)/,
};

const bypassFlags = /^(--break-system-packages|--target|-t|--prefix|--root|--dry-run)(=|$)/;

/**
 * Rejects (exit 2) a pip install into the distribution's own Python on releases that mark it externally
 * managed (Debian 12, Ubuntu 23.04, Alpine 3.19 and later): pip stops with `error: externally-managed-environment`
 * (checked with Debian 12's python3-pip 23.0.1). Not when a virtual environment was made first, nor with
 * --break-system-packages (or PIP_BREAK_SYSTEM_PACKAGES), --target, --prefix or --root, which skip the check.
 */
export function rejectPipIntoExternallyManagedPython(facts: Facts): void {
  const image = facts.resolvedImage;
  const marked = markedReleases[image.name];
  if (!marked || !/^(library\/)?(debian|ubuntu|alpine)$/.test(image.repository) || !/^(docker\.io)?$/.test(image.registry) || !marked.test(image.tag)) return;
  if (facts.variables["PIP_BREAK_SYSTEM_PACKAGES"] !== undefined || facts.variables["VIRTUAL_ENV"] !== undefined) return;
  for (const entry of facts.body) {
    if (entry.copy && /pip\.conf|EXTERNALLY-MANAGED/.test(entry.copy.dest + entry.copy.sources.join(" "))) return;
    for (const segment of entry.run?.segments ?? []) {
      // a virtual environment, or the marker removed or overridden, before any install
      if (/\bvenv\b|\bvirtualenv\b|EXTERNALLY-MANAGED|break-system-packages|\bpipx\b/.test(segment.text)) return;
      const words = commandWords(segment.argv);
      const pip = /^(\/usr\/bin\/)?pip3?$/.test(words[0] ?? "") ? 1 : /^(\/usr\/bin\/)?python3?$/.test(words[0] ?? "") && words[1] === "-m" && words[2] === "pip" ? 3 : 0;
      if (pip === 0 || words[pip] !== "install" || words.slice(pip + 1).some((w) => bypassFlags.test(w))) continue;
      if (leadingAssignments(segment.argv)["PIP_BREAK_SYSTEM_PACKAGES"] !== undefined) continue;
      throw unusable(`line ${entry.ins.startLine + 1}: \`${segment.text}\` cannot run: the Python of ${image.raw} is marked externally managed (PEP 668), so pip stops with error: externally-managed-environment; install into a virtual environment (python3 -m venv), or pass --break-system-packages`);
    }
  }
}
