import { describe, expect, it } from "vitest";
import { isEngineFault, retryingEngineFaults } from "../src/verify/engine-faults.js";

const sealFault = 'Close_Fd sealing memfd copy: Device or resource busy\nError: building at STEP "RUN make": exit status 1';

describe("builds that failed in the engine itself", () => {
  it("knows buildah's memfd sealing fault and nothing a Dockerfile causes", () => {
    expect(isEngineFault(sealFault)).toBe(true);
    expect(isEngineFault('Error: building at STEP "RUN make": exit status 2')).toBe(false);
    expect(isEngineFault("rm: cannot remove '/x': Device or resource busy")).toBe(false);
  });

  it("runs an engine-fault failure once more and says so", async () => {
    const logs = [sealFault, "built"];
    let calls = 0;
    const r = await retryingEngineFaults(async () => ({ ok: calls++ === 1, log: logs[calls - 1]! }));
    expect(calls).toBe(2);
    expect(r.ok).toBe(true);
    expect(r.log).toBe("built\n(the first build failed in the engine itself and was run again)");
  });

  it("does not run again a build the Dockerfile broke, nor a second engine fault", async () => {
    let calls = 0;
    const broken = await retryingEngineFaults(async () => ({ ok: (calls++, false), log: "exit status 2" }));
    expect(calls).toBe(1);
    expect(broken.ok).toBe(false);
    calls = 0;
    const twice = await retryingEngineFaults(async () => ({ ok: (calls++, false), log: sealFault }));
    expect(calls).toBe(2);
    expect(twice.ok).toBe(false);
  });
});
