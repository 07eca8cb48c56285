#!/usr/bin/env node
"use strict";
// Starts the bundled CLI through V8's code cache, so a pre-commit run does not compile msb anew on
// every commit (Node 20 has no module.enableCompileCache). The cache lives in the user's cache
// directory, keyed by the bundle's path, size and mtime and the Node.js version and arch; V8 itself rejects
// a cache that does not match the source or its flags, and msb then compiles normally and rewrites
// it. MSB_NO_COMPILE_CACHE=1 turns it off; any failure to read or write it only costs speed.
const { mkdirSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } = require("node:fs");
const { createRequire, wrap } = require("node:module");
const { homedir } = require("node:os");
const { basename, dirname, join } = require("node:path");
const { Script } = require("node:vm");

const bundle = join(__dirname, "..", "dist", "bundle", "cli.cjs");

function cacheDirectory() {
  if (process.env.MSB_CACHE_DIR) return process.env.MSB_CACHE_DIR;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "msb");
}

// FNV-1a of the bundle's path: two installs of msb (global and a project's) keep a cache each
// instead of removing each other's on every run; node:crypto would cost more to load than msb saves
function pathKey(path) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) hash = Math.imul(hash ^ path.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, "0");
}

function cacheFile(source) {
  if (process.env.MSB_NO_COMPILE_CACHE) return undefined;
  try {
    const { mtimeMs } = statSync(bundle);
    return join(cacheDirectory(), `cli-${pathKey(bundle)}-${source.length}-${Math.floor(mtimeMs)}-${process.version}-${process.arch}.v8cache`);
  } catch {
    return undefined;
  }
}

// a cache another user could have written is never deserialized: it is code
function readCache(file) {
  try {
    if (!file || (typeof process.getuid === "function" && statSync(file).uid !== process.getuid())) return undefined;
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

// written beside, then renamed: concurrent runs never read half a cache; this install's older caches are removed
function writeCache(file, data) {
  try {
    const dir = dirname(file);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, data, { mode: 0o600 });
    renameSync(temp, file);
    const own = `cli-${pathKey(bundle)}-`;
    const legacy = /^cli-\d+-\d+-v[\d.]+-\w+\.v8cache$/; // before caches were keyed by path
    for (const name of readdirSync(dir)) {
      if (((name.startsWith(own) && name.endsWith(".v8cache")) || legacy.test(name)) && name !== basename(file)) unlinkSync(join(dir, name));
    }
  } catch {
    // a read-only or full cache directory only costs speed
  }
}

const source = readFileSync(bundle, "utf8");
const file = cacheFile(source);
const cachedData = readCache(file);
const script = new Script(wrap(source), { filename: bundle, cachedData });
const module_ = { exports: {} };
script.runInThisContext()(module_.exports, createRequire(bundle), module_, bundle, dirname(bundle));
module_.exports.main(process.argv).then((code) => {
  process.exitCode = code;
  // after the run, so the cache holds the functions this command compiled, not only the top level
  if (file && (cachedData === undefined || script.cachedDataRejected)) writeCache(file, script.createCachedData());
});
