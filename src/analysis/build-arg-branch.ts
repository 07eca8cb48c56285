import type { Facts } from "./facts.js";
import { argsOf } from "../parser/document.js";

/** A RUN whose shell script picks one of two commands by a build argument. */
export interface BuildArgBranch {
  /** 1-based line of the RUN. */
  line: number;
  variable: string;
  /** The value the variable has in a build without --build-arg: its ARG default or ENV value, "" when unset. */
  value: string;
  chosen: string;
  other: string;
  /** Whether the chosen command is the `then` branch. */
  thenChosen: boolean;
  /** The RUN instruction as the original has it. */
  original: string;
  /** The Dockerfile text with that RUN running the chosen command directly (same line count). */
  rewritten: string;
}

// `if [ $INSTALL_DEV == 'true' ] ; then A ; else B ; fi`, with [[ ]], = or !=, quoted or not
const branchScript = /^\s*if\s+\[\[?\s+"?\$\{?(\w+)\}?"?\s+(==?|!=)\s+(?:"([^"]*)"|'([^']*)'|([^\s\]]*))\s+\]\]?\s*;\s*then\s+(.+?)\s*;\s*else\s+(.+?)\s*;?\s*fi\s*$/s;

/** The value a build gives the variable at the instruction `before`: the last ARG default or ENV value before it. */
function valueBefore(facts: Facts, before: number, variable: string): string | undefined {
  let value: string | undefined;
  for (const entry of facts.body.slice(0, before)) {
    if (entry.keyword !== "ARG" && entry.keyword !== "ENV") continue;
    for (const m of argsOf(entry.ins).matchAll(/(?:^|\s)(\w+)(?:=("[^"]*"|'[^']*'|\S*))?/g)) {
      if (m[1] !== variable) continue;
      if (m[2] !== undefined) value = m[2].replace(/^(["'])(.*)\1$/, "$2");
      else if (entry.keyword === "ARG" && value === undefined) value = "";
    }
  }
  return value;
}

/**
 * The first RUN of the form `bash -c "if [ $INSTALL_DEV == 'true' ] ; then poetry install ; else
 * poetry install --only main ; fi"` (also `sh -c`) whose variable is a build argument or ENV of the
 * stage: the command a default build runs, and the Dockerfile rewritten to run it directly, so the
 * install it does is seen.
 */
export function buildArgBranch(text: string, facts: Facts, eol: string): BuildArgBranch | undefined {
  for (const [index, entry] of facts.body.entries()) {
    const segments = entry.run?.segments ?? [];
    const argv = segments[0]?.argv ?? [];
    if (segments.length !== 1 || argv.length !== 3 || !/^(\/bin\/|\/usr\/bin\/)?(ba)?sh$/.test(argv[0]!) || argv[1] !== "-c") continue;
    const m = branchScript.exec(argv[2]!);
    if (!m) continue;
    const variable = m[1]!;
    const value = valueBefore(facts, index, variable);
    if (value === undefined) continue;
    const compared = m[3] ?? m[4] ?? m[5] ?? "";
    const matches = (value === compared) === (m[2] !== "!=");
    const [chosen, other] = matches ? [m[6]!, m[7]!] : [m[7]!, m[6]!];
    const lines = text.split(/\r?\n/);
    const count = entry.ins.text.split(/\r?\n/).length;
    const flags = entry.run!.flagsText ? `${entry.run!.flagsText} ` : "";
    lines.splice(entry.ins.startLine, count, `RUN ${flags}${chosen}`, ...Array<string>(count - 1).fill(""));
    return { line: entry.ins.startLine + 1, variable, value, chosen, other, thenChosen: matches, original: entry.ins.text, rewritten: lines.join(eol) };
  }
  return undefined;
}
