import { commandWords } from "../../analysis/commands.js";
import { copiedBefore } from "../../analysis/copied-before.js";
import type { BuildContext } from "../../analysis/context.js";
import { dockerignore } from "../../analysis/dockerignore.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";

const lockfiles = ["package-lock.json", "npm-shrinkwrap.json"];

/**
 * Rejects (exit 2) `npm ci` where the copies before it bring package.json but no package-lock.json or
 * npm-shrinkwrap.json (the context lacks one, or .dockerignore leaves it out): npm ci stops with
 * EUSAGE, "can only install with an existing package-lock.json". Judged only where those copies are
 * understood (the whole context, or single files and top-level patterns such as `package*.json`).
 */
export function rejectNpmCiWithoutLockfile(facts: Facts, context: BuildContext): void {
  const ignored = dockerignore(context.read(".dockerignore"));
  facts.body.forEach((entry, index) => {
    for (const segment of entry.run?.segments ?? []) {
      const words = commandWords(segment.argv);
      if (words[0]?.split("/").pop() !== "npm" || !["ci", "clean-install", "install-clean"].includes(words[1] ?? "")) continue;
      const copied = copiedBefore(facts, context, index, segment.cwd);
      if (!copied) continue;
      const present = (name: string) => (copied.files.has(name) || (copied.wholeContext && context.kind(name) === "file")) && !ignored(name);
      if (!present("package.json") || lockfiles.some(present)) continue;
      const gitIgnored = /^\/?(package-lock\.json|npm-shrinkwrap\.json)\s*$/m.test(context.read(".gitignore") ?? "");
      const inContext = lockfiles.filter((name) => context.kind(name) === "file");
      const why = inContext.length === 0 ? "the build context has none" : inContext.every(ignored) ? ".dockerignore leaves it out" : `no COPY before it brings ${inContext.join(" or ")} into ${segment.cwd}`;
      throw unusable(`line ${entry.ins.startLine + 1}: \`${segment.text.trim()}\` cannot run: npm ci installs only from a package-lock.json or npm-shrinkwrap.json, and ${why} (npm stops with EUSAGE); commit the lockfile${gitIgnored ? " (.gitignore lists it)" : ""}, or run \`${["npm", "install", ...words.slice(2)].join(" ")}\` instead`);
    }
  });
}
