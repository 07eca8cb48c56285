import { describe, expect, it } from "vitest";
import { convert, memoryContext } from "../src/index.js";
import { exitOutcome } from "./support/outcome.js";

const dockerfile = (start: string, users = "RUN useradd --system worker\n") => `FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gosu && rm -rf /var/lib/apt/lists/*\nWORKDIR /srv\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n${users}${start}\n`;
const context = (script = "") => memoryContext({ "requirements.txt": "requests==2.32.3\n", "job.py": "print(1)\n", ...(script ? { "entrypoint.sh": script } : {}) });

describe("a start command that switches users itself", () => {
  it("keeps root in the runtime and creates the user it switches to, as the original does", () => {
    const result = convert(dockerfile('CMD ["gosu", "worker", "python", "job.py"]'), { context: context() });
    expect(result.dockerfile).toMatch(/^RUN useradd --system worker$/m);
    expect(result.dockerfile).not.toMatch(/^USER /m);
    expect(result.notes.map((n) => n.message).join("\n")).toMatch(/drops privileges itself with gosu to worker/);
  });

  it("reads the user from a start script, variables resolved (setpriv --reuid)", () => {
    const result = convert(dockerfile('ENV RUN_AS=worker\nENTRYPOINT ["./entrypoint.sh"]\nCMD ["python", "job.py"]'), { context: context('#!/bin/sh\nexec setpriv --reuid="$RUN_AS" --regid="$RUN_AS" --init-groups "$@"\n') });
    expect(result.notes.map((n) => n.message).join("\n")).toMatch(/with setpriv to worker/);
  });

  it("is refused when no step creates that user", () => {
    expect(exitOutcome(dockerfile('CMD ["gosu", "nobody2", "python", "job.py"]'), { context: context() })).toBe("3");
  });

  it("does not take chpst without -u, or a commented gosu, for a switch", () => {
    const result = convert(dockerfile('ENTRYPOINT ["./entrypoint.sh"]\nCMD ["python", "job.py"]'), { context: context('#!/bin/sh\n# exec gosu worker "$@"\nexec chpst -e /etc/env "$@"\n') });
    expect(result.dockerfile).toMatch(/^USER /m);
  });
});

describe("the Docker SDK in tests is the test runner's, not the application's", () => {
  it("finds the SDK in application code and not in conftest.py or test modules", async () => {
    const { dockerSocketUse } = await import("../src/analysis/docker-socket.js");
    const { memoryContext } = await import("../src/analysis/context.js");
    const sdk = "import docker\nclient = docker.from_env()\n";
    expect(dockerSocketUse(memoryContext({ "app.py": sdk }), "python")).toBe("app.py imports the Docker SDK");
    expect(dockerSocketUse(memoryContext({ "app.py": "print(1)\n", "conftest.py": sdk, "api_test.py": sdk, "test_api.py": sdk }), "python")).toBeUndefined();
  });
});
