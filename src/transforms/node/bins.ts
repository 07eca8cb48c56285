/**
 * The commands an npm package installs (its package.json `bin`), for packages commonly installed
 * globally in Dockerfiles. msb cannot read a package's manifest at convert time; other packages are
 * assumed to install a command named after the package (without its scope), npm's default.
 */
const knownBins: Record<string, string[]> = {
  "@angular/cli": ["ng"],
  "@nestjs/cli": ["nest"],
  "@vue/cli": ["vue"],
  "@ionic/cli": ["ionic"],
  "@prisma/cli": ["prisma"],
  "@remix-run/serve": ["remix-serve"],
  "@remix-run/dev": ["remix"],
  "firebase-tools": ["firebase"],
  "gatsby-cli": ["gatsby"],
  "http-server": ["http-server", "hs"],
  "json-server": ["json-server"],
  "live-server": ["live-server"],
  "lite-server": ["lite-server"],
  nuxt: ["nuxt", "nuxi"],
  nuxi: ["nuxi", "nuxt"],
  pm2: ["pm2", "pm2-runtime", "pm2-dev", "pm2-docker"],
  pnpm: ["pnpm", "pnpx"],
  "react-scripts": ["react-scripts"],
  "sequelize-cli": ["sequelize", "sequelize-cli"],
  "sirv-cli": ["sirv"],
  "ts-node": ["ts-node", "ts-node-esm", "ts-node-script", "ts-node-transpile-only", "ts-script"],
  "ts-node-dev": ["ts-node-dev", "tsnd"],
  typescript: ["tsc", "tsserver"],
  "typeorm": ["typeorm"],
  yarn: ["yarn", "yarnpkg"],
  forever: ["forever"],
  nodemon: ["nodemon"],
  serve: ["serve"],
  concurrently: ["concurrently", "conc"],
  "npm-run-all": ["npm-run-all", "run-p", "run-s"],
  "dotenv-cli": ["dotenv"],
  "cross-env": ["cross-env", "cross-env-shell"],
  "@babel/node": ["babel-node"],
  "@babel/cli": ["babel"],
  localtunnel: ["lt"],
  "@swc/cli": ["swc", "swcx", "spack"],
  "@vercel/ncc": ["ncc"],
  "@sentry/cli": ["sentry-cli"],
};

/** The package name without a version or tag: `@angular/cli@17` → `@angular/cli`, `pm2@latest` → `pm2`. */
export function packageNameOf(spec: string): string {
  const m = /^(@[^/@]+\/[^@]+|[^@]+)/.exec(spec);
  return m ? m[1]! : spec;
}

export function binsOf(spec: string): string[] {
  const name = packageNameOf(spec);
  if (name.startsWith("@types/")) return [];
  return (knownBins[name] ?? [name.replace(/^@[^/]+\//, "")]).filter((bin) => !["node", "npm", "npx", "sh"].includes(bin));
}

/** The words of a command line, split where shells and JSON arrays separate commands and arguments. */
export function commandLineWords(text: string): Set<string> {
  return new Set(text.split(/[\s;&|()`"'=,[\]]+/).map((w) => w.split("/").pop() ?? w).filter(Boolean));
}
