import { startChain } from "../../analysis/dev-server.js";
import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { startInstruction } from "../../analysis/start-command.js";
import { unusable } from "../../errors.js";
import { commandLine } from "../common/runtime-text.js";
import type { NodeProject } from "./project.js";

const nextStart = /(^|[\s/;&|])next\s+start\b/;
const nextBuild = /(^|[\s/;&|])next\s+build\b/;

/**
 * Rejects (exit 2) a start command that runs `next start` (directly or through package scripts) when
 * no step runs `next build` and the context holds no `.next` build: Next.js stops at start with
 * "Could not find a valid build in the '.next' directory". Only for a context evidently the build's.
 */
export function rejectNextStartWithoutBuild(facts: Facts, context: BuildContext, project: NodeProject): void {
  const start = [commandLine(facts.entrypoint), commandLine(facts.cmd)].join(" ").trim();
  if (!startChain(start, project.scripts).some((line) => nextStart.test(line))) return;
  const runs = facts.body.flatMap((e) => (!e.run ? [] : e.run.form === "heredoc" ? [e.ins.text] : e.run.segments.map((s) => s.text)));
  if (runs.some((text) => startChain(text, project.scripts).some((line) => nextBuild.test(line)))) return;
  // a build committed to the context, or a postinstall/prepare script that builds
  if (context.kind(".next") === "dir" || ["postinstall", "prepare", "install"].some((hook) => nextBuild.test(project.scripts[hook] ?? ""))) return;
  const { keyword, line } = startInstruction(facts);
  throw unusable(`line ${line}: ${keyword} runs next start, but no step runs next build and the build context has no .next directory, so Next.js stops at start with "Could not find a valid build in the '.next' directory" (add RUN next build, through the package's build script, before it)`);
}
