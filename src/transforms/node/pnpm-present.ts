import { commandWords } from "../../analysis/commands.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";

/** Steps that make a `pnpm` command exist: corepack, a global install, pnpm's installer, a copied binary. */
const provides = /\bcorepack\b|\bnpm\s+(?:[\w-]+\s+)*(?:install|i|add)\s+(?:[^&|;]*\s)?(?:-g|--global)\b[^&|;]*\bpnpm\b|\bnpm\s+(?:-g|--global)\s+(?:install|i|add)\b[^&|;]*\bpnpm\b|\byarn\s+global\s+add\b[^&|;]*\bpnpm\b|get\.pnpm\.io|pnpm\/pnpm|\bnpx\s+(?:--yes\s+|-y\s+)?pnpm/;

/**
 * Rejects (exit 2) a build on an official node image that runs `pnpm` before any step provides it:
 * those images ship npm and yarn 1 only (corepack is there but not enabled), so the original cannot build.
 */
export function rejectMissingPnpm(facts: Facts): void {
  const image = facts.resolvedImage;
  const official = image.name === "node" && ["", "docker.io", "index.docker.io"].includes(image.registry) && /^(library\/)?node$/.test(image.repository);
  if (!official) return;
  for (const entry of facts.body) {
    if (entry.copy && /pnpm/.test(entry.ins.text)) return;
    if (!entry.run) continue;
    for (const segment of entry.run.segments) {
      if (provides.test(segment.text)) return;
      const program = commandWords(segment.argv)[0]?.split("/").pop();
      if (program === "pnpm" || program === "pnpx") {
        throw unusable(`line ${entry.ins.startLine + 1}: runs ${program}, which ${image.raw} does not have (official node images ship npm and yarn 1; corepack is present but not enabled): add "RUN corepack enable" or "RUN npm install -g pnpm" before it`);
      }
    }
  }
}
