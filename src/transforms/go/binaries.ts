import { posix } from "node:path";
import { commandWords } from "../../analysis/commands.js";
import type { ClassifiedSegment } from "../../analysis/facts.js";

const valueFlags = new Set(["o", "ldflags", "gcflags", "asmflags", "tags", "mod", "modfile", "p", "buildmode", "compiler", "installsuffix", "pkgdir", "toolexec", "overlay", "pgo", "C", "gccgoflags", "exec"]);

export interface GoBuildStep {
  verb: "build" | "install";
  flags: Record<string, string | true>;
  packages: string[];
  /** Absolute path of the binary it writes, when it writes exactly one. */
  output?: string;
}

/** The last element of a module path, skipping a major-version suffix (`example.com/x/v2` → `x`). */
export function moduleBinaryName(modulePath: string): string {
  const parts = modulePath.split("/").filter(Boolean);
  const last = parts[parts.length - 1] ?? "app";
  return /^v\d+$/.test(last) && parts.length > 1 ? parts[parts.length - 2]! : last;
}

export function parseGoBuild(segment: ClassifiedSegment, modulePath: string | undefined, gobin: string): GoBuildStep | undefined {
  const words = commandWords(segment.argv);
  if (words[0] !== "go" || (words[1] !== "build" && words[1] !== "install")) return undefined;
  const verb = words[1];
  const flags: Record<string, string | true> = {};
  const packages: string[] = [];
  for (let i = 2; i < words.length; i++) {
    const word = words[i]!;
    if (word.startsWith("-")) {
      const [name = "", value] = word.replace(/^--?/, "").split(/=(.*)/s);
      if (value !== undefined) flags[name] = value;
      else if (valueFlags.has(name)) flags[name] = words[++i] ?? "";
      else flags[name] = true;
    } else {
      packages.push(word);
    }
  }
  const step: GoBuildStep = { verb, flags, packages };
  if (packages.length > 1 && !packages.every((p) => p.endsWith(".go"))) return step;
  const pkg = packages[0] ?? ".";
  if (pkg.includes("...")) return step;
  const name = binaryName(pkg, segment.cwd, modulePath);
  if (verb === "install") {
    step.output = posix.join(gobin, name);
    return step;
  }
  const out = flags["o"];
  if (typeof out === "string") {
    const resolved = posix.resolve(segment.cwd, out);
    step.output = out.endsWith("/") ? posix.join(resolved, name) : resolved;
  } else {
    step.output = posix.join(segment.cwd, name);
  }
  return step;
}

function binaryName(pkg: string, cwd: string, modulePath: string | undefined): string {
  const clean = pkg.replace(/@.*$/, "");
  if (clean.endsWith(".go")) return posix.basename(clean, ".go");
  if (clean === "." || clean === "./") return modulePath ? moduleBinaryName(modulePath) : posix.basename(cwd) || "app";
  return moduleBinaryName(clean);
}
