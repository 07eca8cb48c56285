import type { ImageRef } from "../analysis/image-ref.js";

// The grammar of distribution/reference, which BuildKit applies to every FROM after substitution.
const component = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*";
const repositoryPattern = new RegExp(`^${component}(?:/${component})*$`);
const tagPattern = /^[\w][\w.-]{0,127}$/;
const digestPattern = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

/** Why an image reference is not a valid one, or undefined; references with variables are not judged. */
export function referenceProblem(ref: ImageRef): string | undefined {
  if (ref.raw.includes("$")) return undefined;
  if (ref.raw === "scratch") return undefined;
  if (ref.repository === "") return `"${ref.raw}" has no repository name before its tag (invalid reference format)`;
  if (!repositoryPattern.test(ref.repository)) {
    return /[A-Z]/.test(ref.repository)
      ? `"${ref.raw}": repository names must be lowercase (invalid reference format)`
      : `"${ref.raw}" is not a valid image reference (invalid reference format)`;
  }
  if (ref.tag !== "" && !tagPattern.test(ref.tag)) return `"${ref.raw}" has an invalid tag "${ref.tag}" (invalid reference format)`;
  if (ref.digest !== "" && !digestPattern.test(ref.digest)) return `"${ref.raw}" has an invalid digest (invalid reference format)`;
  return undefined;
}
