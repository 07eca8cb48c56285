/** An exec-form argument list as Docker's documentation writes it: `["a", "b"]`. */
export function execForm(argv: readonly string[]): string {
  return `[${argv.map((a) => JSON.stringify(a)).join(", ")}]`;
}
