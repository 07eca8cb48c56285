import { spawnSync, execFileSync } from "node:child_process";
import { closeSync, openSync, ftruncateSync, writeFileSync, chmodSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scratchDir } from "./support/scratch.js";
import { convert, MsbError } from "../src/index.js";

const bin = join(import.meta.dirname, "..", "bin", "msb.cjs");
const dir = scratchDir("hostile-");

function msb(args: string[], options: { input?: string; stdin?: "ignore" | "pipe" } = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", input: options.input, stdio: [options.stdin ?? "pipe", "pipe", "pipe"], timeout: 60_000, env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

describe("hostile and huge input", () => {
  it("a 50 MB file is refused without being read", () => {
    const file = join(dir, "Huge.Dockerfile");
    const fd = openSync(file, "w");
    ftruncateSync(fd, 50 * 1024 * 1024);
    closeSync(fd);
    const r = msb(["convert", file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/is 50 MB; msb reads Dockerfiles up to 5 MB/);
  });

  it("a 100,000-line RUN continuation converts (time is measured by npm run bench)", () => {
    const body = Array.from({ length: 100_000 }, (_, i) => `  && echo line${i} \\`).join("\n");
    const text = `FROM node:18\nWORKDIR /app\nCOPY . .\nRUN npm install \\\n${body}\n  && true\nCMD ["node", "index.js"]\n`;
    const result = convert(text);
    expect(result.status).toBe("converted");
    expect(result.dockerfile).toContain("  && echo line99999 \\");
  }, 120_000);

  it("deeply nested variable references", () => {
    const nested = Array.from({ length: 500 }, (_, i) => `\${V${i}:-`).join("") + "x" + "}".repeat(500);
    const text = `FROM python:3.11\nENV DEEP=${nested}\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n`;
    expect(convert(text).dockerfile).toContain(`ENV DEEP=${nested}`);
  });

  it("a directory, a FIFO and a missing file are refused with exit 2", () => {
    expect(msb(["convert", dir]).stderr).toMatch(/is a directory/);
    const fifo = join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    const r = msb(["convert", fifo]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not a regular file/);
    expect(msb(["convert", join(dir, "missing")]).stderr).toMatch(/no such file/);
  });

  it.skipIf(process.getuid?.() === 0)("an unreadable file is refused with exit 2", () => {
    const file = join(dir, "Secret.Dockerfile");
    writeFileSync(file, "FROM node:18\n");
    chmodSync(file, 0o000);
    const r = msb(["convert", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/permission denied/);
  });

  it("standard input closed at once is empty input", () => {
    const r = msb(["convert", "-"], { stdin: "ignore" });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/<stdin>: is empty/);
    expect(r.stdout).toBe("");
  });

  it("text that is not UTF-8 (a CP1251 comment BuildKit reads) is converted with its bytes kept as they are", () => {
    const file = join(dir, "Cp1251.Dockerfile");
    const comment = Buffer.from([0x23, 0x20, 0xcf, 0xf0, 0xee, 0xea, 0xf1, 0xe8, 0x0a]); // "# Прокси" in CP1251
    writeFileSync(file, Buffer.concat([Buffer.from("FROM python:3.12\n"), comment, Buffer.from("WORKDIR /srv\nCOPY . .\nRUN pip install aiohttp==3.9.5\nCMD [\"python\", \"proxy.py\"]\n")]));
    writeFileSync(join(dir, "proxy.py"), "import aiohttp\n");
    const r = spawnSync(process.execPath, [bin, "convert", file], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    expect(r.status).toBe(0);
    expect(r.stderr.toString()).toMatch(/is not UTF-8 text: msb keeps its bytes as they are/);
    expect((r.stdout as Buffer).includes(comment)).toBe(true);
    expect(r.stdout.toString("latin1")).toMatch(/AS runtime/);
  });

  it("never a stack trace without --debug, even for internal errors", () => {
    const r = msb(["convert", "--context", "/proc/self/mem", "-"], { input: "FROM node:18\nCOPY . /app\nCMD node /app/a.js\n" });
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect([0, 2, 3, 70]).toContain(r.code);
  });

  it("every refusal is an MsbError with a documented exit code", () => {
    for (const text of ["", "\0", "RUN x", "FROM\n", "FROM a b\n", "FROM node:18\nRUN <<EOF\n", "FROM scratch\nCOPY x /x\n"]) {
      let error: unknown;
      try {
        convert(text);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(text)).toBeInstanceOf(MsbError);
      expect([2, 3]).toContain((error as InstanceType<typeof MsbError>).exitCode);
    }
  });
});
