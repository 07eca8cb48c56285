import { DockerfileParser, type Dockerfile } from "dockerfile-ast";
import { validate, ValidationCode } from "dockerfile-utils";
import { referenceProblem } from "./image-reference.js";
import { parseImageRef } from "../analysis/image-ref.js";

// dockerfile-utils reports Language Server Protocol diagnostics: severity 1 is an error
const lspError = 1;

/**
 * Problems that make BuildKit reject a Dockerfile before it runs a step, as dockerfile-utils' validator
 * finds them. Only these codes: the validator's other errors include checks BuildKit does not make.
 */
const rejectedByBuildkit = new Set<number>([
  ValidationCode.ARGUMENT_MISSING,
  ValidationCode.ARGUMENT_EXTRA,
  ValidationCode.ARGUMENT_REQUIRES_ONE,
  ValidationCode.ARGUMENT_REQUIRES_AT_LEAST_ONE,
  ValidationCode.ARGUMENT_REQUIRES_TWO,
  ValidationCode.ARGUMENT_REQUIRES_AT_LEAST_TWO,
  ValidationCode.ARGUMENT_REQUIRES_ONE_OR_THREE,
  ValidationCode.DUPLICATE_BUILD_STAGE_NAME,
  ValidationCode.INVALID_BUILD_STAGE_NAME,
  ValidationCode.INVALID_AS,
  ValidationCode.NO_SOURCE_IMAGE,
  ValidationCode.BASE_NAME_EMPTY,
  ValidationCode.INVALID_REFERENCE_FORMAT,
  ValidationCode.FLAG_MISSING_VALUE,
  ValidationCode.FLAG_DUPLICATE,
  ValidationCode.FLAG_INVALID_DURATION,
  ValidationCode.FLAG_MISSING_DURATION,
  ValidationCode.FLAG_UNKNOWN_UNIT,
  ValidationCode.FLAG_LESS_THAN_1MS,
  ValidationCode.UNKNOWN_ADD_FLAG,
  ValidationCode.UNKNOWN_COPY_FLAG,
  ValidationCode.UNKNOWN_FROM_FLAG,
  ValidationCode.UNKNOWN_HEALTHCHECK_FLAG,
  ValidationCode.HEALTHCHECK_CMD_ARGUMENT_MISSING,
  ValidationCode.SYNTAX_MISSING_EQUALS,
  ValidationCode.SYNTAX_MISSING_NAMES,
  ValidationCode.ONBUILD_CHAINING_DISALLOWED,
  ValidationCode.ONBUILD_TRIGGER_DISALLOWED,
  ValidationCode.INVALID_PORT,
  ValidationCode.INVALID_SIGNAL,
  ValidationCode.INVALID_ESCAPE_DIRECTIVE,
]);

/** Codes whose check cannot see through build variables: `EXPOSE $PORT` or `STOPSIGNAL $SIG` are fine. */
const valueChecks = new Set<number>([ValidationCode.INVALID_PORT, ValidationCode.INVALID_SIGNAL]);

export interface SyntaxProblem {
  /** 1-based line of the instruction. */
  line: number;
  message: string;
}

/** The first problem BuildKit's parser would reject the file for, or undefined. */
export function buildkitSyntaxProblem(text: string, ast: Dockerfile, fromImages: { line: number; image: string }[]): SyntaxProblem | undefined {
  const lines = text.split(/\r?\n/);
  const problems: SyntaxProblem[] = [];
  for (const diagnostic of validateParsed(text, ast)) {
    if (diagnostic.severity !== lspError || !rejectedByBuildkit.has(Number(diagnostic.code))) continue;
    const line = diagnostic.range.start.line;
    if (valueChecks.has(Number(diagnostic.code)) && (lines[line] ?? "").includes("$")) continue;
    problems.push({ line: line + 1, message: describe(typeof diagnostic.message === "string" ? diagnostic.message : diagnostic.message.value, lines[line] ?? "") });
  }
  for (const from of fromImages) {
    const problem = referenceProblem(parseImageRef(from.image));
    if (problem) problems.push({ line: from.line, message: problem });
  }
  return problems.sort((a, b) => a.line - b.line)[0];
}

/**
 * dockerfile-utils' validate() parses the text again with the same dockerfile-ast; parsing is the
 * larger part of its cost, so for this call its parse of this text returns the tree msb already has.
 */
function validateParsed(text: string, ast: Dockerfile): ReturnType<typeof validate> {
  const parse = DockerfileParser.parse;
  DockerfileParser.parse = (content: string) => (content === text ? ast : parse(content));
  try {
    return validate(text);
  } finally {
    DockerfileParser.parse = parse;
  }
}

/** The validator's messages name no instruction for FROM's extra words; say what BuildKit would. */
function describe(message: string, line: string): string {
  if (/^\s*FROM\b/i.test(line) && /AS/.test(message) && /#/.test(line)) return `${message} (a # after the image is not a comment in FROM)`;
  return message;
}
