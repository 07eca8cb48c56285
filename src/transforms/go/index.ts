import { posix } from "node:path";
import { commandWords, isGoDeps, leadingAssignments } from "../../analysis/commands.js";
import { has, topLevel } from "../../analysis/context.js";
import { unsupported } from "../../errors.js";
import { added, type PlanLine } from "../../plan/types.js";
import { chosenImages, familyOf } from "../common/base-images.js";
import { manifestFirstCopy } from "../common/manifest-first.js";
import { needsShell } from "../common/runtime-text.js";
import { createUserCommand } from "../common/user.js";
import { setRewrite } from "../node/build.js";
import type { Family } from "../common/base-images.js";
import type { RuntimeUser, StackDecision, StackPass } from "../types.js";
import { parseGoBuild, type GoBuildStep } from "./binaries.js";
import { execForm } from "../common/exec-form.js";

/** Directories a Go program commonly reads relative to its working directory at run time. */
const assetDirectories = ["templates", "template", "static", "public", "assets", "web", "www", "views", "migrations", "config", "configs", "locales", "i18n", "html"];
const cgoModules = ["github.com/mattn/go-sqlite3", "github.com/confluentinc/confluent-kafka-go", "github.com/go-gl/", "github.com/google/gopacket/pcap", "github.com/shirou/gopsutil/v3/host"];
const defaultPath = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

export const goPass: StackPass = {
  name: "go",
  description: "Go services: a static build copied into distroless (nonroot), or a base with a shell or libc when the program needs one",
  plan(input) {
    const { facts, report, context, options } = input;
    const goMod = context.read("go.mod");
    const modulePath = /^module\s+(\S+)/m.exec(goMod ?? "")?.[1];
    const gobin = facts.variables["GOBIN"] ?? posix.join(facts.variables["GOPATH"] ?? "/go", "bin");

    const steps: { i: number; j: number; step: GoBuildStep; text: string }[] = [];
    facts.body.forEach((entry, i) =>
      entry.run?.segments.forEach((segment, j) => {
        const step = parseGoBuild(segment, modulePath, gobin);
        if (step) steps.push({ i, j, step, text: segment.text });
      }),
    );
    const start = startArgv(facts.entrypoint, facts.cmd);
    if (start[0] === "go") throw unsupported("the start command runs the go tool (go run); build a binary in the Dockerfile first");
    const binaries = steps.flatMap((s) => (s.step.output ? [s.step.output] : []));
    const binary = findBinary(start, binaries, facts.finalWorkdir, report);
    if (!binary) {
      throw unsupported(`cannot tell which binary the start command (${start[0] ?? "none"}) runs from the go build steps`);
    }
    report.info(`Go binary ${binary}${start[0] ? ` started as ${start[0]}` : ""}`);

    const cgoReasons: string[] = [];
    if (facts.variables["CGO_ENABLED"] === "1") cgoReasons.push("CGO_ENABLED=1");
    for (const s of steps) if (leadingAssignments(facts.body[s.i]!.run!.segments[s.j]!.argv)["CGO_ENABLED"] === "1") cgoReasons.push("CGO_ENABLED=1 on the build");
    for (const m of cgoModules) if (goMod?.includes(m)) cgoReasons.push(`${m} needs cgo`);
    if (steps.some((s) => s.step.flags["race"])) cgoReasons.push("-race needs cgo");
    const packages = input.osPackages;
    const cLibraries = packages?.buildOnly.filter((p) => /-dev$|^build-base$|^musl-dev$|^gcc$/.test(p)) ?? [];
    if (cLibraries.length > 0) cgoReasons.push(`C toolchain or headers installed (${cLibraries.join(", ")})`);
    const cgo = cgoReasons.length > 0;
    if (cgo) report.info(`cgo build: ${cgoReasons[0]}`);

    const builderFamily: Family = familyOf(facts.resolvedImage) === "alpine" ? "alpine" : "debian";
    const shell = needsShell(facts, context);
    const extraPackages = (packages?.runtime ?? []).filter((p) => !/^(ca-certificates|tzdata)$/.test(p));
    const runtime = chooseRuntime();
    report.info(`runtime image ${runtime.image}: ${runtime.why}`);

    const buildInserts = new Map<number, PlanLine[]>();
    const moves = new Map<number, number>();
    const segmentRewrites = new Map<number, Map<number, string>>();
    const cacheTargets = new Map<number, string[]>();
    if (!cgo && facts.variables["CGO_ENABLED"] === undefined) buildInserts.set(-1, [added("ENV CGO_ENABLED=0", "static binary: no C library needed at run time")]);
    const usesCaller = context.list().some((p) => p.endsWith(".go") && (context.read(p) ?? "").includes("runtime.Caller"));
    for (const { i, j, step, text } of steps) {
      const extra = [
        ...(step.flags["trimpath"] || usesCaller ? [] : ["-trimpath"]),
        ...(step.flags["ldflags"] !== undefined ? [] : ['-ldflags="-s -w"']),
      ];
      if (extra.length > 0) setRewrite(segmentRewrites, i, j, text.replace(/\bgo\s+(build|install)\b/, (m) => `${m} ${extra.join(" ")}`));
      cacheTargets.set(i, ["/go/pkg/mod", "/root/.cache/go-build"]);
    }
    if (usesCaller) report.info("-trimpath left out: the code uses runtime.Caller, whose file paths it would change");
    facts.body.forEach((e, i) => {
      if (e.run?.segments.some((s) => isGoDeps(s.argv))) cacheTargets.set(i, ["/go/pkg/mod"]);
    });

    const firstBuild = steps[0]?.i ?? facts.body.length;
    const download = facts.body.findIndex((e) => e.run?.segments.some((s) => isGoDeps(s.argv)));
    const localReplace = /^\s*replace\s.*=>\s*\.{1,2}\//m.test(goMod ?? "") || /^replace\s*\([^)]*=>\s*\.{1,2}\//ms.test(goMod ?? "");
    const manifests = ["go.mod", ...(has(context, "go.sum") ? ["go.sum"] : [])];
    const blockers = [...(goMod ? [] : ["go.mod is not in the build context"]), ...(localReplace ? ["go.mod replaces modules with local directories"] : []), ...(has(context, "vendor/") ? ["the module is vendored"] : [])];
    if (download >= 0 && download < firstBuild) {
      const insertion = manifestFirstCopy(facts, download, manifests, blockers, report);
      if (insertion) {
        buildInserts.set(insertion.at, [added(insertion.text)]);
        moves.set(download, insertion.at);
      }
    } else if (blockers.length === 0) {
      const copyAt = facts.body.findIndex((e, i) => i < firstBuild && e.copy && !e.copy.fromImage && e.copy.sources.some((s) => s === "." || s === "./"));
      if (copyAt >= 0 && !facts.body.slice(0, copyAt).some((e) => e.copy?.sources.includes("go.mod"))) {
        const dest = facts.body[copyAt]!.copy!.dest;
        buildInserts.set(copyAt, [added(`COPY ${manifests.join(" ")} ${dest.endsWith("/") ? dest : `${dest}/`}`), added("RUN go mod download")]);
        report.info("go.mod copied and modules downloaded before the sources so the module layer is cached");
      }
    }

    const workdir = facts.finalWorkdir;
    const sourceCopiedToWorkdir = facts.body.some((e) => e.copy && !e.copy.fromImage && e.copy.sources.some((s) => s === "." || s === "./") && e.copy.destAbs.replace(/\/$/, "") === workdir);
    const assets = sourceCopiedToWorkdir ? topLevel(context).filter((p) => p.endsWith("/") && assetDirectories.includes(p.slice(0, -1))).map((p) => p.slice(0, -1)) : [];
    const argFiles = start.slice(1).filter((a) => !a.startsWith("-") && has(context, a.replace(/^\.\//, "")) && sourceCopiedToWorkdir).map((a) => a.replace(/^\.\//, ""));
    const flagFiles = start.slice(1).flatMap((a) => /^-{1,2}\w[\w-]*=(.+)$/.exec(a)?.[1] ?? []).filter((v) => has(context, v.replace(/^\.\//, "")) && sourceCopiedToWorkdir).map((v) => v.replace(/^\.\//, ""));
    const runtimeFiles = [...new Set([...assets, ...argFiles, ...flagFiles])];
    if (runtimeFiles.length > 0) report.info(`files the program reads relative to ${workdir} copied too: ${runtimeFiles.join(", ")}`);
    if (!sourceCopiedToWorkdir) report.assume("the sources are not copied into the WORKDIR; only the binary is copied to the runtime");

    const bare = start[0] !== undefined && !start[0].includes("/");
    const binaryTarget = bare && !defaultPath.includes(posix.dirname(binary)) && facts.variables["PATH"] === undefined ? posix.join("/usr/local/bin", posix.basename(binary)) : binary;

    const decision: StackDecision = {
      runtimeImage: runtime.image,
      family: runtime.family,
      user: runtime.user,
      buildInserts,
      moves,
      segmentRewrites,
      cacheTargets,
      runtimeEnv: [],
      runtimeSetup: [],
      appCopies: (source) => [
        ...(runtime.image === "scratch" ? [`COPY --from=${source} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt`] : []),
        `COPY --from=${source} ${binary} ${binaryTarget}`,
        ...runtimeFiles.map((f) => `COPY --from=${source} ${posix.join(workdir, f)} ${posix.join(workdir, f)}`),
      ],
      installsRuntimePackages: runtime.family !== "distroless" && runtime.image !== "scratch",
      copiesWorkdir: false,
    };
    if (facts.cmd === undefined && facts.entrypoint === undefined) decision.startOverride = [added(`ENTRYPOINT ${execForm([binaryTarget])}`)];
    return decision;

    function chooseRuntime(): { image: string; family: Family; user: RuntimeUser; why: string } {
      const withUser = (image: string, family: Family, why: string) => {
        const create = createUserCommand(family);
        const user: RuntimeUser = create ? { name: "app", group: "app", create, ownsApp: false } : { name: "65532", group: "65532", ownsApp: false };
        if (facts.user !== undefined && !/^(root|0)(:|$)/.test(facts.user)) report.info(`the original user ${facts.user} is replaced by ${user.name} in the runtime`);
        return { image, family, user, why };
      };
      const distroBase = (why: string) => (builderFamily === "alpine" || (!cgo && options.runtime !== "slim") ? withUser(chosenImages.alpine, "alpine", why) : withUser(chosenImages.debianSlim, "debian", why));
      if (options.runtime === "scratch") {
        if (shell.needed || cgo || extraPackages.length > 0) report.warn("scratch was asked for, but the program needs more than a static binary");
        return { image: "scratch", family: "distroless", user: { name: "65532", group: "65532", ownsApp: false }, why: "scratch was asked for" };
      }
      if (options.runtime === "alpine") return withUser(chosenImages.alpine, "alpine", "alpine was asked for");
      if (options.runtime === "slim") return withUser(chosenImages.debianSlim, "debian", "a Debian slim image was asked for");
      if (shell.needed) return distroBase(`distroless has no shell and ${shell.why}`);
      if (extraPackages.length > 0) return distroBase(`the program needs OS packages (${extraPackages.join(", ")})`);
      if (cgo) return builderFamily === "alpine" ? withUser(chosenImages.alpine, "alpine", "cgo binary linked against musl") : withUser(chosenImages.distrolessBase, "distroless", "cgo binary needs glibc");
      return withUser(chosenImages.distrolessStatic, "distroless", "static binary, no shell needed");
    }
  },
};

function startArgv(entrypoint: { form: string; argv: string[]; shell: string } | undefined, cmd: { form: string; argv: string[]; shell: string } | undefined): string[] {
  const words = (c: typeof cmd) => (c ? (c.form === "exec" ? c.argv : commandWords(c.shell.split(/\s+/))) : []);
  const all = [...words(entrypoint), ...words(cmd)];
  return all[0] === "/bin/sh" || all[0] === "sh" ? (all[1] === "-c" ? commandWords((all[2] ?? "").split(/\s+/)) : all.slice(1)) : all;
}

/**
 * The built binary the start command runs: the first word of ENTRYPOINT + CMD that names one (an
 * entrypoint script usually passes it on), else the only or last binary built.
 */
function findBinary(start: string[], binaries: string[], workdir: string, report: { assume(m: string): void }): string | undefined {
  for (const word of start) {
    const match = word.includes("/") ? binaries.find((b) => b === posix.resolve(workdir, word)) : binaries.find((b) => posix.basename(b) === word);
    if (match) return match;
  }
  const last = binaries[binaries.length - 1];
  if (last && start.length > 0) report.assume(`the start command does not name a built binary; assumed it runs ${last}`);
  if (last) return last;
  const argv0 = start[0];
  return argv0?.includes("/") && !/\.sh$/.test(argv0) ? posix.resolve(workdir, argv0) : undefined;
}
