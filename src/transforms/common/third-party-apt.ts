import type { Facts } from "../../analysis/facts.js";
import { unsupported } from "../../errors.js";

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

/** Packages only their vendor's apt source has: Debian's and Ubuntu's archives never carry them. */
const vendorOnly = /^(msodbcsql\d*|mssql-tools\d*|google-chrome-(stable|beta|unstable)|docker-ce(-cli)?|containerd\.io|docker-(buildx|compose)-plugin|terraform|mongodb-org[\w-]*|mongodb-mongosh|powershell)$/;

/**
 * Refuses (exit 3) a runtime that would install a package only the original's own package source has
 * (msodbcsql18 from packages.microsoft.com; `line` is thirdPartyAptSourceLine's): the runtime installs from
 * its distribution's archive, where apt stops with "Unable to locate package", and msb does not carry
 * package sources, keys and licence answers (ACCEPT_EULA) into the runtime.
 */
export function refuseVendorOnlyRuntimePackages(line: number | undefined, runtimePackages: readonly string[]): void {
  if (line === undefined) return;
  const vendor = runtimePackages.map((p) => p.replace(/[=<>].*$/, "")).filter((p) => vendorOnly.test(p));
  if (vendor.length === 0) return;
  throw unsupported(`the runtime would need ${vendor.join(", ")}, which comes only from the package source line ${line} adds, not from the distribution's archive; msb does not carry package sources, their keys and licence answers into the runtime, so apt would stop with "Unable to locate package" (install it in a runtime stage of your own that adds the same source)`);
}
