import type { Facts } from "../../analysis/facts.js";
import type { Report } from "../../report.js";
import { copyInstruction } from "./copy-instruction.js";

/**
 * When the whole context is copied before the dependency install, a COPY of just the manifests is
 * inserted before it and the install runs against them, so source edits do not invalidate the
 * dependency layer. Only when the install needs nothing but those files.
 */
export function manifestFirstCopy(facts: Facts, installIndex: number, manifests: string[], blockers: string[], report: Report): { at: number; text: string; moveInstall: boolean } | undefined {
  const copyIndex = facts.body.findIndex((e, i) => i < installIndex && e.copy && !e.copy.fromImage && e.copy.sources.some((s) => s === "." || s === "./"));
  if (copyIndex < 0) return undefined;
  const manifestCopied = facts.body.slice(0, copyIndex).some((e) => e.copy && !e.copy.fromImage && e.copy.sources.some((s) => manifests.some((m) => globMatches(s, m))));
  if (manifestCopied) return undefined;
  const between = facts.body.slice(copyIndex + 1, installIndex);
  const install = facts.body[installIndex]!;
  if (between.length > 0 || !install.run?.segments.every((s) => s.kind === "deps")) {
    report.info("the dependency install is not a step of its own right after the source COPY; the order is kept");
    return undefined;
  }
  if (blockers.length > 0) {
    report.info(`manifests are not copied before the sources: ${blockers[0]}`);
    return undefined;
  }
  // each manifest lands where the whole-context COPY put it (`requirements/base.txt` under the destination's
  // requirements/): one COPY can do that only for manifests of one directory
  const dirs = [...new Set(manifests.map((m) => (m.includes("/") ? m.slice(0, m.lastIndexOf("/")) : "")))];
  if (dirs.length > 1) {
    report.info(`the dependency manifests (${manifests.join(", ")}) lie in several directories; the order is kept`);
    return undefined;
  }
  const copy = facts.body[copyIndex]!.copy!;
  const flags = Object.entries(copy.flags).filter(([name]) => name === "chown" || name === "chmod").map(([name, value]) => `--${name}=${value}`);
  const base = copy.dest.endsWith("/") ? copy.dest : `${copy.dest === "." ? "." : copy.dest}/`;
  const dest = dirs[0] ? `${base === "./" ? "" : base}${dirs[0]}/` : base;
  report.info(`${manifests.join(", ")} copied before the sources so the dependency layer is cached across source changes`);
  return { at: copyIndex, text: copyInstruction(flags, manifests, dest), moveInstall: true };
}

/** Whether a COPY source (a path or a glob such as `package*.json`) names the file. */
export function globMatches(pattern: string, name: string): boolean {
  const clean = pattern.replace(/^\.\//, "");
  const body = clean.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]");
  // `[` opens a character class; one that never closes (`[app,` of a broken JSON form) is a plain character
  const closed = (() => { try { return new RegExp(`^${body}$`); } catch { return undefined; } })();
  return (closed ?? new RegExp(`^${body.replace(/[[\]]/g, "\\$&")}$`)).test(name);
}
