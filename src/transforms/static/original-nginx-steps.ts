import { osPackageStep } from "../../analysis/commands.js";
import type { Facts } from "../../analysis/facts.js";
import type { NginxServedSite } from "../../analysis/nginx-served-site.js";

/**
 * The original's own nginx steps that the build stage can leave out once nginx runs from its own
 * image: the COPY of its configuration, and the RUN that installs nginx alone, unless the site lives
 * where the nginx package makes it (Debian's /var/www/html), which the build then copies into.
 */
export function originalNginxSteps(facts: Facts, site: NginxServedSite): number[] {
  const siteInWorkdir = site.root.startsWith(`${facts.finalWorkdir}/`);
  return facts.body.flatMap((entry, i) => {
    if (entry.copy?.destAbs.startsWith("/etc/nginx/")) return [i];
    const steps = (entry.run?.segments ?? []).map((s) => osPackageStep(s.argv));
    const installsNginxOnly = steps.some((step) => step?.packages.includes("nginx")) && steps.every((step) => step !== undefined && step.packages.every((p) => p === "nginx"));
    return installsNginxOnly && siteInWorkdir ? [i] : [];
  });
}
