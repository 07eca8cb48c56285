import { Keyword } from "dockerfile-ast";
import type { BuildContext } from "../analysis/context.js";
import type { Facts } from "../analysis/facts.js";
import { unusable } from "../errors.js";
import { wordsOf, type ParsedDockerfile } from "../parser/document.js";
import type { Report } from "../report.js";
import { buildkitSyntaxProblem } from "./buildkit-syntax.js";
import { checkCopySources } from "./copy-sources.js";

/** Rejects (exit 2) a Dockerfile that BuildKit's parser would refuse before running any step. */
export function rejectUnparseable(text: string, doc: ParsedDockerfile): void {
  const froms = doc.instructions.filter((i) => i.keyword === Keyword.FROM).map((i) => ({ line: i.startLine + 1, image: wordsOf(i, doc.escape)[0] ?? "" }));
  const body = doc.bom ? text.slice(1) : text;
  const problem = buildkitSyntaxProblem(body, froms);
  if (problem) throw unusable(`line ${problem.line}: ${problem.message}`);
}

/**
 * Rejects (exit 2) a COPY/ADD whose source the build context lacks, when the context is evidently the
 * one the build uses: given explicitly, or holding the other files the Dockerfile copies. Otherwise
 * (a monorepo built with `-f sub/Dockerfile .`) it only warns, naming the assumed context.
 */
export function rejectMissingSources(facts: Facts, context: BuildContext, explicitContext: boolean, report: Report): void {
  const { missing, found } = checkCopySources(facts, context);
  const first = missing[0];
  if (!first) return;
  const why = first.ignored ? "is excluded by .dockerignore" : "is not in the build context";
  if (explicitContext || found > 0) throw unusable(`line ${first.line}: ${first.keyword} source "${first.source}" ${why}; the build would fail`);
  for (const m of missing) {
    report.warn(`line ${m.line}: ${m.keyword} source "${m.source}" ${m.ignored ? "is excluded by .dockerignore" : "is not in the assumed build context"} (the Dockerfile's directory); if the build runs from another directory, pass it with --context`);
  }
}
