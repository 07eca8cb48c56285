import { Keyword } from "dockerfile-ast";
import type { BuildContext } from "../analysis/context.js";
import type { Facts } from "../analysis/facts.js";
import { startInstruction } from "../analysis/start-command.js";
import { unusable } from "../errors.js";
import { wordsOf, type ParsedDockerfile } from "../parser/document.js";
import { tokenize } from "../parser/shell.js";
import type { Report } from "../report.js";
import { buildkitSyntaxProblem } from "./buildkit-syntax.js";
import { checkCopySources } from "./copy-sources.js";

/** Rejects (exit 2) a Dockerfile that BuildKit's parser would refuse before running any step. */
export function rejectUnparseable(text: string, doc: ParsedDockerfile): void {
  const froms = doc.instructions.filter((i) => i.keyword === Keyword.FROM).map((i) => ({ line: i.startLine + 1, image: wordsOf(i, doc.escape)[0] ?? "" }));
  const body = doc.bom ? text.slice(1) : text;
  const problem = buildkitSyntaxProblem(body, doc.ast, froms);
  if (problem) throw unusable(`line ${problem.line}: ${problem.message}`);
}

/**
 * Rejects (exit 2) a COPY/ADD whose source the build context lacks, when the context is evidently the
 * one the build uses: given explicitly, or holding the other files the Dockerfile copies. Otherwise
 * (a monorepo built with `-f sub/Dockerfile .`) it only warns, naming the assumed context.
 * Returns whether the context is evidently the build's, so later checks may fail on what it lacks.
 */
export function rejectMissingSources(facts: Facts, context: BuildContext, explicitContext: boolean, report: Report): boolean {
  const { missing, found } = checkCopySources(facts, context);
  const first = missing[0];
  if (!first) return context.known && (explicitContext || found > 0);
  const why = first.ignored ? "is excluded by .dockerignore" : "is not in the build context";
  if (explicitContext || found > 0) throw unusable(`line ${first.line}: ${first.keyword} source "${first.source}" ${why}; the build would fail`);
  for (const m of missing) {
    report.warn(`line ${m.line}: ${m.keyword} source "${m.source}" ${m.ignored ? "is excluded by .dockerignore" : "is not in the assumed build context"} (the Dockerfile's directory); if the build runs from another directory, pass it with --context`);
  }
  return false;
}

/**
 * Rejects (exit 2) a COPY/ADD whose arguments open a JSON array that does not close at their end
 * (`COPY ["package.json", "./"] \` followed by a comment line joins the next instruction to it):
 * BuildKit then reads the arguments as words and looks for a source named `["package.json",`, which
 * no context has, whichever directory the build runs from.
 */
export function rejectBrokenJsonCopy(facts: Facts): void {
  for (const entry of facts.body) {
    const copy = entry.copy;
    if (!copy || copy.fromImage || copy.heredoc || !copy.sources[0]?.startsWith("[")) continue;
    throw unusable(`line ${entry.ins.startLine + 1}: ${copy.isAdd ? "ADD" : "COPY"}'s arguments start as a JSON array that does not end them (they run on to \`${copy.dest}\`), so BuildKit reads them as words and looks for a source named \`${copy.sources[0]}\`, which no build context has`);
  }
}

/**
 * Rejects (exit 2) a start command that cannot run: an exec form whose program word holds spaces
 * (`CMD ["go run main.go"]`) names a program that does not exist, since exec form splits no words.
 */
export function rejectUnstartable(facts: Facts): void {
  const start = facts.entrypoint ?? facts.cmd;
  const { keyword, line } = startInstruction(facts);
  if (start?.form === "shell") {
    // `CMD ['app', 'serve']` is no JSON array: Docker runs it with /bin/sh -c, whose first word is `[app,`
    const first = tokenize(start.shell)[0];
    if (first !== undefined && first.startsWith("[") && first !== "[" && first !== "[[") {
      throw unusable(`line ${line}: ${keyword} ${start.shell.trim()} is not a JSON array${start.shell.includes("'") ? " (JSON strings take double quotes)" : ""}, so Docker runs it with /bin/sh -c, which finds no program "${first}": the container cannot start (write ${keyword} as a JSON array with double quotes)`);
    }
  }
  const program = start?.form === "exec" ? start.argv[0] : undefined;
  if (program === undefined) return;
  const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=(\S*)$/.exec(program);
  if (assignment) {
    throw unusable(`line ${line}: ${keyword} runs a program named "${program}": the exec form has no shell to take it as a variable assignment, so the container cannot start (set it with ENV ${assignment[1]}=${assignment[2]})`);
  }
  if (!/\s/.test(program.trim())) return;
  throw unusable(`line ${line}: ${keyword} runs a program named "${program}": the exec form does not split words, so the container cannot start (write ["${program.trim().split(/\s+/).join('", "')}"])`);
}
