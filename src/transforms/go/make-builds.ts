import { posix } from "node:path";
import type { BuildContext } from "../../analysis/context.js";
import { commandWords } from "../../analysis/commands.js";
import { contextFileAt } from "../../analysis/copied-file.js";
import type { ClassifiedSegment, Facts } from "../../analysis/facts.js";
import { splitShell, tokenize } from "../../parser/shell.js";

/** A go command a Makefile recipe runs, as the segment of the `make` step that runs it. */
export interface MakeGoCommand {
  /** The body index and segment of the `make` that runs the recipe. */
  i: number;
  j: number;
  segment: ClassifiedSegment;
}

/**
 * The `go build`/`go install` commands a `make` step of the Dockerfile runs (`RUN make`, `make build`,
 * `make -C src`): the recipe of each goal it names (the Makefile's first target when none), following
 * prerequisites that are other rules, with `$@` and the Makefile's simple variables substituted. The
 * Makefile is the one the build context puts where make runs.
 */
export function makeGoCommands(facts: Facts, context: BuildContext): MakeGoCommand[] {
  const found: MakeGoCommand[] = [];
  facts.body.forEach((entry, i) => {
    entry.run?.segments.forEach((s, j) => {
      const words = commandWords(s.argv);
      if (words[0] !== "make") return;
      const dirFlag = words.indexOf("-C");
      const cwd = dirFlag > 0 && words[dirFlag + 1] ? posix.resolve(s.cwd, words[dirFlag + 1]!) : s.cwd;
      const file = ["Makefile", "makefile", "GNUmakefile"].map((n) => contextFileAt(facts, context, posix.join(cwd, n))).find((f) => f !== undefined);
      const text = file && context.read(file);
      if (!text) return;
      const goals = words.slice(1).filter((w, k, all) => !w.startsWith("-") && all[k - 1] !== "-C" && all[k - 1] !== "-f" && !w.includes("="));
      for (const line of recipeLines(text, goals)) {
        for (const part of splitShell(line.text)) {
          const argv = tokenize(part.text);
          const go = commandWords(argv);
          if (go[0] === "go" && (go[1] === "build" || go[1] === "install")) found.push({ i, j, segment: { ...s, text: part.text, argv, cwd } });
        }
      }
    });
  });
  return found;
}

interface Rule {
  prerequisites: string[];
  recipe: string[];
}

function recipeLines(makefile: string, goals: string[]): { target: string; text: string }[] {
  const variables = new Map<string, string>();
  const rules = new Map<string, Rule>();
  const expandVariables = (text: string) => {
    let out = text;
    for (let k = 0; k < 5 && /\$[({]/.test(out); k++) out = out.replace(/\$[({]([A-Za-z_][\w.-]*)[)}]/g, (m, name: string) => variables.get(name) ?? m);
    return out;
  };
  let current: Rule[] = [];
  let firstTarget: string | undefined;
  for (const raw of makefile.replace(/\\\r?\n/g, " ").split(/\r?\n/)) {
    if (raw.startsWith("\t")) {
      for (const rule of current) rule.recipe.push(raw.slice(1).replace(/^[@+-]+/, "").trim());
      continue;
    }
    const assignment = /^\s*(?:export\s+|override\s+)?([A-Za-z_][\w.-]*)\s*(?::{1,3}=|\?=|=)\s*(.*?)\s*$/.exec(raw);
    if (assignment && !/^\s*[^=]*:[^=]/.test(raw.replace(/:{1,3}=.*/, ""))) {
      if (!variables.has(assignment[1]!) || !/\?=/.test(raw)) variables.set(assignment[1]!, assignment[2]!.replace(/\s+#.*$/, ""));
      current = [];
      continue;
    }
    const rule = /^([^\s:#=][^:#=]*?)\s*::?(?!=)\s*([^;#]*)/.exec(raw);
    if (!rule) {
      if (raw.trim() !== "" && !/^\s*#/.test(raw)) current = [];
      continue;
    }
    // make expands a rule's targets as it reads them
    current = expandVariables(rule[1]!).split(/\s+/).filter(Boolean).map((target) => {
      if (firstTarget === undefined && !target.startsWith(".")) firstTarget = target;
      const made: Rule = { prerequisites: rule[2]!.split(/\s+/).filter(Boolean), recipe: [] };
      rules.set(target, made);
      return made;
    });
  }
  const expand = (text: string, target: string) => expandVariables(text.replace(/\$@/g, target));
  const lines: { target: string; text: string }[] = [];
  const seen = new Set<string>();
  const visit = (target: string, depth: number) => {
    const name = expand(target, target);
    const rule = rules.get(name);
    if (!rule || seen.has(name) || depth > 4) return;
    seen.add(name);
    for (const prerequisite of rule.prerequisites) if (rules.has(expand(prerequisite, name))) visit(expand(prerequisite, name), depth + 1);
    for (const line of rule.recipe) lines.push({ target: name, text: expand(line, name) });
  };
  for (const goal of goals.length > 0 ? goals : firstTarget ? [firstTarget] : []) visit(goal, 0);
  return lines;
}
