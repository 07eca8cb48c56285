import { spawnSync } from "node:child_process";
import { openSync, closeSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const output = join(import.meta.dirname, "..", "dist", "cli", "output.js");

/** Runs isTerminal(1) in a process whose standard output is `stdout`; reports on stderr what it loaded. */
function probe(stdout: "pipe" | number) {
  const script = `import(${JSON.stringify(output)}).then((m) => require("node:fs").writeSync(2, JSON.stringify({ terminal: m.isTerminal(1), tty: process.moduleLoadList.includes("NativeModule tty") })));`;
  const r = spawnSync(process.execPath, ["-e", script], { stdio: ["ignore", stdout, "pipe"], encoding: "utf8" });
  return JSON.parse(r.stderr) as { terminal: boolean; tty: boolean };
}

describe("isTerminal (colour decisions, pre-commit start-up)", () => {
  it("a pipe is not a terminal, and deciding so loads no tty machinery", () => {
    expect(probe("pipe")).toEqual({ terminal: false, tty: false });
  });

  it("/dev/null is a character device but not a terminal, and deciding so loads no tty machinery", () => {
    const devNull = openSync("/dev/null", "w");
    try {
      expect(probe(devNull)).toEqual({ terminal: false, tty: false });
    } finally {
      closeSync(devNull);
    }
  });
});
