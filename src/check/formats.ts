import type { Log, ReportingDescriptor, Result } from "sarif";
import type { CheckFinding, CheckStatus } from "./check.js";
import { version } from "../version.js";

export type Format = "text" | "json" | "sarif" | "github";
export const formats: readonly Format[] = ["text", "json", "sarif", "github"];

interface Rule {
  id: string;
  name: string;
  status: CheckStatus;
  level: "error" | "warning" | "note" | "none";
  description: string;
}

/** One rule per outcome that deserves attention; multi-stage files produce no result. */
export const rules: Rule[] = [
  { id: "MSB001", name: "single-stage-convertible", status: "convertible", level: "warning", description: "Single-stage Dockerfile that ships its build tools; msb convert can split it into build, test and runtime stages." },
  { id: "MSB002", name: "unsupported-stack", status: "unsupported", level: "note", description: "Single-stage Dockerfile whose stack msb does not convert." },
  { id: "MSB003", name: "unusable-dockerfile", status: "unusable", level: "error", description: "File that cannot be read or parsed as a Dockerfile." },
];

const ruleFor = (status: CheckStatus) => rules.find((r) => r.status === status);

/** The JSON schema msb documents: version 1, one entry per file. */
export function toJson(findings: CheckFinding[]): string {
  return `${JSON.stringify(
    {
      version: 1,
      tool: { name: "msb", version },
      summary: countByStatus(findings),
      files: findings.map(({ converted: _converted, ...f }) => ({ ...f, rule: ruleFor(f.status)?.id ?? null })),
    },
    null,
    2,
  )}\n`;
}

export function countByStatus(findings: CheckFinding[]): Record<CheckStatus, number> {
  const counts: Record<CheckStatus, number> = { convertible: 0, "multi-stage": 0, unsupported: 0, unusable: 0 };
  for (const f of findings) counts[f.status]++;
  return counts;
}

export function toSarif(findings: CheckFinding[]): string {
  const descriptors: ReportingDescriptor[] = rules.map((r) => ({
    id: r.id,
    name: r.name,
    shortDescription: { text: r.description.split(";")[0]! },
    fullDescription: { text: r.description },
    defaultConfiguration: { level: r.level },
  }));
  const results: Result[] = findings.flatMap((f) => {
    const rule = ruleFor(f.status);
    if (!rule) return [];
    return [{
      ruleId: rule.id,
      ruleIndex: rules.indexOf(rule),
      level: rule.level,
      message: { text: f.fix ? `${f.message}. Fix: ${f.fix}` : f.message },
      locations: [{ physicalLocation: { artifactLocation: { uri: f.file.split("\\").join("/").replace(/^\.\//, "") }, region: { startLine: f.line } } }],
    }];
  });
  const log: Log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [{ tool: { driver: { name: "msb", version, informationUri: "https://www.npmjs.com/package/dockerfile-multistage", rules: descriptors } }, results }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

const escapeData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

/** GitHub Actions workflow commands: one annotation per file that needs attention. */
export function toGithub(findings: CheckFinding[]): string {
  const level = { convertible: "warning", unsupported: "notice", unusable: "error" } as const;
  return findings
    .filter((f) => f.status !== "multi-stage")
    .map((f) => {
      const kind = level[f.status as keyof typeof level];
      const rule = ruleFor(f.status)!;
      return `::${kind} file=${escapeProperty(f.file)},line=${f.line},title=${escapeProperty(`msb ${rule.id}`)}::${escapeData(f.fix ? `${f.message}. Fix: ${f.fix}` : f.message)}\n`;
    })
    .join("");
}

export function toText(findings: CheckFinding[], colour: { red(s: string): string; yellow(s: string): string; green(s: string): string; dim(s: string): string }): string {
  const mark: Record<CheckStatus, string> = {
    convertible: colour.yellow("convert"),
    "multi-stage": colour.green("ok"),
    unsupported: colour.dim("unsupported"),
    unusable: colour.red("unusable"),
  };
  const lines = findings.map((f) => `${f.file}:${f.line}: ${mark[f.status]}: ${f.message}${f.fix ? `\n  fix: ${f.fix}` : ""}`);
  const c = countByStatus(findings);
  lines.push(`${findings.length} Dockerfile${findings.length === 1 ? "" : "s"}: ${c.convertible} to convert, ${c["multi-stage"]} multi-stage, ${c.unsupported} unsupported, ${c.unusable} unusable`);
  return `${lines.join("\n")}\n`;
}
