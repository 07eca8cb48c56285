import { posix } from "node:path";
import { commandWords } from "../../analysis/commands.js";
import type { Facts } from "../../analysis/facts.js";
import type { GoFile } from "./sources.js";
import { downloadOutput } from "../common/written-paths.js";

/** A literal that names a data file by a relative path (`./vvimg.jpg`, `COMIC.TTF`, `assets/logo.png`). */
const dataFile = /^(\.\/)?([\w.-]+\/)*[\w-][\w.-]*\.(?!go$)[A-Za-z0-9]{2,5}$/;

/**
 * Files the program opens by a relative literal that build steps made rather than the context had:
 * a download (`wget -O vvimg.jpg`, `curl -o`) is certain to exist in the build stage; a file that an
 * archive unpacked into that directory may have brought (`unzip fonts.zip`, then `COMIC.TTF` in the
 * code) is taken when the build has it. Paths are absolute, as the build stage has them.
 */
export function buildMadeReads(facts: Facts, files: readonly GoFile[], runDir: string, inContext: (abs: string) => boolean): { downloaded: string[]; unpacked: string[] } {
  const downloads = new Set<string>();
  const unpackDirs = new Set<string>();
  for (const entry of facts.body) {
    for (const segment of entry.run?.segments ?? []) {
      if (segment.kind === "test") continue;
      const [command, ...args] = commandWords(segment.argv);
      const valueOf = (flags: string[]) => {
        const i = args.findIndex((a) => flags.includes(a));
        return i >= 0 ? args[i + 1] : undefined;
      };
      if (command === "wget" || command === "curl") {
        const out = downloadOutput(command, args);
        if (out && !out.includes("$")) downloads.add(posix.resolve(segment.cwd, out));
      } else if (command === "unzip") {
        unpackDirs.add(posix.resolve(segment.cwd, valueOf(["-d"]) ?? "."));
      } else if (command === "tar" && args.some((a) => /^-?[a-zA-Z]*x/.test(a) && !a.startsWith("--"))) {
        unpackDirs.add(posix.resolve(segment.cwd, valueOf(["-C", "--directory"]) ?? "."));
      }
    }
  }
  if (downloads.size === 0 && unpackDirs.size === 0) return { downloaded: [], unpacked: [] };
  const downloaded = new Set<string>();
  const unpacked = new Set<string>();
  for (const literal of new Set(files.flatMap((f) => f.literals))) {
    if (!dataFile.test(literal)) continue;
    const abs = posix.resolve(runDir, literal);
    if (downloads.has(abs)) downloaded.add(abs);
    else if (unpackDirs.has(posix.dirname(abs)) && !inContext(abs)) unpacked.add(abs);
  }
  return { downloaded: [...downloaded], unpacked: [...unpacked] };
}
