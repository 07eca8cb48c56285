import type { BuildContext } from "../../analysis/context.js";

const settingsFile = /(^|\/)settings(\/[\w.-]+)?\.py$|(^|\/)settings_[\w-]+\.py$/;

/**
 * Absolute Django STATIC_ROOT / MEDIA_ROOT directories outside the WORKDIR that the app writes at run
 * time: MEDIA_ROOT takes uploads, STATIC_ROOT is written when the start command or its script runs
 * `collectstatic`. The root-run original could create them; the runtime user must own them.
 */
export function djangoWrittenRoots(context: BuildContext, runtimeText: string, workdir: string): string[] {
  const collectsAtStart = /\bcollectstatic\b/.test(runtimeText);
  const dirs = new Set<string>();
  for (const path of context.list().filter((p) => settingsFile.test(p)).slice(0, 20)) {
    const text = context.read(path) ?? "";
    for (const m of text.matchAll(/^\s*(STATIC_ROOT|MEDIA_ROOT)\s*=\s*["'](\/[\w./-]*?)\/?["']/gm)) {
      const dir = m[2]!;
      if (dir === "" || dir === "/" || (m[1] === "STATIC_ROOT" && !collectsAtStart)) continue;
      if (workdir !== "/" && (dir === workdir || dir.startsWith(`${workdir}/`))) continue;
      dirs.add(dir);
    }
  }
  return [...dirs].sort();
}
