import { goCommandWords } from "../../analysis/commands.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import { atLeast, type GoVersion } from "./toolchain.js";
import { toolchainSwitchAllowed } from "./toolchain-local.js";

const migrateV3Command = /^github\.com\/golang-migrate\/migrate\/cmd\/migrate(@(latest|upgrade|patch))?$/;
/** Tools whose latest release asks for a newer Go than older golang images run, with a release that does not. */
const latestNeeds: { pattern: RegExp; name: string; /** Go 1.minor its latest go.mod asks for (goose: 1.25.7) */ minor: number; older: string }[] = [
  { pattern: /^github\.com\/golang-migrate\/migrate\/v4\/cmd\/migrate@latest$/, name: "golang-migrate", minor: 24, older: "@v4.17.1 (go 1.18)" },
  { pattern: /^github\.com\/pressly\/goose\/v3\/cmd\/goose@latest$/, name: "goose", minor: 25, older: "@v3.24.1, which builds with Go 1.22" },
];

/**
 * Rejects (exit 2) a `go get`/`go install` of a tool that cannot build:
 * - golang-migrate's command without the `/v4` suffix in module mode resolves to v3.5.4+incompatible,
 *   which has no cmd/migrate ("module … found, but does not contain package");
 * - `@latest` of a tool whose latest go.mod asks for a newer Go than the image's tag (golang-migrate
 *   1.24, goose 1.25): before Go 1.21 the go command cannot switch toolchains, and from 1.21 the
 *   official images set GOTOOLCHAIN=local (golang-migrate/migrate#1163).
 * `imageVersion` is the Go of the golang image's tag, not go.mod's minimum.
 */
export function rejectUnbuildableToolFetch(facts: Facts, imageVersion: GoVersion | undefined, modules: boolean): void {
  const switches = toolchainSwitchAllowed(facts);
  for (const entry of facts.body) {
    for (const segment of entry.run?.segments ?? []) {
      const words = goCommandWords(segment.argv);
      if (words[0] !== "go" || (words[1] !== "get" && words[1] !== "install")) continue;
      const args = words.slice(2).filter((w) => !w.startsWith("-"));
      const line = entry.ins.startLine + 1;
      if (modules && args.some((a) => migrateV3Command.test(a))) {
        throw unusable(`line ${line}: \`${segment.text.trim()}\` cannot build: in module mode github.com/golang-migrate/migrate resolves to v3.5.4+incompatible, which has no package cmd/migrate (install the command with \`go install github.com/golang-migrate/migrate/v4/cmd/migrate@<version>\`, or drop the step if nothing runs migrate)`);
      }
      const tool = latestNeeds.find((t) => args.some((a) => t.pattern.test(a)));
      if (!tool || !imageVersion || atLeast(imageVersion, 1, tool.minor) || (atLeast(imageVersion, 1, 21) && switches)) continue;
      const why = atLeast(imageVersion, 1, 21) ? "the official golang images set GOTOOLCHAIN=local, so it does not switch toolchains" : "it cannot switch toolchains, which Go does from 1.21";
      throw unusable(`line ${line}: \`${segment.text.trim()}\` cannot build: ${tool.name}'s latest release asks for Go 1.${tool.minor} in its go.mod, and Go ${imageVersion.major}.${imageVersion.minor} (${imageVersion.source}) cannot build it: ${why} (pin ${tool.older}, or use a golang image of 1.${tool.minor} or later)`);
    }
  }
}
