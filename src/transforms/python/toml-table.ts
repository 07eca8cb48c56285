/** The body of the TOML table `[name]` (pyproject.toml, Pipfile), up to the next table header; undefined when absent. */
export function tomlTable(toml: string, name: string): string | undefined {
  const start = toml.search(new RegExp(`^\\[${name.replace(/\./g, "\\.")}\\]\\s*$`, "m"));
  if (start < 0) return undefined;
  const rest = toml.slice(start).split(/\r?\n/).slice(1);
  const end = rest.findIndex((l) => /^\s*\[/.test(l));
  return (end < 0 ? rest : rest.slice(0, end)).join("\n");
}
