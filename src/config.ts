import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { MsbError } from "./errors.js";

/** Options a team keeps in `.msbrc.json` or under "msb" in package.json; command-line flags win. */
export interface MsbConfig {
  runtime?: "auto" | "slim" | "alpine" | "distroless" | "scratch";
  tests?: "gate" | "target";
  cache?: boolean;
  splitDeps?: boolean;
  dropSecretEnv?: boolean;
  nodeEnvProduction?: boolean;
  dev?: boolean;
  selectByArg?: string;
  ignore?: string[];
  strict?: boolean;
  format?: "text" | "json" | "sarif" | "github";
}

const schema: Record<keyof MsbConfig, (v: unknown) => boolean> = {
  runtime: (v) => typeof v === "string" && ["auto", "slim", "alpine", "distroless", "scratch"].includes(v),
  tests: (v) => v === "gate" || v === "target",
  cache: (v) => typeof v === "boolean",
  splitDeps: (v) => typeof v === "boolean",
  dropSecretEnv: (v) => typeof v === "boolean",
  nodeEnvProduction: (v) => typeof v === "boolean",
  dev: (v) => typeof v === "boolean",
  selectByArg: (v) => typeof v === "string" && /^[A-Za-z_]\w*$/.test(v),
  ignore: (v) => Array.isArray(v) && v.every((x) => typeof x === "string"),
  strict: (v) => typeof v === "boolean",
  format: (v) => typeof v === "string" && ["text", "json", "sarif", "github"].includes(v),
};

export function validateConfig(value: unknown, source: string): MsbConfig {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new MsbError("usage", `${source}: the msb configuration must be an object`);
  for (const [key, v] of Object.entries(value)) {
    const valid = schema[key as keyof MsbConfig];
    if (!valid) throw new MsbError("usage", `${source}: unknown option "${key}"`);
    if (!valid(v)) throw new MsbError("usage", `${source}: invalid value for "${key}"`);
  }
  return value as MsbConfig;
}

/** The nearest `.msbrc.json`, or package.json with an "msb" key, from `start` upwards. */
export function loadConfig(start: string, explicit?: string): { config: MsbConfig; source?: string } {
  if (explicit) return { config: readConfigFile(explicit), source: explicit };
  let dir = resolve(start);
  for (;;) {
    const rc = join(dir, ".msbrc.json");
    if (existsSync(rc)) return { config: readConfigFile(rc), source: rc };
    const pkg = join(dir, "package.json");
    if (existsSync(pkg)) {
      const parsed = parseJson(pkg);
      if (parsed && typeof parsed === "object" && "msb" in parsed) return { config: validateConfig((parsed as { msb: unknown }).msb, `${pkg} ("msb")`), source: pkg };
    }
    if (existsSync(join(dir, ".git")) || dirname(dir) === dir) return { config: {} };
    dir = dirname(dir);
  }
}

function readConfigFile(path: string): MsbConfig {
  return validateConfig(parseJson(path), path);
}

function parseJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new MsbError("usage", `${path}: cannot be read`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new MsbError("usage", `${path}: is not valid JSON`);
  }
}
