// Bundles the CLI into dist/bundle so a fresh `msb` process loads one file instead of hundreds
// (start-up matters: pre-commit runs msb on every commit). The CLI bundle is CommonJS because
// bin/msb.cjs compiles it through V8's code cache (vm.Script cachedData), which Node 20 offers only
// for scripts, not ES modules. The GitHub Action runs its own ESM bundle (action.js). The library in
// dist/ stays unbundled ESM.
import { rmSync } from "node:fs";
import { build } from "esbuild";

rmSync("dist/bundle", { recursive: true, force: true });

// commander requires node:child_process at load for executable subcommands, which msb has none of;
// loading it (and net, stream, …) costs a cold start more than msb's own work on one file
const lazyChildProcess = {
  name: "lazy-child-process",
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) => (/[\\/]commander[\\/]/.test(args.importer) ? { path: "child_process", namespace: "lazy" } : undefined));
    b.onLoad({ filter: /.*/, namespace: "lazy" }, () => ({
      contents: 'let loaded; module.exports = new Proxy({}, { get: (_, key) => (loaded ??= require("node:child_process"))[key] });',
      loader: "js",
    }));
  },
};

// msb decides colour itself (src/cli/colour.ts) and always passes chalk a level; chalk's own detection
// at import would load node:tty, and with it net and stream, on every start
const noColourDetection = {
  name: "no-colour-detection",
  setup(b) {
    b.onResolve({ filter: /^#supports-color$/ }, () => ({ path: "supports-color", namespace: "no-detection" }));
    b.onLoad({ filter: /.*/, namespace: "no-detection" }, () => ({ contents: "export default { stdout: false, stderr: false };", loader: "js" }));
  },
};

// MSB_BUNDLE_NAMES=1 keeps function names, for reading CPU profiles
const common = { bundle: true, platform: "node", target: "node20", minify: !process.env.MSB_BUNDLE_NAMES, minifyWhitespace: true, logLevel: "warning" };

await build({
  ...common,
  entryPoints: { cli: "src/cli.ts" },
  outExtension: { ".js": ".cjs" },
  outdir: "dist/bundle",
  format: "cjs",
  plugins: [lazyChildProcess, noColourDetection],
  define: { "import.meta.url": "__msbModuleUrl" },
  banner: { js: "const __msbModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
});

await build({
  ...common,
  entryPoints: { action: "src/action/run.ts" },
  outdir: "dist/bundle",
  format: "esm",
  banner: { js: "import { createRequire as __msbCreateRequire } from 'node:module'; const require = __msbCreateRequire(import.meta.url);" },
});
