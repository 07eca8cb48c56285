import { packageScript } from "../../analysis/commands.js";
import type { BuildContext } from "../../analysis/context.js";
import type { Facts } from "../../analysis/facts.js";
import { startCommandWords, startInstruction } from "../../analysis/start-command.js";
import { unusable } from "../../errors.js";
import { lockedVersion } from "./locked-version.js";
import type { NodeProject } from "./project.js";

/** Programs that run the project's webpack (directly, or inside a CLI built on it). */
const runsWebpack = /(^|[\s/;&|(])(webpack|webpack-cli|webpack-dev-server|vue-cli-service|react-scripts|craco|react-app-rewired|ng|gatsby|umi|quasar|nuxt)(\s|$)/;

/** Build configurations that can change webpack's hashing (`output.hashFunction`, a patched `crypto.createHash`). */
const buildConfig = /^(?!node_modules\/)(?:[^/]+\/){0,2}(?:[^/]*webpack[^/]*|vue\.config|nuxt\.config|next\.config|craco\.config|config-overrides|gatsby-node|environment)\.[cm]?[jt]s$/;

/**
 * Whether a webpack version hashes with Node's md4 and has no fallback of its own: 4.x before 4.47
 * and 5.x before 5.61 (built with both on Node.js 20: 4.46.0 and 5.60.0 stop with
 * "error:0308010C:digital envelope routines::unsupported", 4.47.0 and 5.61.0 build).
 */
function needsNodeMd4(version: string): boolean {
  const [major, minor] = version.split(".").map(Number) as [number, number];
  return (major === 4 && minor < 47) || (major === 5 && minor < 61);
}

/**
 * Rejects (exit 2) a build step or start command that runs the project's webpack when the lockfile
 * pins a webpack that needs md4 from Node's crypto, on Node.js 17 or newer: their OpenSSL 3 no longer
 * provides md4, so webpack stops with "error:0308010C:digital envelope routines::unsupported". Not when
 * NODE_OPTIONS or the script passes --openssl-legacy-provider, a build configuration sets the hash or
 * patches md4, or Nuxt 2.16+ patches it.
 */
export function rejectWebpackMd4OnOpenssl3(facts: Facts, context: BuildContext, project: NodeProject, nodeMajor: number, lockfileInstalled: boolean): void {
  if (!lockfileInstalled || !Number.isFinite(nodeMajor) || nodeMajor < 17) return;
  const version = lockedVersion(context, project, "webpack");
  if (version === undefined || !needsNodeMd4(version)) return;
  if (/openssl-legacy-provider/.test(facts.variables["NODE_OPTIONS"] ?? "")) return;
  // Nuxt 2.16 patches md4 to md5 itself on Node 17+ (nuxt/nuxt#19108); a config may do the same or pick another hash
  const nuxt = lockedVersion(context, project, "nuxt");
  if (nuxt !== undefined && /^2\.(1[6-9]|[2-9]\d)\./.test(nuxt)) return;
  if (context.list().some((path) => buildConfig.test(path) && /\bmd4\b|hashFunction|createHash/.test(context.read(path) ?? ""))) return;
  const runs = (words: readonly string[]): string | undefined => {
    const text = words.join(" ");
    if (/openssl-legacy-provider/.test(text)) return undefined;
    const script = packageScript(words)?.script;
    const body = script !== undefined ? project.scripts[script] : text;
    if (body === undefined || /openssl-legacy-provider/.test(body)) return undefined;
    return runsWebpack.exec(body)?.[2];
  };
  const steps = facts.body.flatMap((entry) => (entry.run?.segments ?? []).map((s) => ({ line: entry.ins.startLine + 1, text: s.text.trim(), words: s.argv })));
  const startWords = startCommandWords(facts);
  const start = { line: startInstruction(facts).line, text: startWords.join(" "), words: startWords };
  for (const step of [...steps, start]) {
    const tool = runs(step.words);
    if (tool === undefined) continue;
    const node = /^\d/.test(facts.resolvedImage.tag) ? `Node.js ${nodeMajor}` : `Node.js ${nodeMajor} or newer`;
    throw unusable(`line ${step.line}: \`${step.text}\` runs ${tool} with webpack ${version} (${project.lockfile}), which hashes with md4, and ${facts.resolvedImage.raw} is ${node}, whose OpenSSL 3 has no md4: webpack stops with "error:0308010C:digital envelope routines::unsupported" (update webpack to 4.47+ or 5.61+, set NODE_OPTIONS=--openssl-legacy-provider, or use a node:16 image)`);
  }
}
