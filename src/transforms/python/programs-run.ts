import { posix } from "node:path";
import type { BuildContext } from "../../analysis/context.js";
import { applicationSources } from "./application-sources.js";

const quoted = `["']([^"'\\s]+)`;
/** Calls that start a process: `subprocess.run`, `os.system`, asyncio's `create_subprocess_exec`. */
const subprocessCall = "subprocess\\.(?:run|call|check_call|check_output|Popen|getoutput|getstatusoutput)";
const osCall = "os\\.(?:system|popen)";
const asyncioCall = "create_subprocess_(?:exec|shell)";
/**
 * `shutil.which("git")`, `subprocess.run(["git", …])`, `subprocess.Popen("ffmpeg -i …", shell=True)`,
 * `os.system("git pull")`, `asyncio.create_subprocess_exec("git", …)`: the literal program name.
 */
const startCalls = [
  new RegExp(`\\bshutil\\.which\\(\\s*${quoted}`, "g"),
  new RegExp(`\\b${subprocessCall}\\(\\s*[\\[(]?\\s*${quoted}`, "g"),
  new RegExp(`\\b${osCall}\\(\\s*${quoted}`, "g"),
  new RegExp(`\\b${asyncioCall}\\(\\s*${quoted}`, "g"),
];

/** The same calls given a variable (`subprocess.call(cmd, shell=True)`): its name. */
const variableCalls = new RegExp(`\\b(?:${subprocessCall}|${osCall}|${asyncioCall})\\(\\s*([A-Za-z_]\\w*)\\s*[,)]`, "g");

/** The programs a Python file starts by name (the base name of an absolute path). */
export function programsStartedInPython(code: string): string[] {
  if (!/\b(shutil|subprocess|os\.(system|popen)|create_subprocess_)/.test(code)) return [];
  const literal = startCalls.flatMap((re) => [...code.matchAll(re)].map((m) => m[1]!));
  // `cmd = "ping -c 1 {ip}".format(ip=ip)` … `subprocess.call(cmd, shell=True)`: the literal the variable is given
  const assigned = new Map([...code.matchAll(/^[ \t]*([A-Za-z_]\w*)\s*=\s*[fFrRbB]?["']([^"'\s{]+)/gm)].map((m) => [m[1]!, m[2]!]));
  const viaVariable = [...code.matchAll(variableCalls)].flatMap((m) => assigned.get(m[1]!) ?? []);
  return [...new Set([...literal, ...viaVariable].map((program) => posix.basename(program)))];
}

/**
 * The programs the project's own Python code starts at run time (tests and environments left out):
 * an OS package the original installs under that name stays in the runtime, as for a library's subprocess.
 */
export function programsPythonCodeRuns(context: BuildContext): string[] {
  const found = new Set<string>();
  for (const { path, code } of applicationSources(context)) {
    if (/(^|\/)(test_[^/]*|[^/]*_test|conftest)\.py$/.test(path)) continue;
    for (const program of programsStartedInPython(code)) found.add(program);
  }
  return [...found];
}
