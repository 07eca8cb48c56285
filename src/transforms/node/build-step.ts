import type { Facts } from "../../analysis/facts.js";
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

/** The body index a build step goes in front of: right after the last COPY of the build context. */
export function buildInsertIndex(facts: Facts): number {
  let last = -1;
  facts.body.forEach((entry, i) => {
    if (entry.copy && !entry.copy.fromImage) last = i;
  });
  return last + 1;
}
