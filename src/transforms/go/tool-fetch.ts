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
  // templ v0.3.1020 (July 2026) asks for 1.25.0; v0.3.1001 for 1.23.0; v0.2.793 for 1.21 (its tags' go.mod)
  { pattern: /^github\.com\/a-h\/templ\/cmd\/templ@latest$/, name: "templ", minor: 25, older: "@v0.2.793, which builds with Go 1.21, or @v0.3.1001 with Go 1.23" },
];

/** Each `go get`/`go install` of the build, with its package arguments and 1-based line. */
function goFetches(facts: Facts): { text: string; args: string[]; line: number }[] {
  return facts.body.flatMap((entry) => (entry.run?.segments ?? []).flatMap((segment) => {
    const words = goCommandWords(segment.argv);
    if (words[0] !== "go" || (words[1] !== "get" && words[1] !== "install")) return [];
    return [{ text: segment.text.trim(), args: words.slice(2).filter((w) => !w.startsWith("-")), line: entry.ins.startLine + 1 }];
  }));
}

/**
 * Rejects (exit 2) `@latest` of a tool whose latest go.mod asks for a newer Go than the image's tag
 * (golang-migrate 1.24, goose 1.25): before Go 1.21 the go command cannot switch toolchains, and from
 * 1.21 the official images set GOTOOLCHAIN=local (golang-migrate/migrate#1163). `imageVersion` is the
 * Go of the golang image's tag, not go.mod's minimum.
 */
export function rejectLatestToolOnOlderGo(facts: Facts, imageVersion: GoVersion | undefined): void {
  if (!imageVersion) return;
  const switches = toolchainSwitchAllowed(facts);
  for (const { text, args, line } of goFetches(facts)) {
    const tool = latestNeeds.find((t) => args.some((a) => t.pattern.test(a)));
    if (!tool || atLeast(imageVersion, 1, tool.minor) || (atLeast(imageVersion, 1, 21) && switches)) continue;
    const why = atLeast(imageVersion, 1, 21) ? "the official golang images set GOTOOLCHAIN=local, so it does not switch toolchains" : "it cannot switch toolchains, which Go does from 1.21";
    throw unusable(`line ${line}: \`${text}\` cannot build: ${tool.name}'s latest release asks for Go 1.${tool.minor} in its go.mod, and Go ${imageVersion.major}.${imageVersion.minor} (${imageVersion.source}) cannot build it: ${why} (pin ${tool.older}, or use a golang image of 1.${tool.minor} or later)`);
  }
}

/**
 * Rejects (exit 2) golang-migrate's command without the `/v4` suffix in module mode: the module
 * resolves to v3.5.4+incompatible, which has no cmd/migrate ("module … found, but does not contain package").
 */
export function rejectMigrateWithoutV4(facts: Facts, modules: boolean): void {
  if (!modules) return;
  const fetch = goFetches(facts).find(({ args }) => args.some((a) => migrateV3Command.test(a)));
  if (fetch) throw unusable(`line ${fetch.line}: \`${fetch.text}\` cannot build: in module mode github.com/golang-migrate/migrate resolves to v3.5.4+incompatible, which has no package cmd/migrate (install the command with \`go install github.com/golang-migrate/migrate/v4/cmd/migrate@<version>\`, or drop the step if nothing runs migrate)`);
}

const templGeneratorAtLatest = /^github\.com\/a-h\/templ\/cmd\/templ@latest$/;
/** The first templ module release whose generated code's import, github.com/a-h/templ/runtime, it has. */
const templRuntimeSince = [0, 2, 731];

/**
 * Rejects (exit 2) a build that installs templ's generator at @latest and runs `templ generate` while
 * go.mod requires a templ module before v0.2.731: every file today's generator writes imports
 * github.com/a-h/templ/runtime, which that module does not have, so go build cannot compile them (pin
 * the generator to go.mod's version, as templ's maintainers advise).
 */
export function rejectTemplGeneratorNewerThanModule(facts: Facts, goMod: string | undefined): void {
  const required = /^\s*(?:require\s+)?github\.com\/a-h\/templ\s+v(\d+)\.(\d+)\.(\d+)/m.exec(goMod ?? "");
  if (!required) return;
  const version = required.slice(1, 4).map(Number);
  const older = version.findIndex((n, k) => n !== templRuntimeSince[k]!);
  if (older === -1 || version[older]! > templRuntimeSince[older]!) return;
  const fetch = goFetches(facts).find(({ args }) => args.some((a) => templGeneratorAtLatest.test(a)));
  if (!fetch) return;
  const generates = facts.body.some((entry) => entry.ins.startLine + 1 > fetch.line && (entry.run?.segments ?? []).some((s) => /(^|\/)templ$/.test(s.argv[0] ?? "") && s.argv[1] === "generate"));
  if (!generates) return;
  throw unusable(`line ${fetch.line}: \`${fetch.text}\` installs templ's newest generator, but go.mod requires github.com/a-h/templ v${version.join(".")}: the code \`templ generate\` then writes imports github.com/a-h/templ/runtime, which templ modules before v0.2.731 do not have, so go build fails (install the generator at go.mod's version, github.com/a-h/templ/cmd/templ@v${version.join(".")})`);
}
