import type { BuildContext } from "../../analysis/context.js";
import type { GoBuildStep } from "./binaries.js";
import type { SourceLayout } from "./layout.js";
import type { GoFile } from "./sources.js";

/** Modules whose packages only build with cgo (bindings to C libraries). */
export const cgoModules = [
  "github.com/mattn/go-sqlite3", "github.com/confluentinc/confluent-kafka-go", "github.com/go-gl/", "github.com/google/gopacket/pcap",
  "github.com/shirou/gopsutil/v3/host", "github.com/h2non/bimg", "github.com/davidbyttow/govips", "gopkg.in/gographics/imagick",
  "github.com/gographics/imagick", "github.com/tecbot/gorocksdb", "github.com/linxGnu/grocksdb", "github.com/libgit2/git2go",
  "github.com/mattn/go-oci8", "github.com/godror/godror", "github.com/ibmdb/go_ibm_db", "github.com/gen2brain/go-fitz",
  "github.com/miekg/pkcs11", "github.com/go-vgo/robotgo", "github.com/jgarff/rpi_ws281x", "github.com/rjeczalik/notify",
];

/** Whether an import path is one of a cgo module's packages (`github.com/go-gl/` names a whole owner). */
export function importsCgoModule(imported: ReadonlySet<string>, module: string): boolean {
  const path = module.replace(/\/$/, "");
  return [...imported].some((i) => i === path || i.startsWith(`${path}/`));
}

/** Every package the build steps compile, following imports of packages inside these sources. */
export function builtPackages(steps: readonly GoBuildStep[], layout: SourceLayout): { dirs: string[]; files: GoFile[] } {
  const seen = new Set<string>();
  const queue = steps.filter((s) => !s.tool).flatMap((s) => s.packageDirs);
  const files: GoFile[] = [];
  while (queue.length > 0) {
    const dir = queue.shift()!;
    if (seen.has(dir) || !layout.index.dirs.includes(dir)) continue;
    seen.add(dir);
    for (const file of layout.index.files(dir)) {
      files.push(file);
      for (const imported of file.imports) {
        const local = layout.localDirOfImport(imported);
        if (local !== undefined && !seen.has(local)) queue.push(local);
      }
    }
  }
  return { dirs: [...seen], files };
}

/**
 * Why the program needs cgo, read from the sources: `import "C"` (with its `#cgo` directives) in the
 * packages built, known cgo modules imported or required, prebuilt C libraries in the sources,
 * `CGO_ENABLED=1` or `-race`. Empty: a static build (CGO_ENABLED=0) behaves the same.
 */
export function cgoReasons(input: { steps: readonly GoBuildStep[]; files: readonly GoFile[]; variables: Record<string, string>; goMod?: string; context: BuildContext; cHeaders: readonly string[] }): string[] {
  const { steps, files, variables, goMod, context } = input;
  const reasons: string[] = [];
  if (variables["CGO_ENABLED"] === "1") reasons.push("CGO_ENABLED=1");
  if (steps.some((s) => s.env["CGO_ENABLED"] === "1")) reasons.push("CGO_ENABLED=1 on the build");
  for (const file of files.filter((f) => f.importsC)) {
    const directive = file.cgoDirectives[0];
    reasons.push(`${file.path} imports "C"${directive ? ` (${directive})` : ""}`);
  }
  const imported = new Set(files.flatMap((f) => f.imports));
  for (const m of cgoModules) {
    if (importsCgoModule(imported, m)) reasons.push(`the sources import ${m.replace(/\/$/, "")}, a cgo binding`);
    else if (goMod?.includes(m)) reasons.push(`go.mod requires ${m.replace(/\/$/, "")}, a cgo binding`);
    else if (context.read("vendor/modules.txt")?.includes(m)) reasons.push(`${m.replace(/\/$/, "")} is vendored, a cgo binding`);
  }
  const prebuilt = context.list().filter((p) => /\.(a|so)(\.\d+)*$/.test(p) && !p.endsWith("/"));
  if (prebuilt.length > 0) reasons.push(`prebuilt C libraries in the sources (${prebuilt.slice(0, 3).join(", ")})`);
  if (steps.some((s) => s.flags["race"])) reasons.push("-race needs cgo");
  if (input.cHeaders.length > 0) reasons.push(`C headers installed for the build (${input.cHeaders.join(", ")})`);
  return reasons;
}
