import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import type { SourceLayout } from "./layout.js";
import type { GoFile } from "./sources.js";

/** Steps that can write Go sources the checkout lacks (generated code). */
const generators = /\b(protoc|buf\s+generate|go\s+generate|make|wire|sqlc|oapi-codegen|swag|templ|mockgen|stringer)\b|\.sh\b/;
/** Steps that can fetch packages in GOPATH mode. */
const fetchers = /\b(go\s+get|dep\s+ensure|glide|govendor|godep|gvt|git\s+clone|curl|wget|make|go-wrapper)\b|\.sh\b/;

/**
 * Rejects (exit 2) a build whose packages import what no step provides: a package of the module
 * whose directory has no Go files (`pb "app/grpc/protob"` with only the .proto committed), or, in
 * GOPATH mode, a third-party package when nothing fetches dependencies and no vendor/ exists: the
 * go command stops with "package … is not in GOROOT" or "cannot find package". `files` are those of
 * the packages built (builtPackages); only for a context evidently the build's.
 */
export function rejectMissingImports(facts: Facts, layout: SourceLayout, files: readonly GoFile[], lastBuild: number, modules: boolean): void {
  if (files.length === 0) return;
  const runText = facts.body.slice(0, lastBuild + 1).filter((e) => e.run).map((e) => e.ins.text).join("\n");
  const vendored = facts.context.list().some((p) => /(^|\/)vendor\/$/.test(p) || /(^|\/)vendor\/[^/]+\//.test(p));
  for (const file of files) {
    for (const imp of file.imports) {
      if (imp === "C") continue;
      const local = layout.localDirOfImport(imp);
      if (local !== undefined) {
        // a directory listed with nothing in it was not read (too deep, or past the listing's size limit): git keeps no empty directories
        const unread = facts.context.kind(local) === "dir" && !facts.context.list().some((p) => p.startsWith(`${local}/`) && p !== `${local}/`);
        if (!layout.index.dirs.includes(local) && !unread && !generators.test(runText) && !layout.ignored(local)) {
          throw unusable(`${file.path} imports ${imp}, but ${local}/ in the build context has no Go files (generated code that is not committed?) and no step generates it, so the go command cannot find that package`);
        }
        // `COPY *.go ./` copies the top-level files only: the module's other packages never reach the build
        const copied = layout.index.files(local).some((f) => layout.buildPathOf(f.path) !== undefined);
        if (layout.index.dirs.includes(local) && !copied && !generators.test(runText) && !layout.ignored(local)) {
          throw unusable(`${file.path} imports ${imp}, but no COPY step puts ${local}/ into the image (only ${copiedSummary(facts, lastBuild)}), so the go command cannot find that package`);
        }
        continue;
      }
      if (!modules && !vendored && /^[^/]*\.[^/]*\//.test(imp) && !fetchers.test(runText)) {
        throw unusable(`${file.path} imports ${imp}, but the build runs in GOPATH mode and no step fetches dependencies (no go get, no vendor/), so the go command cannot find that package`);
      }
    }
  }
}

/** The sources the COPY steps before the build name, for a message (`go.mod, *.go`). */
function copiedSummary(facts: Facts, lastBuild: number): string {
  const sources = facts.body.slice(0, lastBuild + 1).flatMap((e) => (e.copy && !e.copy.fromImage && e.copy.flags["from"] === undefined ? e.copy.sources : []));
  return sources.join(", ") || "nothing";
}
