import { osPackageStep } from "./commands.js";
import type { Facts } from "./facts.js";

/** The OS packages the Dockerfile's RUN steps install (apt, apk, yum, dnf), as written (`openssl=3.0.*`). */
export function osPackagesInstalled(facts: Pick<Facts, "body">): string[] {
  return facts.body.flatMap((e) => (e.run?.segments ?? []).flatMap((s) => {
    const step = osPackageStep(s.argv);
    return step?.action === "install" ? step.packages : [];
  }));
}
