/**
 * Build and start failures that come from the engine's own machinery, not from the Dockerfile: the
 * same build or container passes when run again. Seen with buildah's chroot isolation when the kernel refuses, for a
 * moment, to seal the in-memory copy of the runtime binary (fcntl F_ADD_SEALS → EBUSY).
 */
const ENGINE_FAULTS = [/sealing memfd copy: Device or resource busy/];

export function isEngineFault(log: string): boolean {
  return ENGINE_FAULTS.some((pattern) => pattern.test(log));
}

export interface Attempt {
  ok: boolean;
  log: string;
}

/** Runs a step once more when its first run failed only through an engine fault (`output` gives what the engine printed); the second run's result stands. */
export async function onceMoreAfterEngineFault<T extends { ok: boolean }>(run: () => Promise<T>, output: (result: T) => string): Promise<{ result: T; retried: boolean }> {
  const first = await run();
  if (first.ok || !isEngineFault(output(first))) return { result: first, retried: false };
  return { result: await run(), retried: true };
}

/** Runs a build, and once more when it failed only through an engine fault; the log says so. */
export async function retryingEngineFaults<T extends Attempt>(build: () => Promise<T>): Promise<T> {
  const { result, retried } = await onceMoreAfterEngineFault(build, (attempt) => attempt.log);
  return retried ? { ...result, log: `${result.log}\n(the first build failed in the engine itself and was run again)` } : result;
}
