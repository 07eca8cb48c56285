#!/usr/bin/env node
// Generates a corpus of varied Dockerfiles from the fixtures, each in its own directory with the
// fixture's context files: new base versions, extra ENV/LABEL/comments, OS packages, CRLF, lower-case
// keywords, escape directives. Deterministic for a given seed. Usage: generate-corpus.mjs DIR [COUNT] [SEED]
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [out, countArg = "1000", seedArg = "42"] = process.argv.slice(2);
if (!out) {
  console.error("usage: generate-corpus.mjs DIR [COUNT] [SEED]");
  process.exit(2);
}
let state = Number(seedArg) >>> 0 || 1;
const random = () => {
  state ^= state << 13; state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5; state >>>= 0;
  return state / 0x100000000;
};
const pick = (list) => list[Math.floor(random() * list.length)];

const fixtures = readdirSync(join(root, "fixtures")).filter((f) => existsSync(join(root, "fixtures", f, "Dockerfile"))).sort();
const versions = { node: ["16", "18", "20", "22", "20-bookworm", "18-alpine"], python: ["3.9", "3.10", "3.11", "3.12", "3.12-bookworm"], golang: ["1.20", "1.21", "1.22", "1.22-alpine"] };
const mutations = [
  (t) => t.replace(/^(FROM\s+)(node|python|golang):[^\s]+/m, (_, f, n) => `${f}${n}:${pick(versions[n])}`),
  (t) => t.replace(/^(WORKDIR .*)$/m, `$1\nENV APP_MODE=${pick(["prod", "staging"])} LOG_FORMAT=json`),
  (t) => t.replace(/^(FROM .*)$/m, `$1\nLABEL org.opencontainers.image.source="https://example.com/${Math.floor(random() * 1e6)}"`),
  (t) => `# generated variant\n${t}`.replace(/^(RUN .*)$/m, "# build step\n$1"),
  (t) => t.replace(/^(FROM .*)$/m, `$1\nRUN apt-get update && apt-get install -y --no-install-recommends ${pick(["curl", "libpq-dev gcc", "tini", "git make"])} && rm -rf /var/lib/apt/lists/*`),
  (t) => t.replace(/\n/g, "\r\n"),
  (t) => t.replace(/^(RUN|COPY|WORKDIR|EXPOSE|ENV)\b/gm, (k) => k.toLowerCase()),
  (t) => t.replace(/^(CMD .*)$/m, "EXPOSE 8080\n$1"),
  (t) => t.slice(0, Math.floor(random() * t.length)),
  (t) => t.replace(/\n([^\n]*)$/, " \\\n$1 \\"),
  (t) => `\uFEFF${t}`,
  (t) => `# escape=\`\n${t}`,
  (t) => t.replace(/^FROM\s+(\S+)/m, "FROM --platform=$BUILDPLATFORM registry.local:5000/$1"),
  (t) => `${t}\nONBUILD RUN echo hi\n`,
  (t) => t.replace(/^(RUN .*)$/m, "$1 \\\n    # inner comment\n    && echo done"),
  (t) => t,
];

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const count = Number(countArg);
for (let i = 0; i < count; i++) {
  const fixture = fixtures[i % fixtures.length];
  const source = join(root, "fixtures", fixture);
  const dir = join(out, `${String(i).padStart(5, "0")}-${fixture}`);
  cpSync(source, dir, { recursive: true, filter: (p) => !/expected|options\.json/.test(p) });
  let text = readFileSync(join(source, "Dockerfile"), "utf8");
  const rounds = 1 + Math.floor(random() * 3);
  for (let r = 0; r < rounds; r++) text = pick(mutations)(text);
  writeFileSync(join(dir, "Dockerfile"), text, "utf8");
}
console.log(`${count} Dockerfiles in ${out}`);
