// Bundles the CLI into dist/bundle so a fresh `msb` process loads a few files instead of hundreds
// (start-up matters: pre-commit runs msb on every commit). The GitHub Action runs the same bundle
// (action.js). The library in dist/ stays unbundled.
import { rmSync } from "node:fs";
import { build } from "esbuild";

// chunk names are content hashes: clear the old ones so the package ships only what the CLI loads
rmSync("dist/bundle", { recursive: true, force: true });

await build({
  entryPoints: { cli: "src/cli.ts", action: "src/action/run.ts" },
  outdir: "dist/bundle",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  minify: true,
  chunkNames: "chunk-[hash]",
  banner: { js: "import { createRequire as __msbCreateRequire } from 'node:module'; const require = __msbCreateRequire(import.meta.url);" },
  logLevel: "warning",
});
