import { aptUpdateWithArchiveFallback } from "./apt-update.js";

/**
 * Package sources the build adds (a PPA, NodeSource, packages.microsoft.com, a non-free component)
 * carried into the runtime, whose apt otherwise knows only its distribution's archive and stops with
 * "Unable to locate package". The build stage gathers its apt source lists, pins and keyrings under
 * one directory; the runtime copies it in and puts it in place after installing ca-certificates from
 * its own archive, since those sources are often served over https.
 */
export const carriedAptSourcesDir = "/tmp/apt-sources";

const aptConfiguration = ["etc/apt/sources.list.d", "etc/apt/trusted.gpg.d", "etc/apt/trusted.gpg", "etc/apt/keyrings", "etc/apt/preferences.d", "usr/share/keyrings"];

/** The build-stage step that gathers the apt sources and keys (paths relative to /, so they unpack in place). */
export function gatherAptSourcesStep(): string {
  return `RUN mkdir -p ${carriedAptSourcesDir} && cd / && for p in ${aptConfiguration.join(" ")}; do if [ -e "$p" ]; then cp -a --parents "$p" ${carriedAptSourcesDir}/; fi; done`;
}

export function copyAptSourcesLine(source: string): string {
  return `COPY --from=${source} ${carriedAptSourcesDir}/ ${carriedAptSourcesDir}/`;
}

/**
 * The runtime's install with the carried sources in place: ca-certificates first from the
 * distribution's archive, then the sources, then the packages (with the licence answer the original
 * gave, ACCEPT_EULA=Y for Microsoft's packages).
 */
export function installWithCarriedSources(packages: readonly string[], oldRelease: boolean, recommends: boolean, acceptEula: boolean): string {
  const update = oldRelease ? aptUpdateWithArchiveFallback : "apt-get update";
  return `RUN ${update} && apt-get install -y --no-install-recommends ca-certificates && cp -a ${carriedAptSourcesDir}/. / && rm -rf ${carriedAptSourcesDir} && ${update} && ${acceptEula ? "ACCEPT_EULA=Y " : ""}apt-get install -y ${recommends ? "" : "--no-install-recommends "}${packages.join(" ")} && rm -rf /var/lib/apt/lists/*`;
}
