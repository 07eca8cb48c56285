import type { Facts } from "../../analysis/facts.js";

// a piped script counts when it is a repository set-up script (NodeSource's setup_20.x, packagecloud's
// script.deb.sh), not a tool's own installer (astral.sh/uv, install.python-poetry.org)
const setupScript = /\b(?:curl|wget)\b[^|;&]*(?:nodesource\.com|\/setup_[\w.]+|script\.deb\.sh|packagecloud\.io|get\.docker\.com|repo[\w-]*\.sh)[^|;&]*\|\s*(?:sudo\s+)?(?:-E\s+)?(?:ba)?sh\b/;
const sourceSetup = /sources\.list\.d|add-apt-repository|apt-key\s+add|signed-by=/;

/**
 * The line of the first RUN that adds a package source of its own (NodeSource's setup script, a
 * vendor's sources.list.d entry): packages installed after it may come from there, while the runtime
 * installs its packages from its own distribution only.
 */
export function thirdPartyAptSourceLine(facts: Facts): number | undefined {
  const entry = facts.body.find((e) => e.run && (setupScript.test(e.ins.text) || sourceSetup.test(e.ins.text)));
  return entry ? entry.ins.startLine + 1 : undefined;
}
