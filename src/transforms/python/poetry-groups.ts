import { tomlTable } from "./toml-table.js";

/** Group names that hold development tools only: tests, linters, type checkers, documentation. */
const developmentGroup = /^(dev|devel|develop|development|test|tests|testing|lint|linting|linters?|docs?|documentation|typing|types|mypy|format|formatting|style|qa|ci|coverage|pre[-_]?commit)$|(^|[-_])(dev|tests?)$/i;

/** The dependency groups besides main that `poetry install` installs by default (not `optional = true`). */
function defaultGroups(pyproject: string): string[] {
  const groups = new Set<string>();
  if (/^\[tool\.poetry\.dev-dependencies\]\s*$/m.test(pyproject)) groups.add("dev");
  for (const match of pyproject.matchAll(/^\[tool\.poetry\.group\.(?:"([^"]+)"|([\w-]+))(?:\.dependencies)?\]\s*$/gm)) groups.add(match[1] ?? match[2]!);
  return [...groups].filter((g) => !/^\s*optional\s*=\s*true/m.test(tomlTable(pyproject, `tool.poetry.group.${g}`) ?? ""));
}

/**
 * The `poetry install` flags that leave the development groups out of the runtime and keep every other
 * group Poetry installs by default: `--only main` when no other group is left, else `--without` naming
 * the development groups (a `ta1` group the app imports stays in). Poetry stops on a group the project
 * lacks, so only groups it has are named; empty when there is nothing to leave out.
 */
export function poetryRuntimeGroupsFlag(pyproject: string | undefined, leaveOut: (group: string) => boolean = (g) => developmentGroup.test(g)): string {
  if (pyproject === undefined) return "--only main";
  const groups = defaultGroups(pyproject);
  const development = groups.filter(leaveOut);
  if (development.length === groups.length) return "--only main";
  return development.length > 0 ? `--without ${development.join(",")}` : "";
}

/** What the removed `--no-dev` meant for this project (`--without dev`), in flags Poetry 2 accepts. */
export function poetryNoDevFlag(pyproject: string | undefined): string {
  return poetryRuntimeGroupsFlag(pyproject, (g) => g === "dev");
}
