import type { SourceInstruction } from "../../parser/document.js";

const secretName = /(SECRET|PASSWORD|PASSWD|PASSPHRASE|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL|AUTH)/i;

/** Whether a variable name looks like it carries a secret (such values must not be baked into the runtime image). */
export function looksSecret(name: string): boolean {
  return secretName.test(name);
}

interface Ranged {
  getName(): string;
  getValue(): string | null;
  getNameRange(): { start: { line: number; character: number } };
  getValueRange(): { end: { line: number; character: number } } | null;
}

/**
 * The ENV instruction without the named variables, written `ENV name=value …` with each kept pair's
 * source text as written (quotes and `$` references untouched); undefined when nothing remains.
 */
export function envWithout(ins: SourceInstruction, drop: (name: string) => boolean): string | undefined {
  const lines = ins.text.split(/\r?\n/);
  const properties = (ins.node as unknown as { getProperties?: () => Ranged[] }).getProperties?.() ?? [];
  const keep = properties.filter((p) => !drop(p.getName()));
  if (keep.length === 0) return undefined;
  if (keep.length === properties.length) return ins.text;
  // only the `name=value` form has several pairs (the legacy `ENV NAME value` form has one)
  const slice = (p: Ranged) => {
    const start = p.getNameRange().start;
    const end = p.getValueRange()?.end;
    if (!end) return `${p.getName()}=`;
    if (end.line === start.line) return (lines[start.line - ins.startLine] ?? "").slice(start.character, end.character);
    return `${p.getName()}=${JSON.stringify(p.getValue() ?? "")}`;
  };
  return `ENV ${keep.map(slice).join(" ")}`;
}
