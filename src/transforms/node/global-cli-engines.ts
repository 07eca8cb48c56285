import { commandWords, nodeInstall } from "../../analysis/commands.js";
import type { Facts } from "../../analysis/facts.js";
import { startCommandWords } from "../../analysis/start-command.js";
import { unusable } from "../../errors.js";
import { taggedNodeRelease } from "../common/base-images.js";

/**
 * Command-line tools installed globally whose newest release needs a newer Node.js than older images run
 * (engines of the tool or of a dependency, from the npm registry): `node` is the oldest [major, minor]
 * Yarn 1 installs it on. `crashesBelow`: under that major it also fails to run when npm, which only warns
 * on engines, installs it.
 */
const newestNeeds: { name: string; bin: string; node: [number, number]; release: string; failure: string; crashesBelow?: number; pin: (nodeMajor: number) => string }[] = [
  { name: "@nestjs/cli", bin: "nest", node: [20, 11], release: "12", failure: "engines node >= 20.11", pin: () => "@nestjs/cli@10" },
  // serve 14 on Node.js 12.6: "SyntaxError: Unexpected token {" at start; its tinyclip asks for ^16.14.0 || >=17.3.0, boxen 7 for >=14.16
  { name: "serve", bin: "serve", node: [16, 14], release: "14", failure: "its dependency tinyclip's engines node ^16.14.0 || >=17.3.0", crashesBelow: 14, pin: () => "serve@13" },
  // pm2 6 needs Node.js 16; pm2 5 depends on proxy-agent 6, which needs Node.js 14; pm2 4 installs on Node.js 12
  { name: "pm2", bin: "pm2", node: [18, 0], release: "7", failure: "engines node >= 18", pin: (major) => (major >= 16 ? "pm2@6" : major >= 14 ? "pm2@5" : "pm2@4") },
];

/** The package specs a global install names (`npm install -g serve`, `yarn global add @nestjs/cli`). */
function globalSpecs(argv: readonly string[]): { manager: "npm" | "yarn" | "pnpm"; specs: string[] } | undefined {
  const words = commandWords(argv);
  if (words[0] === "yarn" && words[1] === "global" && words[2] === "add") return { manager: "yarn", specs: words.slice(3).filter((w) => !w.startsWith("-")) };
  const install = nodeInstall(words);
  if (!install || !install.flags.some((f) => f === "-g" || f === "--global" || f === "--location=global")) return undefined;
  return { manager: install.manager, specs: install.packages };
}

/** `serve`, `serve@latest` and `@nestjs/cli` take the newest release; `serve@13` does not. */
const unpinned = (spec: string, name: string) => spec === name || spec === `${name}@latest`;

/**
 * Rejects (exit 2) an unpinned global install of a tool whose newest release needs a newer Node.js than
 * the image's: yarn 1 stops on the engines mismatch ("The engine "node" is incompatible with this
 * module"); npm installs it with a warning, and the tool then fails where the build or the start command
 * runs it.
 */
export function rejectGlobalCliNewerThanNode(facts: Facts, nodeMajor: number): void {
  if (!Number.isFinite(nodeMajor)) return;
  // a tag naming the minor release (`node:14.15-alpine`); a floating tag holds its line's newest
  const { minor } = taggedNodeRelease(facts.resolvedImage.tag);
  const imageMinor = minor ?? Number.POSITIVE_INFINITY;
  const older = (need: [number, number]) => nodeMajor < need[0] || (nodeMajor === need[0] && imageMinor < need[1]);
  const start = startCommandWords(facts).join(" ");
  facts.body.forEach((entry, index) => {
    for (const segment of entry.run?.segments ?? []) {
      const global = globalSpecs(segment.argv);
      if (!global) continue;
      for (const tool of newestNeeds) {
        if (!older(tool.node) || !global.specs.some((spec) => unpinned(spec, tool.name))) continue;
        const atStart = new RegExp(`(^|[\\s/])${tool.bin}(\\s|$)`).test(start);
        const runsLater = atStart || facts.body.slice(index + 1).some((e) => (e.run?.segments ?? []).some((s) => commandWords(s.argv)[0] === tool.bin));
        const crashes = tool.crashesBelow !== undefined && nodeMajor < tool.crashesBelow;
        if (global.manager !== "yarn" && !(crashes && runsLater)) continue;
        const how = global.manager === "yarn" ? `yarn 1 stops on the mismatch ("The engine "node" is incompatible with this module")` : `npm installs it with a warning, and ${tool.bin} then fails as soon as it runs${atStart ? ", at container start" : ""}`;
        const version = minor === undefined ? `${nodeMajor}` : `${nodeMajor}.${minor}`;
        throw unusable(`line ${entry.ins.startLine + 1}: \`${segment.text.trim()}\` takes the newest ${tool.name} (${tool.release}.x, ${tool.failure}), which Node.js ${version} cannot run: ${how}; pin a release that supports Node.js ${version} (${tool.pin(nodeMajor)})`);
      }
    }
  });
}
