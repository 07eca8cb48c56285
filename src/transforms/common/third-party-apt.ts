import type { Facts } from "../../analysis/facts.js";

const sourceSetup = /\bcurl\b[^|;&]*\|\s*(?:sudo\s+)?(?:-E\s+)?(?:ba)?sh\b|\bwget\b[^|;&]*\|\s*(?:sudo\s+)?(?:ba)?sh\b|sources\.list\.d|add-apt-repository|apt-key\s+add|signed-by=/;

/**
 * The line of the first RUN that adds a package source of its own (NodeSource's setup script, a
 * vendor's sources.list.d entry): packages installed after it may come from there, while the runtime
 * installs its packages from its own distribution only.
 */
export function thirdPartyAptSourceLine(facts: Facts): number | undefined {
  const entry = facts.body.find((e) => e.run && sourceSetup.test(e.ins.text));
  return entry ? entry.ins.startLine + 1 : undefined;
}
