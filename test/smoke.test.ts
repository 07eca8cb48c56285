import { describe, expect, it } from "vitest";
import { sameBehaviour, smoke } from "../src/verify/smoke.js";
import type { Engine, ImageInfo } from "../src/verify/engine.js";

const info: ImageInfo = { sizeBytes: 1, user: "", entrypoint: [], cmd: ["server"], workdir: "/", env: [], exposedPorts: [9] };

/** An engine whose containers never answer HTTP: one exits with `code` at once, or runs until stopped. */
function engineWhoseContainer(code: number | null): Engine {
  return {
    start: async () => {
      let stop: () => void = () => undefined;
      const exited = code === null ? new Promise<number>((resolve) => (stop = () => resolve(137))) : Promise.resolve(code);
      return { output: () => "", exited, stop: async () => stop() };
    },
  } as unknown as Engine;
}

describe("verify's smoke test", () => {
  // port 9 (discard) on loopback refuses connections here, so neither container answers
  it("tells a container that crashed from one still starting when neither answers HTTP", async () => {
    const running = await smoke(engineWhoseContainer(null), "a", info, 9, 600, () => undefined);
    const crashed = await smoke(engineWhoseContainer(1), "b", info, 9, 600, () => undefined);
    expect(crashed.code).toBe(1);
    expect(sameBehaviour(running, crashed)).toBe(false);
    expect(sameBehaviour(crashed, await smoke(engineWhoseContainer(1), "c", info, 9, 600, () => undefined))).toBe(true);
  });
});
