export type Operator = "&&" | "||" | ";" | "|" | "&" | "";

/** One simple command of a shell line, with its verbatim text and the operator that joined it to the previous one. */
export interface ShellSegment {
  text: string;
  /** Operator between the previous segment and this one ("" for the first). */
  joinedBy: Operator;
  argv: string[];
}

/**
 * Splits a shell command line at top-level `&&`, `||`, `;`, `|`, `&` and newlines, respecting quotes.
 * Subshells and braces are not descended into: a segment that opens one stays whole to its close.
 */
export function splitShell(command: string): ShellSegment[] {
  const segments: ShellSegment[] = [];
  let start = 0;
  let joinedBy: Operator = "";
  let quote: "'" | '"' | null = null;
  let depth = 0;
  const push = (end: number, next: Operator, skip: number) => {
    const text = command.slice(start, end).trim();
    if (text !== "") segments.push({ text, joinedBy, argv: tokenize(text) });
    else if (segments.length === 0) joinedBy = "";
    joinedBy = text === "" && segments.length > 0 && next === ";" ? joinedBy : next;
    start = end + skip;
  };
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === "\\") { i++; continue; }
    if (c === "'" || c === '"') { quote = c; continue; }
    if (c === "#" && (i === 0 || /\s/.test(command[i - 1] ?? ""))) {
      const nl = command.indexOf("\n", i);
      push(i, ";", nl < 0 ? command.length - i : nl - i);
      if (nl < 0) { start = command.length; break; }
      i = nl;
      continue;
    }
    if (c === "(" || c === "{") { depth++; continue; }
    if ((c === ")" || c === "}") && depth > 0) { depth--; continue; }
    if (depth > 0) continue;
    const two = command.slice(i, i + 2);
    if (two === "&&" || two === "||") { push(i, two, 2); i++; continue; }
    if (c === ";" || c === "\n") { push(i, ";", 1); continue; }
    if (c === "|") { push(i, "|", 1); continue; }
    if (c === "&" && command[i + 1] !== ">" && command[i - 1] !== ">") { push(i, "&", 1); continue; }
  }
  push(command.length, "", 0);
  return segments;
}

/** A word as the shell reads it back: left bare when it holds nothing special, else single-quoted. */
export function quoteShellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Words of one simple command, as the shell would split them: quotes and backslashes are removed,
 * variables stay as written (`$HOME` stays `$HOME`), a word starting with # ends the command.
 */
export function tokenize(text: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      word += end < 0 ? text.slice(i + 1) : text.slice(i + 1, end);
      i = end < 0 ? text.length : end;
      inWord = true;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === "\\" && /["\\$`]/.test(text[j + 1] ?? "")) j++;
        word += text[j];
      }
      i = j;
      inWord = true;
    } else if (c === "\\") {
      word += text[i + 1] ?? "";
      i++;
      inWord = true;
    } else if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else if (c === "#" && !inWord) {
      break;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** Joins segments back into one command line with the operators that joined them. */
export function joinSegments(segments: ShellSegment[]): string {
  return segments.map((s, i) => (i === 0 ? s.text : `${s.joinedBy === "" ? ";" : s.joinedBy} ${s.text}`)).join(" ");
}

/**
 * Whether a failure of segment k fails the whole RUN: every later segment is joined by `&&`. A later
 * `|| true`, `;` or pipe decides the step's exit status instead.
 */
export function failureStopsRun(segments: readonly Pick<ShellSegment, "joinedBy">[], k: number): boolean {
  return segments.slice(k + 1).every((s) => s.joinedBy === "&&");
}
