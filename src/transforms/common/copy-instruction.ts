/**
 * A COPY line msb writes. Paths with white space take the JSON form, the only one BuildKit reads
 * them in (`COPY --from=build ["/my app/bin", "/my app/bin"]`).
 */
export function copyInstruction(flags: readonly string[], sources: readonly string[], dest: string): string {
  const flagText = flags.filter((f) => f !== "").map((f) => `${f} `).join("");
  const paths = [...sources, dest];
  if (paths.some((p) => /\s/.test(p))) return `COPY ${flagText}[${paths.map((p) => JSON.stringify(p)).join(", ")}]`;
  return `COPY ${flagText}${paths.join(" ")}`;
}

/** `COPY --from=STAGE [--chown=OWNER] PATH PATH`: a path taken over unchanged from another stage (root, COPY's own owner, needs no --chown). */
export const copyFromStage = (stage: string, path: string, target = path, chown?: string): string =>
  copyInstruction([`--from=${stage}`, chown && !isRootOwner(chown) ? `--chown=${chown}` : ""], [path], target);

/** `root`, `root:root`, `0:0`: the owner COPY gives files anyway. */
export const isRootOwner = (owner: string): boolean => /^(root|0)(:(root|0))?$/.test(owner);

/** A pattern that matches the file when it exists and nothing otherwise (`.env` → `.en[v]`). */
export function optionalGlob(path: string): string {
  return path.replace(/(.)$/, "[$1]");
}
