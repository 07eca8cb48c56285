import type { Facts } from "../../analysis/facts.js";
import { unsupported } from "../../errors.js";
import { commandWords, packageScript } from "../../analysis/commands.js";

/** Whether a RUN step of the original makes a production build (a build script, or a build CLI). */
export function hasBuildStep(facts: Facts): boolean {
  return facts.body.some((entry) =>
    (entry.run?.segments ?? []).some((segment) => {
      if (segment.kind === "build") return true;
      const words = commandWords(segment.argv);
      const script = packageScript(words);
      if (script && /build|generate|export/.test(script.script)) return true;
      const tool = words[0] === "npx" ? words.slice(1).find((w) => !w.startsWith("-")) : words[0];
      const verb = words[0] === "npx" ? words[words.indexOf(tool ?? "") + 1] : words[1];
      return tool !== undefined && /^(ng|nuxt|nuxi|next|react-scripts|vue-cli-service|gatsby|astro|remix|svelte-kit)$/.test(tool) && /^(build|generate|export)$/.test(verb ?? "");
    }),
  );
}

/**
 * The body index a build step goes in front of: after the last COPY of the build context and after
 * the dependency installs (a build before `npm install` has no toolchain to run).
 */
export function buildInsertIndex(facts: Facts): number {
  let last = -1;
  facts.body.forEach((entry, i) => {
    if ((entry.copy && !entry.copy.fromImage) || entry.run?.segments.some((s) => s.kind === "deps")) last = i;
  });
  return last + 1;
}

const manifestFile = /^(package(-lock)?\.json|package\*\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|pnpm-workspace\.yaml|\.npmrc|\.yarnrc(\.yml)?|\.nvmrc|bun\.lockb?)$/;

/** Refuses a dev-server image that copies only manifests and lockfiles: its sources are mounted at run time. */
export function requireCopiedSources(facts: Facts): void {
  const copies = facts.body.some((entry) => entry.copy && !entry.copy.fromImage && entry.copy.sources.some((src) => !manifestFile.test(src.replace(/^\.\//, "").split("/").pop() ?? "")));
  if (!copies) throw unsupported("development image: only package.json and lockfiles are copied, so the sources are mounted when the container runs; there is nothing to build a production image from");
}
