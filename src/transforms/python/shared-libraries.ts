import { aptUpdateWithArchiveFallback } from "../common/apt-update.js";
import { openedSonames } from "./dlopened-libraries.js";

/**
 * Shared libraries follow the build, not the Dockerfile text: a package compiled in the full image
 * links whatever libraries that image had. The build stage records the Debian packages that own the
 * libraries the installed `.so` files and binaries link against (and the library packages the
 * original's `-dev` packages depend on, for ctypes users); the runtime installs those it lacks
 * under the names of its own release, and a last step fails the build when a library is still
 * missing instead of the container crashing at start.
 */

/** Where the build stage writes the package list (readable and writable by any build user). */
export const runtimePackagesFile = "/tmp/runtime-packages.txt";

/** `executablesUnder`: directories whose executable files are programs too (a downloaded browser). */
function findLinked(dirs: string[], venvBins: string[], executablesUnder: string[] = []): string {
  const bins = venvBins.map((b) => ` -o -path '${b}/*'`).join("");
  const executables = executablesUnder.map((d) => ` -o \\( -path '${d}/*' -perm -u+x \\)`).join("");
  return `find ${dirs.join(" ")} -type f \\( -name '*.so' -o -name '*.so.*'${bins}${executables} \\)`;
}

/** Build-stage command (Debian family) that writes the runtime package list; lines continue with ` \`. */
export function recordRuntimePackages(dirs: string[], venvBins: string[], devPackages: string[], escape = "\\", executablesUnder: string[] = [], opensLibraries = false): string {
  const ldd = `${findLinked(dirs, venvBins, executablesUnder)} -exec ldd {} + 2>/dev/null`;
  const resolvedPaths = `awk '$2 == "=>" && $3 ~ /^\\// {print $3}'`;
  const linked = [`{ ${ldd}`, `    | ${resolvedPaths} | sort -u`];
  // libraries modules open by name (cffi, ctypes) join the linked ones, found where the build image has them
  const opened = [
    `{ { ${ldd} | ${resolvedPaths}`,
    `    ; ${openedSonames(dirs)} | while read -r so; do ldconfig -p | awk -v so="$so" '$1 == so {print $NF}'; done`,
    `    ; } | sort -u`,
  ];
  const lines = [
    ...(opensLibraries ? opened : linked),
    `    | while read -r lib; do real=$(readlink -f "$lib"); dpkg -S "*\${real#/usr}" "*\${lib#/usr}" 2>/dev/null; done`,
    `    | grep -v '^diversion' | cut -d: -f1 | tr ',' '\\n'`,
    ...(devPackages.length > 0 ? [`  ; dpkg-query -W -f='\${Depends},' ${devPackages.join(" ")} 2>/dev/null | tr ',' '\\n' | sed -e 's/([^)]*)//g' -e 's/|.*//' -e 's/:any//'`] : []),
    `  ; } | tr -d ' ' | grep -v -e '^$' -e '-dev$' -e '-dev-compat$' | sort -u > ${runtimePackagesFile}`,
  ];
  return lines.join(` ${escape}\n`);
}


/** Runtime lines (Debian family): install the recorded packages the runtime image does not have. */
export function installRecordedPackages(source: string): string[] {
  return [
    `COPY --from=${source} ${runtimePackagesFile} ${runtimePackagesFile}`,
    `RUN packages=$(for p in $(cat ${runtimePackagesFile}); do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done) && rm ${runtimePackagesFile} && if [ -n "$packages" ]; then ${aptUpdateWithArchiveFallback} && apt-get install -y --no-install-recommends $packages && rm -rf /var/lib/apt/lists/*; fi`,
  ];
}

/** Runtime check: every shared library the copied `.so` files and binaries need resolves. */
export function checkLibraries(dirs: string[], venvBins: string[]): string {
  return `RUN missing=$(${findLinked(dirs, venvBins)} -exec ldd {} + 2>/dev/null | grep 'not found' | sort -u); if [ -n "$missing" ]; then echo "the runtime image lacks shared libraries that installed packages link against:" $missing >&2; exit 1; fi`;
}

/**
 * Build-stage command (Alpine) that writes the runtime package list: `so:NAME` for each library the
 * installed files link against that they do not carry themselves (apk installs whichever package of
 * the release provides it, as the official python images' own Dockerfiles do), and the library
 * packages the original's `-dev` packages depend on (libssl1.1 on 3.14, libssl3 on 3.17). scanelf is
 * added first where the image lacks it; if that fails too, only the `-dev` dependencies are recorded.
 */
export function recordAlpineRuntimePackages(dirs: string[], devPackages: string[], escape = "\\", opensLibraries = false): string {
  const lines = [
    // an image whose build removed pax-utils may lack scanelf: the build installs it (it has the network its apk add had)
    `{ { command -v scanelf >/dev/null 2>&1 || apk add --no-cache scanelf >/dev/null 2>&1 || apk add --no-cache pax-utils >/dev/null 2>&1; }`,
    `  ; scanelf --needed --nobanner --format '%n#p' --recursive ${dirs.join(" ")} 2>/dev/null | tr ',' '\\n' | sort -u`,
    `    | while read -r so; do [ -z "$so" ] || [ -n "$(find ${dirs.join(" ")} -name "$so" -print -quit)" ] || echo "so:$so"; done`,
    ...(opensLibraries ? [`  ; ${openedSonames(dirs)} | while read -r so; do [ -z "$(find /lib /usr/lib -name "$so" -print -quit)" ] || echo "so:$so"; done`] : []),
    ...(devPackages.length > 0 ? [`  ; apk info -R ${devPackages.join(" ")} 2>/dev/null | grep -v -e 'depends on:$' -e '^pc:' -e '^cmd:' | sed 's/[<>=~].*//'`] : []),
    // a -dev package may depend on a toolchain (postgresql17-dev on clang and llvm for its JIT headers): never a runtime library
    `  ; } | grep -v -e '^$' -e '-dev$' -e '-headers$' -e '^pkgconf' -e '^clang' -e '^llvm' -e '^lld' -e '^gcc' -e '^g++' -e '^binutils' -e '^make$' -e '^musl-dev' | sort -u > ${runtimePackagesFile}`,
  ];
  return lines.join(` ${escape}\n`);
}

/** Runtime lines (Alpine): add the recorded libraries the runtime image does not have. */
export function installRecordedAlpinePackages(source: string): string[] {
  return [
    `COPY --from=${source} ${runtimePackagesFile} ${runtimePackagesFile}`,
    `RUN packages=$(for p in $(cat ${runtimePackagesFile}); do case "$p" in so:*) f=\${p#so:}; [ -e "/lib/$f" ] || [ -e "/usr/lib/$f" ] || [ -e "/usr/local/lib/$f" ] || echo "$p" ;; *) apk info -e "$p" >/dev/null 2>&1 || echo "$p" ;; esac; done) && rm ${runtimePackagesFile} && if [ -n "$packages" ]; then apk add --no-cache $packages; fi`,
  ];
}
