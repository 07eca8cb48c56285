import type { Engine, ImageInfo } from "./engine.js";
import { onceMoreAfterEngineFault } from "./engine-faults.js";

export interface SmokeResult {
  kind: "http" | "exit";
  ok: boolean;
  /** http: status code (the exit code, or null while running, when it never answered); exit: exit code. */
  code: number | null;
  body: string;
  detail: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Probes http://127.0.0.1:port/ until it answers or the time runs out. */
async function probe(port: number, deadline: number, exited: () => boolean): Promise<{ status: number; body: string } | undefined> {
  while (Date.now() < deadline && !exited()) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000), redirect: "manual" });
      return { status: response.status, body: (await response.text()).slice(0, 100_000) };
    } catch {
      await sleep(300);
    }
  }
  return undefined;
}

/** Starts the image and records what it does; a start that failed in the engine itself is run once more. */
export async function smoke(engine: Engine, tag: string, info: ImageInfo, port: number | undefined, timeoutMs: number, track: (stop: () => Promise<void>) => void): Promise<SmokeResult> {
  return (await onceMoreAfterEngineFault(() => smokeOnce(engine, tag, info, port, timeoutMs, track), (result) => result.detail + result.body)).result;
}

/** Starts the image and records what it does: an HTTP answer for servers, exit code and output otherwise. */
async function smokeOnce(engine: Engine, tag: string, info: ImageInfo, port: number | undefined, timeoutMs: number, track: (stop: () => Promise<void>) => void): Promise<SmokeResult> {
  const running = await engine.start(tag, info, port);
  track(running.stop);
  let done = false;
  const exitCode = running.exited.then((code) => {
    done = true;
    return code;
  });
  try {
    if (port !== undefined) {
      const answer = await probe(port, Date.now() + timeoutMs, () => done);
      if (!answer) {
        const code = done ? await exitCode : null;
        // the exit code tells a container that crashed from one still starting: not the same behaviour
        return { kind: "http", ok: false, code, body: "", detail: `no HTTP answer on 127.0.0.1:${port}${code !== null ? ` (exited with ${code})` : ""}: ${running.output().slice(-400)}` };
      }
      return { kind: "http", ok: answer.status < 500, code: answer.status, body: answer.body, detail: `HTTP ${answer.status}` };
    }
    const code = await Promise.race([exitCode, sleep(timeoutMs).then(() => null)]);
    if (code === null) return { kind: "exit", ok: true, code: null, body: running.output(), detail: `still running after ${timeoutMs / 1000}s` };
    return { kind: "exit", ok: code === 0, code, body: running.output(), detail: `exit ${code}` };
  } finally {
    await running.stop();
  }
}

export function sameBehaviour(a: SmokeResult, b: SmokeResult): boolean {
  return a.kind === b.kind && a.code === b.code && a.body === b.body && a.ok === b.ok;
}
