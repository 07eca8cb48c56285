import { goCommandWords } from "../../analysis/commands.js";
import type { Facts } from "../../analysis/facts.js";
import { unusable } from "../../errors.js";
import type { GoFile } from "./sources.js";
import { atLeast, formatVersion, type GoVersion } from "./toolchain.js";

/**
 * Packages whose default branch, which GOPATH-mode `go get` fetches, needs a newer Go than old images
 * have: the Go release that added what their code uses, and what that is.
 */
const defaultBranchNeeds: { path: string; minor: number; uses: string }[] = [
  { path: "github.com/gorilla/mux", minor: 18, uses: "the predeclared type any, as in route.go's map[any]any" },
  { path: "github.com/mattn/go-sqlite3", minor: 18, uses: "the predeclared type any" },
  { path: "github.com/gin-gonic/gin", minor: 18, uses: "the predeclared type any, as in gin.H, and the cmp and maps packages" },
  { path: "go.mongodb.org/mongo-driver", minor: 18, uses: "generics: its default branch is the v2 module, as in options.Lister[T]" },
  { path: "google.golang.org/grpc", minor: 18, uses: "the predeclared type any and generics, as in server.go's RegisterService(sd *ServiceDesc, ss any)" },
  { path: "github.com/tucnak/telebot", minor: 13, uses: "errors.Is, as in errors.go, and the context package: its default branch is the v4 module" },
  { path: "github.com/labstack/echo", minor: 21, uses: "the log/slog package: its default branch is the v5 module, as in echo.go's import of log/slog" },
  { path: "github.com/gorilla/websocket", minor: 17, uses: "tls.Conn.HandshakeContext in client.go, since its fallback for older Go was removed" },
  { path: "github.com/nlopes/slack", minor: 17, uses: "its dependency github.com/gorilla/websocket, whose default branch calls tls.Conn.HandshakeContext" },
  { path: "github.com/slack-go/slack", minor: 17, uses: "its dependency github.com/gorilla/websocket, whose default branch calls tls.Conn.HandshakeContext" },
];

/**
 * Rejects (exit 2) a GOPATH-mode build on a Go older than the table says that fetches one of these packages with
 * `go get` (by name, or as a dependency of the packages built with `go get ./...` or a bare `go get`):
 * without modules, go get takes the default branch, whose code no longer compiles there
 * ("undefined: any", or a newer standard package such as cmp it cannot find).
 */
export function rejectGopathFetchOfNewerCode(facts: Facts, version: GoVersion | undefined, modules: boolean, files: readonly GoFile[]): void {
  if (modules || !version) return;
  const imported = new Set(files.flatMap((f) => f.imports));
  for (const entry of facts.body) {
    for (const segment of entry.run?.segments ?? []) {
      const words = goCommandWords(segment.argv);
      if (words[0] !== "go" || words[1] !== "get") continue;
      const args = words.slice(2).filter((w) => !w.startsWith("-"));
      const fetchesDependencies = args.length === 0 || args.some((a) => a.startsWith("."));
      const needs = defaultBranchNeeds.find((p) => !atLeast(version, 1, p.minor) && (args.some((a) => a === p.path || a.startsWith(`${p.path}/`)) || (fetchesDependencies && [...imported].some((i) => i === p.path || i.startsWith(`${p.path}/`)))));
      if (!needs) continue;
      throw unusable(`line ${entry.ins.startLine + 1}: \`${segment.text.trim()}\` fetches ${needs.path} at its default branch (GOPATH mode has no versions), whose code needs Go 1.${needs.minor} or later (it uses ${needs.uses}), so the build cannot compile it with ${formatVersion(version)} (use a newer golang image with modules, or vendor a release that supports this Go)`);
    }
  }
}
