import type { BuildContext } from "../../analysis/context.js";
import { dockerignore } from "../../analysis/dockerignore.js";
import type { Facts } from "../../analysis/facts.js";
import { commandLine } from "../common/runtime-text.js";
import { applicationSources } from "./application-sources.js";

/**
 * Why the runtime may lack variables `pipenv run` gave the original, or undefined: pipenv loads the
 * project's `.env` into the environment of what it runs, and the runtime starts the program directly.
 * Only when a `.env` can reach the image (the checkout has one, or git ignores one the builder's checkout
 * may hold, and .dockerignore does not exclude it) and no source loads it itself with python-dotenv.
 */
export function pipenvDotenvWarning(facts: Facts, context: BuildContext): string | undefined {
  const start = `${commandLine(facts.entrypoint)} ${commandLine(facts.cmd)}`;
  if (!/(^|[\s/])pipenv\s+run\s/.test(start) || facts.variables["PIPENV_DONT_LOAD_ENV"] !== undefined) return undefined;
  const present = context.kind(".env") === "file" || /^\/?\.env\s*$/m.test(context.read(".gitignore") ?? "");
  const copied = facts.body.some((e) => e.copy && !e.copy.fromImage && e.copy.flags["from"] === undefined && e.copy.sources.some((s) => /^\.?\/?$|^\.env$|^\.\/\.env$|^\.?\/?\*$/.test(s)));
  if (!present || !copied || dockerignore(context.read(".dockerignore"))(".env")) return undefined;
  const loadsItself = applicationSources(context).some((s) => /\bload_dotenv\s*\(|\bdotenv_values\s*\(/.test(s.code));
  if (loadsItself) return undefined;
  return `the original's \`pipenv run\` loaded .env into the program's environment; the runtime starts the program without pipenv, so a .env in the image no longer sets variables (pass them with --env-file or ENV, or load it in the app with python-dotenv)`;
}
