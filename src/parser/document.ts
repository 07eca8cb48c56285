import { DockerfileParser, Keyword, type Instruction, type Dockerfile } from "dockerfile-ast";
import { unusable } from "../errors.js";
import { joinContinuations, splitFlags } from "./instruction-text.js";
import { tokenize } from "./shell.js";

/** One instruction as written: its verbatim text plus the comment/blank lines above it. */
export interface SourceInstruction {
  index: number;
  keyword: Keyword | string;
  /** Exactly the original text of the instruction (continuations, inner comments, heredocs). */
  text: string;
  /** Comment and blank lines between the previous instruction and this one, verbatim. */
  leading: string[];
  startLine: number;
  node: Instruction;
  /** The file's escape character, for reading this instruction's text. */
  escape: string;
}

export interface ParsedDockerfile {
  bom: boolean;
  eol: "\n" | "\r\n";
  escape: string;
  /** Parser directives (and any lines before the first instruction that are directives), verbatim. */
  directives: string[];
  /** Instructions before the first FROM (global ARGs). */
  preamble: SourceInstruction[];
  instructions: SourceInstruction[];
  /** Comment and blank lines after the last instruction. */
  trailing: string[];
  fromCount: number;
  ast: Dockerfile;
}

const knownKeywords = new Set<string>(Object.values(Keyword));

/** Parses Dockerfile text into verbatim slices; throws MsbError("unusable") for input BuildKit would reject. */
export function parseDockerfile(rawText: string): ParsedDockerfile {
  if (rawText.includes("\u0000")) throw unusable("is a binary file, not a Dockerfile");
  const bom = rawText.startsWith("\uFEFF");
  const text = bom ? rawText.slice(1) : rawText;
  if (text.trim() === "") throw unusable("is empty");
  if (/\r(?!\n)/.test(text)) throw unusable("contains a carriage return that does not end a line (parsers disagree on where such lines end)");
  const crlf = (text.match(/\r\n/g)?.length ?? 0);
  const lf = (text.match(/\n/g)?.length ?? 0);
  const eol = crlf > 0 && crlf * 2 >= lf ? "\r\n" : "\n";

  const ast = DockerfileParser.parse(text);
  const lines = text.split(/\r?\n/);
  const directiveLines = new Set(ast.getDirectives().map((d) => d.getRange().start.line));

  const all: SourceInstruction[] = [];
  let cursor = 0;
  for (const node of ast.getInstructions()) {
    const range = node.getRange();
    const keyword = node.getKeyword().toUpperCase();
    const startLine = range.start.line;
    if (!knownKeywords.has(keyword)) {
      throw unusable(`line ${startLine + 1}: unknown instruction "${node.getKeyword()}"`);
    }
    if (lines.slice(startLine, range.end.line + 1).some((l) => l.includes("<<"))) checkHeredocs(node, startLine);
    const leading: string[] = [];
    for (let l = cursor; l < startLine; l++) {
      if (!directiveLines.has(l)) leading.push(lines[l] ?? "");
    }
    const endLine = range.end.line;
    const body = lines.slice(startLine, endLine + 1);
    body[0] = (body[0] ?? "").slice(range.start.character);
    all.push({ index: all.length, keyword, text: body.join(eol), leading, startLine, node, escape: ast.getEscapeCharacter() });
    cursor = endLine + 1;
  }
  const trailing = lines.slice(cursor);
  while (trailing.length > 0 && trailing[trailing.length - 1] === "") trailing.pop();

  const firstFrom = all.findIndex((i) => i.keyword === Keyword.FROM);
  if (firstFrom < 0) throw unusable("has no FROM instruction");
  for (const ins of all.slice(0, firstFrom)) {
    if (ins.keyword !== Keyword.ARG) {
      throw unusable(`line ${ins.startLine + 1}: ${ins.keyword} before the first FROM (only ARG may come first)`);
    }
  }
  for (const ins of all) {
    if (ins.keyword !== Keyword.FROM) continue;
    const words = wordsOf(ins, ast.getEscapeCharacter());
    if (!(words.length === 1 || (words.length === 3 && words[1]!.toLowerCase() === "as"))) {
      throw unusable(`line ${ins.startLine + 1}: FROM takes an image and optionally AS name`);
    }
  }
  const fromCount = all.filter((i) => i.keyword === Keyword.FROM).length;
  const directives = ast.getDirectives().map((d) => lines[d.getRange().start.line] ?? "");
  return {
    bom,
    eol,
    escape: ast.getEscapeCharacter(),
    directives,
    preamble: all.slice(0, firstFrom),
    instructions: all.slice(firstFrom),
    trailing,
    fromCount,
    ast,
  };
}

function checkHeredocs(node: Instruction, startLine: number): void {
  const withHeredocs = node as Instruction & { getHeredocs?: () => { getName(): string; getDelimiterRange(): unknown }[] };
  if (typeof withHeredocs.getHeredocs !== "function") return;
  for (const heredoc of withHeredocs.getHeredocs()) {
    if (heredoc.getDelimiterRange() === null) {
      throw unusable(`line ${startLine + 1}: heredoc "${heredoc.getName()}" is never terminated`);
    }
  }
}

const argsCache = new WeakMap<SourceInstruction, string>();
const wordsCache = new WeakMap<SourceInstruction, string[]>();

/** The instruction's arguments after its flags, continuations joined and inner comments dropped. */
export function argsOf(ins: SourceInstruction): string {
  let args = argsCache.get(ins);
  if (args === undefined) {
    args = joinContinuations(splitFlags(ins.text, ins.escape).rest, ins.escape);
    argsCache.set(ins, args);
  }
  return args;
}

/** The instruction's argument words after its flags, continuations joined, quotes removed. */
export function wordsOf(ins: SourceInstruction, escape: string): string[] {
  let words = wordsCache.get(ins);
  if (words === undefined) {
    words = tokenize(joinContinuations(splitFlags(ins.text, escape).rest, escape));
    wordsCache.set(ins, words);
  }
  return words;
}
