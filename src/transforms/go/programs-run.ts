import { posix } from "node:path";
import type { BuildContext } from "../../analysis/context.js";

/** `exec.Command("git", …)`, `exec.CommandContext(ctx, "nvim", …)`, `exec.LookPath("ffmpeg")`: the literal program name. */
const startCalls = [/\bexec\.Command\(\s*"([^"\s]+)"/g, /\bexec\.CommandContext\(\s*[^,()]+,\s*"([^"\s]+)"/g, /\bexec\.LookPath\(\s*"([^"\s]+)"/g];

/** The programs a Go file starts by name (the base name of an absolute path). */
export function programsStartedIn(code: string): string[] {
  if (!code.includes("exec.")) return [];
  return [...new Set(startCalls.flatMap((re) => [...code.matchAll(re)].map((m) => posix.basename(m[1]!))))];
}

/**
 * The programs the Go code of the context starts at run time (test files and vendored code left out):
 * an OS package the original installs under that name stays in the runtime, as a Python library's
 * subprocess does.
 */
export function programsGoCodeRuns(context: BuildContext): string[] {
  const found = new Set<string>();
  for (const path of context.list()) {
    if (!path.endsWith(".go") || path.endsWith("_test.go") || path.split("/").some((part) => part === "vendor" || part === "testdata")) continue;
    for (const program of programsStartedIn(context.read(path) ?? "")) found.add(program);
  }
  return [...found];
}
