import { posix } from "node:path";
import { contextFileAt } from "../../analysis/copied-file.js";
import type { Facts } from "../../analysis/facts.js";
import { unsupported } from "../../errors.js";
import { composeCheckoutMountAt, composeCommands } from "../../analysis/compose.js";
import { isInteractiveShell } from "../../analysis/start-command.js";
import type { BuildContext } from "../../analysis/context.js";
import { programsStartedIn } from "./programs-run.js";
import type { GoFile } from "./sources.js";

/** Go file watchers that rebuild and restart on source changes: development images, not deployable ones. */
const reloaders: Record<string, string> = {
  air: "air (hot reload)",
  reflex: "reflex (file watcher)",
  CompileDaemon: "CompileDaemon (rebuild on change)",
  fresh: "fresh (hot reload)",
  realize: "realize (hot reload)",
  gow: "gow (go run on change)",
  modd: "modd (file watcher)",
  watchexec: "watchexec (file watcher)",
};

/**
 * Refuses development images: a start command that runs the go tool or a reloader needs the sources
 * and the toolchain at run time, which is what a multi-stage build removes.
 */
export function refuseDevelopmentImage(start: readonly string[], facts: Facts): void {
  const argv0 = posix.basename(start[0] ?? "");
  // codegangsta/gin, a live reloader: `gin run main.go` rebuilds the sources; gin-gonic is a library with no binary
  if (argv0 === "gin" && facts.body.some((e) => e.run?.segments.some((s) => /\bgithub\.com\/codegangsta\/gin\b/.test(s.text)))) {
    throw unsupported("development image: the start command runs gin (codegangsta/gin, live reload), which rebuilds the sources with the go tool at run time; build a binary in the Dockerfile and start it instead");
  }
  if (argv0 === "go") {
    const sub = start[1] ?? "";
    if (sub === "run") throw unsupported("development image: the start command runs the go tool (go run); build a binary in the Dockerfile first");
    throw unsupported(`the start command runs the go tool (go ${sub}), not a built program`);
  }
  const later = start.join(" ").split(/\s*(?:&&|\|\||;|\|)\s*/).slice(1).map((part) => part.split(/\s+/));
  const compiles = later.find((words) => posix.basename(words[0] ?? "") === "go" && ["build", "install", "run"].includes(words[1] ?? ""));
  if (compiles) throw unsupported(`development image: the start command runs \`${compiles.join(" ")}\` when the container starts, which needs the sources and the go tool at run time; build the binary in the Dockerfile and start it instead`);
  const reloader = reloaders[argv0];
  if (reloader) throw unsupported(`development image: the start command runs ${reloader}, which needs the sources and the go tool at run time`);
}

/**
 * Refuses a start command whose script, copied from the build context, runs the go tool
 * (`compile.sh`: `go install` then the binary): it compiles when the container starts, so the
 * runtime would need the sources and the toolchain.
 */
export function refuseCompilingStartScript(start: readonly string[], facts: Facts): void {
  const shells = /^(\/bin\/|\/usr\/bin\/)?(sh|bash|ash)$/;
  const script = shells.test(start[0] ?? "") ? start.slice(1).find((w) => !w.startsWith("-")) : start[0];
  if (!script || !/[/.]/.test(script)) return;
  const file = contextFileAt(facts, facts.context, posix.resolve(facts.finalWorkdir, script));
  const text = file === undefined ? undefined : facts.context.read(file);
  const line = text?.split(/\r?\n/).find((l) => !/^\s*#/.test(l) && /(^|[;&|]\s*|\s)go\s+(build|install|run)\b/.test(l));
  if (line) throw unsupported(`development image: the start command's script ${file} runs \`${line.trim()}\` when the container starts, which needs the sources and the go tool at run time; build the binary in the Dockerfile and start it instead`);
}

/** A compose command as one would type it: `["go", "run", "main.go"]` → `go run main.go`. */
function shownCommand(text: string): string {
  return text.replace(/^\[\s*|\s*\]$/g, "").replace(/"\s*,\s*"/g, " ").replace(/"/g, "");
}

/**
 * Refuses an image with no start command of its own that compose starts with the go tool or a reloader
 * (`command: go run main.go`) on the checkout it mounts over the WORKDIR (`- ./:/app`): a development
 * environment, whose program is compiled from the host's sources when the container starts.
 */
export function refuseComposeDevelopmentImage(facts: Facts): void {
  if (facts.entrypoint || facts.cmd) return;
  const mounted = composeCheckoutMountAt(facts.context, facts.finalWorkdir);
  if (!mounted) return;
  const dev = composeCommands(facts.context).find((c) => c.key === "command" && (/(^|[\s"'[,])go["']?\s*,?\s*["']?(run|build)\b/.test(c.text) || Object.keys(reloaders).some((r) => new RegExp(`(^|[\\s"'[,])${r}(["'\\s,\\]]|$)`).test(c.text))));
  if (dev) throw unsupported(`development image: it has no start command, and ${dev.file} line ${dev.line} starts it with \`${shownCommand(dev.text)}\` on the checkout ${mounted.file} line ${mounted.line} mounts over ${facts.finalWorkdir.replace(/(.)\/$/, "$1")}: the go tool compiles the host's sources when the container starts`);
}

/**
 * Refuses a Go image whose start command is an interactive shell (`CMD ["/bin/bash"]`): what runs is
 * chosen when the container starts (`docker run IMAGE go run …`, compose's command), usually the go
 * tool on the sources, which a runtime holding only the binary cannot do.
 */
export function refuseShellImage(start: readonly string[], facts: Facts): void {
  if (!isInteractiveShell(start)) return;
  const compose = composeCommands(facts.context).find((c) => c.key === "command");
  const runs = compose ? `; ${compose.file} line ${compose.line} runs \`${shownCommand(compose.text)}\` in it` : "";
  throw unsupported(`a shell image: its start command is an interactive shell (${start.join(" ")})${runs}, so what the container runs is chosen when it starts, not a built program; set CMD to the binary the build makes`);
}

/**
 * Refuses a program that loads Go plugins (`plugin.Open`): a plugin loads only into a host built
 * together with it by the very same toolchain and package builds, which a separate runtime stage
 * (and its `-trimpath` build) does not keep.
 */
export function refusePluginHost(files: readonly GoFile[]): void {
  const file = files.find((f) => !f.path.endsWith("_test.go") && f.imports.includes("plugin"));
  if (file) throw unsupported(`${file.path} loads Go plugins (package plugin): a plugin loads only into a host built together with it by the same toolchain, which a separate runtime stage does not keep`);
}

/** The first file of the program that runs the go tool at run time (`exec.Command("go", "build", …)`): its runtime needs the toolchain. */
export function goToolCaller(files: readonly GoFile[], context: BuildContext): string | undefined {
  return files.find((f) => !f.path.endsWith("_test.go") && programsStartedIn(context.read(f.path) ?? "").includes("go"))?.path;
}
