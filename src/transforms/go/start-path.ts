import { posix } from "node:path";
import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import type { SourceLayout } from "./layout.js";

/**
 * Rejects (exit 2) a start command that runs a program by path (`./tele-bot`) where no step puts one:
 * the go build steps write their binaries elsewhere (`go install` into $GOPATH/bin), the context has no
 * such file, and no other RUN step names it. The original container cannot start. A warning when the
 * context is not evidently the build's.
 */
export function rejectStartPathNothingMakes(facts: Facts, start: readonly string[], made: readonly string[], layout: SourceLayout, context: BuildContext, evident: boolean, report: { warn(m: string): void }): void {
  // a shell-form word keeps its quotes (`CMD "./Forum"`)
  const program = start[0]?.replace(/^(["'])(.*)\1$/, "$2");
  if (program === undefined || !program.includes("/") || /[$*?]/.test(program) || /\.(sh|py|js)$/.test(program)) return;
  const path = posix.resolve(facts.finalWorkdir, program);
  if (made.length === 0 || made.includes(path)) return;
  // a build script or Makefile may put the program anywhere
  if (facts.body.some((e) => e.run?.segments.some((seg) => /^(make|gmake|sh|bash|ash|task|mage|just|goreleaser|\.{0,2}\/)/.test(seg.text.trim()) || /^go\s+(run|generate)\b/.test(seg.text.trim())))) return;
  const contextPath = layout.contextDirOf(path);
  if (contextPath === undefined || contextPath === "" || context.kind(contextPath) !== undefined) return;
  const name = posix.basename(path);
  const otherSteps = facts.body.filter((e) => e.run && !e.run.segments.every((s) => /^go\s+(build|install)\b/.test(s.text.trim())));
  if (otherSteps.some((e) => e.ins.text.includes(name)) || facts.body.some((e) => e.copy && (e.copy.fromImage || e.copy.sources.some((s) => s.includes(name))))) return;
  const built = made.find((m) => posix.basename(m) === name);
  const problem = `the start command runs ${program} (${path}), which no step makes${built ? `: the build puts ${name} at ${built}` : ""}`;
  if (!evident) {
    report.warn(`${problem}; unless the real build context has that file, the container cannot start`);
    return;
  }
  throw unusable(`${problem}, so the container cannot start${built ? ` (start ${built})` : ""}`);
}
