import type { Facts } from "../analysis/facts.js";
import { startCommandWords, startInstruction } from "../analysis/start-command.js";
import { unusable } from "../errors.js";

/** uvicorn's options, which gunicorn's command line does not have (it binds with -b/--bind). */
const uvicornOnly = new Set(["--host", "--port", "--proxy-headers", "--no-proxy-headers", "--ws", "--loop", "--http", "--lifespan", "--root-path", "--reload-dir", "--reload-include", "--timeout-keep-alive", "--factory", "--uds", "--env-file"]);

/**
 * Rejects (exit 2) a start command that runs gunicorn with uvicorn's options (`gunicorn src.main:app
 * --host 0.0.0.0 --port 8000`): gunicorn's argument parser stops with "unrecognized arguments" and
 * exit code 2 before it loads the application.
 */
export function rejectGunicornWithUvicornOptions(facts: Facts): void {
  const words = startCommandWords(facts);
  // `gunicorn …`, `/venv/bin/gunicorn …` and `python -m gunicorn …` alike
  const at = words.findIndex((w) => w.split("/").pop() === "gunicorn");
  if (at < 0) return;
  const options = [...new Set(words.slice(at + 1).map((w) => w.split("=")[0]!).filter((w) => uvicornOnly.has(w)))];
  if (options.length === 0) return;
  const { keyword, line } = startInstruction(facts);
  const worker = words.some((w) => /uvicorn\.workers\./.test(w)) ? "" : " with -k uvicorn.workers.UvicornWorker for an ASGI app";
  throw unusable(`line ${line}: ${keyword} runs gunicorn with ${options.join(", ")}, uvicorn's option${options.length > 1 ? "s" : ""} that gunicorn does not have, so gunicorn stops with "unrecognized arguments" (start uvicorn with the same options, or gunicorn with -b HOST:PORT${worker})`);
}
