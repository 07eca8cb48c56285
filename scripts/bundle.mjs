// Bundles the CLI into dist/bundle so a fresh `msb` process loads a few files instead of hundreds
// (start-up matters: pre-commit runs msb on every commit). The GitHub Action runs the same bundle
// (action.js). The library in dist/ stays unbundled.
import { build } from "esbuild";

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
