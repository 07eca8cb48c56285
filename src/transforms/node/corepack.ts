import { commandWords } from "../../analysis/commands.js";
import type { PassInput } from "../types.js";
import { commandLineWords } from "./bins.js";
import type { NodeProject } from "./project.js";

const corepackHome = "/opt/corepack";

/**
 * pnpm enabled through corepack (`RUN corepack enable`) and run by the start command: the runtime
 * enables it too and fetches that pnpm at build time into a directory every user can read, so the
 * non-root container does not download it at start (the original, as root, found it in root's cache).
 * Without a packageManager pin, corepack would look up the newest pnpm at every start; with
 * COREPACK_DEFAULT_TO_LATEST=0 it runs the release it knows, the one fetched here.
 */
export function corepackRuntimeSetup(input: PassInput, project: NodeProject, unneeded?: string): string[] {
  if (unneeded === "pnpm") return [];
  const enabled = input.facts.body.some((e) => e.run?.segments.some((s) => { const w = commandWords(s.argv); return w[0] === "corepack" && w[1] === "enable"; }));
  if (!enabled || !commandLineWords(input.runtimeText).has("pnpm")) return [];
  const pinned = /^pnpm@[\w.+-]+$/.test(project.packageManager.split("+")[0] ?? "") ? project.packageManager.split("+")[0]! : undefined;
  const fetch = pinned ? `corepack prepare ${pinned} --activate` : "COREPACK_ENABLE_DOWNLOAD_PROMPT=0 pnpm --version";
  input.report.info(`pnpm is enabled with corepack in the runtime and fetched at build time into ${corepackHome} (${pinned ? `${pinned}, from packageManager` : "the release this corepack knows, which may differ from the newest one the original fetched"}): the start command runs pnpm as a non-root user`);
  return [`ENV COREPACK_HOME=${corepackHome} COREPACK_DEFAULT_TO_LATEST=0`, `RUN corepack enable && ${fetch} && chmod -R a+rX ${corepackHome}`];
}
