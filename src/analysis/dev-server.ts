import { tokenize } from "../parser/shell.js";

/** A front-end or server framework whose development server msb recognises. */
export type Framework =
  | "angular" | "vite" | "cra" | "vue-cli" | "webpack" | "parcel" | "gatsby"
  | "next" | "nuxt" | "sveltekit" | "remix" | "astro"
  | "nodemon" | "ts-node-dev" | "node-watch" | "nest-watch" | "tsc-watch";

export interface DevServer {
  framework: Framework;
  /** What the start command runs, as the report names it: `ng serve`, `vite`, `nodemon`. */
  tool: string;
  /** The command line that runs it (after resolving package.json scripts). */
  line: string;
  /** The chain of scripts that led to it: ["start"] for `npm start` → `ng serve`. */
  via: string[];
}

const recognisers: [RegExp, Framework, string][] = [
  [/(?:^|\s)(?:ng)\s+(?:serve|s)(?:\s|$)/, "angular", "ng serve"],
  [/(?:^|\s)(?:nuxt|nuxi)\s+dev(?:\s|$)|^nuxt(?:\s+-|$)/, "nuxt", "nuxt dev"],
  [/(?:^|\s)next\s+dev(?:\s|$)|^next(?:\s+-|$)/, "next", "next dev"],
  [/(?:^|\s)(?:react-scripts|craco|react-app-rewired)\s+start(?:\s|$)/, "cra", "react-scripts start"],
  [/(?:^|\s)vue-cli-service\s+serve(?:\s|$)/, "vue-cli", "vue-cli-service serve"],
  [/(?:^|\s)remix\s+(?:vite:)?dev(?:\s|$)/, "remix", "remix dev"],
  [/(?:^|\s)astro\s+dev(?:\s|$)/, "astro", "astro dev"],
  [/(?:^|\s)gatsby\s+develop(?:\s|$)/, "gatsby", "gatsby develop"],
  [/(?:^|\s)(?:webpack\s+serve|webpack-dev-server)(?:\s|$)/, "webpack", "webpack serve"],
  [/(?:^|\s)parcel(?!\s+build)(?:\s|$)/, "parcel", "parcel"],
  [/(?:^|\s)vite(?!\s+(?:build|preview|optimize))(?:\s|$)/, "vite", "vite"],
  [/(?:^|\s)nodemon(?:\s|$)/, "nodemon", "nodemon"],
  [/(?:^|\s)(?:ts-node-dev|tsnd)(?:\s|$)/, "ts-node-dev", "ts-node-dev"],
  [/(?:^|\s)(?:node|tsx)\s+(?:.*\s)?--watch(?:\s|$)|(?:^|\s)tsx\s+watch(?:\s|$)/, "node-watch", "node --watch"],
  [/(?:^|\s)nest\s+start\s+(?:.*\s)?(?:--watch|-w)(?:\s|$)/, "nest-watch", "nest start --watch"],
  [/(?:^|\s)tsc-watch(?:\s|$)/, "tsc-watch", "tsc-watch"],
];

/** Whether a command line (one script or the start command) runs a development server, without following scripts. */
export function devServerIn(line: string): { framework: Framework; tool: string } | undefined {
  for (const part of line.split(/\s*(?:&&|\|\||;|&)\s*/)) {
    const words = stripRunners(part.trim());
    for (const [pattern, framework, tool] of recognisers) if (pattern.test(words)) return { framework, tool };
  }
  return undefined;
}

/** `npx ng serve`, `cross-env X=1 vite`, `node_modules/.bin/next dev` → the tool's own words. */
function stripRunners(line: string): string {
  return line
    .replace(/^(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)+/, "")
    .replace(/^(?:cross-env|env)\s+(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*/, "")
    .replace(/^(?:npx|pnpm\s+exec|pnpm\s+dlx|yarn\s+exec|bunx)\s+(?:--\S+\s+)*/, "")
    .replace(/(?:^|\s)(?:\.\/|\/(?:[^\s/]+\/)*)?node_modules\/\.bin\//g, " ")
    .trim();
}

/** The package script a command line runs (`npm start`, `npm run dev`, `yarn dev`, `pnpm run serve`), if any. */
export function scriptRun(line: string): string | undefined {
  const words = tokenize(line.trim());
  const tool = words[0];
  if (tool !== "npm" && tool !== "yarn" && tool !== "pnpm") return undefined;
  const rest = words.slice(1).filter((w) => !w.startsWith("-"));
  if (rest[0] === "start" || rest[0] === "test" || (tool === "npm" && rest[0] === "t")) return rest[0] === "t" ? "test" : rest[0];
  if (rest[0] === "run" || rest[0] === "run-script") return rest[1];
  if (tool !== "npm" && rest[0] && !packageManagerCommands.has(rest[0])) return rest[0];
  return undefined;
}

/** yarn's and pnpm's own commands; any other first word (`yarn build`, `pnpm dev`) runs the package script of that name. */
const packageManagerCommands = new Set([
  "install", "i", "add", "remove", "rm", "exec", "dlx", "upgrade", "update", "up", "cache", "config", "global", "why",
  "info", "list", "ls", "pack", "publish", "version", "workspace", "workspaces", "rebuild", "fetch", "prune", "store",
  "import", "link", "unlink", "outdated", "audit", "init", "create", "dedupe", "bin", "check", "licenses", "deploy", "setup", "env",
]);

/**
 * Follows the start command through package.json scripts (`npm start` → `npm run dev` → `vite`) and
 * says which development server it runs, if any.
 */
export function recogniseDevServer(startLine: string, scripts: Record<string, string>): DevServer | undefined {
  // breadth first: `yarn build && yarn start` follows both scripts, and the nearest server wins
  const queue: { line: string; via: string[] }[] = [{ line: startLine, via: [] }];
  for (let i = 0; i < queue.length && i < 16; i++) {
    const { line, via } = queue[i]!;
    const direct = devServerIn(line);
    if (direct) return { ...direct, line, via };
    for (const next of line.split(/\s*(?:&&|;)\s*/).map(scriptRun)) {
      if (next !== undefined && !via.includes(next) && scripts[next] !== undefined) queue.push({ line: scripts[next]!, via: [...via, next] });
    }
  }
  return undefined;
}

/** The port a development server listens on: its flag, or the tool's default. */
export function devServerPort(server: DevServer): number | undefined {
  const flag = /(?:^|\s)(?:--port|-p|--listen|-l)[= ](\d+)/.exec(server.line);
  if (flag) return Number(flag[1]);
  const defaults: Partial<Record<Framework, number>> = { angular: 4200, vite: 5173, cra: 3000, "vue-cli": 8080, webpack: 8080, parcel: 1234, gatsby: 8000, next: 3000, nuxt: 3000, sveltekit: 5173, remix: 5173, astro: 4321 };
  return defaults[server.framework];
}

/** The start command and every package script it runs, in order (`npm start` → "node dist/main.js"). */
export function startChain(startLine: string, scripts: Record<string, string>): string[] {
  const lines = [startLine];
  const seen = new Set<string>();
  for (let i = 0; i < lines.length && i < 8; i++) {
    for (const part of lines[i]!.split(/\s*(?:&&|\|\||;)\s*/)) {
      const name = scriptRun(part);
      if (name && !seen.has(name) && scripts[name] !== undefined) {
        seen.add(name);
        lines.push(scripts[name]!);
      }
    }
  }
  return lines;
}
