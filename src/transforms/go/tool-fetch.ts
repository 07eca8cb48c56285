import { goCommandWords } from "../../analysis/commands.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { atLeast, type GoVersion } from "./toolchain.js";

const migrateV3Command = /^github\.com\/golang-migrate\/migrate\/cmd\/migrate(@(latest|upgrade|patch))?$/;
const migrateLatest = /^github\.com\/golang-migrate\/migrate\/v4\/cmd\/migrate@latest$/;

/**
 * Rejects (exit 2) a `go get`/`go install` of golang-migrate's command that cannot build:
 * - without the `/v4` suffix in module mode, the module resolves to v3.5.4+incompatible, which has no
 *   cmd/migrate ("module … found, but does not contain package");
 * - `…/v4/cmd/migrate@latest` on an image Go before 1.21: the latest release asks for Go 1.24
 *   (`go 1.24.0` in go.mod; 1.22 since v4.18.1), and Go before 1.21 cannot switch toolchains
 *   (golang-migrate/migrate#1163).
 * `imageVersion` is the Go of the golang image's tag, not go.mod's minimum.
 */
export function rejectUnbuildableMigrateFetch(facts: Facts, imageVersion: GoVersion | undefined, modules: boolean): void {
  for (const entry of facts.body) {
    for (const segment of entry.run?.segments ?? []) {
      const words = goCommandWords(segment.argv);
      if (words[0] !== "go" || (words[1] !== "get" && words[1] !== "install")) continue;
      const args = words.slice(2).filter((w) => !w.startsWith("-"));
      const line = entry.ins.startLine + 1;
      if (modules && args.some((a) => migrateV3Command.test(a))) {
        throw unusable(`line ${line}: \`${segment.text.trim()}\` cannot build: in module mode github.com/golang-migrate/migrate resolves to v3.5.4+incompatible, which has no package cmd/migrate (install the command with \`go install github.com/golang-migrate/migrate/v4/cmd/migrate@<version>\`, or drop the step if nothing runs migrate)`);
      }
      if (imageVersion && !atLeast(imageVersion, 1, 21) && args.some((a) => migrateLatest.test(a))) {
        throw unusable(`line ${line}: \`${segment.text.trim()}\` cannot build: golang-migrate's latest release asks for Go 1.24 in its go.mod, and Go ${imageVersion.major}.${imageVersion.minor} (${imageVersion.source}) cannot build it nor switch toolchains, which Go does from 1.21 (pin a release whose go.mod this Go accepts, such as @v4.17.1 with go 1.18, or use a golang image of 1.21 or later)`);
      }
    }
  }
}
