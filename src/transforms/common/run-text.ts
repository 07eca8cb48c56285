import type { InstructionFacts } from "../../analysis/facts.js";
import { joinSegments, type ShellSegment } from "../../parser/shell.js";

/**
 * The text of a RUN after some of its simple commands were rewritten, keeping the original layout
 * (continuations, comments) when each rewritten command can be found verbatim, else on one line.
 */
export function runText(entry: InstructionFacts, rewrites: Map<number, string> | undefined, only?: ShellSegment[]): string {
  const run = entry.run!;
  const segments = run.segments.map((s, i) => ({ ...s, text: rewrites?.get(i) ?? s.text }));
  if (only === undefined) {
    if (!rewrites || rewrites.size === 0) return entry.ins.text;
    let text = entry.ins.text;
    let inPlace = true;
    for (const [i, replacement] of rewrites) {
      const original = run.segments[i]!.text;
      const at = text.indexOf(original);
      if (at < 0 || text.indexOf(original, at + 1) >= 0) {
        inPlace = false;
        break;
      }
      text = text.slice(0, at) + replacement + text.slice(at + original.length);
    }
    if (inPlace) return text;
    return oneLine(entry, segments);
  }
  const chosen = only.map((s) => segments[run.segments.indexOf(s as (typeof run.segments)[number])] ?? s);
  return oneLine(entry, chosen);
}

/** The RUN on one line; comment lines that were inside it go above it, so none is lost. */
function oneLine(entry: InstructionFacts, segments: ShellSegment[]): string {
  const keyword = /^\s*(\S+)/.exec(entry.ins.text)?.[1] ?? "RUN";
  const flags = entry.run?.flagsText ? `${entry.run.flagsText} ` : "";
  const comments = entry.ins.text.split(/\r?\n/).slice(1).filter((l) => /^\s*#/.test(l));
  return [...comments, `${keyword} ${flags}${joinSegments(segments.map((s, i) => (i === 0 ? { ...s, joinedBy: "" as const } : s)))}`].join("\n");
}

/** Adds `--mount=type=cache,target=…` flags right after the RUN keyword. */
export function withCacheMounts(text: string, targets: string[]): string {
  if (targets.length === 0) return text;
  const mounts = targets.map((t) => `--mount=type=cache,target=${t}`).join(" ");
  return text.replace(/^(\s*RUN\s+)/i, `$1${mounts} `);
}
