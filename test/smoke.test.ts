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

  it("starts the image once more when the first start failed in the engine itself, and only then", async () => {
    const outputs = ["Close_Fd sealing memfd copy: Device or resource busy", "ready"];
    let starts = 0;
    const flaky = {
      start: async () => {
        const output = outputs[starts++] ?? "";
        return { output: () => output, exited: Promise.resolve(starts === 1 ? 1 : 0), stop: async () => undefined };
      },
    } as unknown as Engine;
    const result = await smoke(flaky, "d", { ...info, exposedPorts: [] }, undefined, 600, () => undefined);
    expect(starts).toBe(2);
    expect(result).toMatchObject({ ok: true, code: 0, body: "ready" });

    let crashes = 0;
    const crashing = { start: async () => ({ output: () => "Traceback", exited: Promise.resolve(++crashes && 1), stop: async () => undefined }) } as unknown as Engine;
    expect((await smoke(crashing, "e", info, undefined, 600, () => undefined)).code).toBe(1);
    expect(crashes).toBe(1);
  });
});
