import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { scratchDir } from "./support/scratch.js";

/** Which fs call fails next (simulated disk full / read-only directory), if any. */
const fault: { op?: string; code?: string } = {};

vi.mock("node:fs", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs")>();
  const failing = <T extends (...args: never[]) => unknown>(op: string, fn: T): T =>
    ((...args: never[]) => {
      if (fault.op === op) throw Object.assign(new Error(`${op} failed`), { code: fault.code });
      return fn(...args);
    }) as T;
  return {
    ...real,
    openSync: failing("open", real.openSync),
    writeSync: failing("write", real.writeSync),
    fsyncSync: failing("fsync", real.fsyncSync),
    renameSync: failing("rename", real.renameSync),
  };
});

const { writeAtomically } = await import("../src/io.js");
const { MsbError } = await import("../src/errors.js");

function target(mode = 0o640): { dir: string; file: string } {
  const dir = scratchDir("write-");
  const file = join(dir, "Dockerfile");
  writeFileSync(file, "FROM node:18\nRUN npm ci\n");
  chmodSync(file, mode);
  return { dir, file };
}

afterEach(() => {
  delete fault.op;
  delete fault.code;
});

describe("writes that cannot lose data", () => {
  it("replaces the file and keeps its mode", () => {
    const { dir, file } = target(0o604);
    writeAtomically(file, "NEW\n");
    expect(readFileSync(file, "utf8")).toBe("NEW\n");
    expect(statSync(file).mode & 0o777).toBe(0o604);
    expect(readdirSync(dir)).toEqual(["Dockerfile"]);
  });

  it.each([
    ["open", "EROFS", /the directory is not writable/],
    ["open", "EACCES", /the directory is not writable/],
    ["write", "ENOSPC", /no space left on the device/],
    ["fsync", "EIO", /EIO/],
    ["rename", "EXDEV", /EXDEV/],
  ])("a failing %s (%s) leaves the original byte-identical and no temp file", (op, code, message) => {
    const { dir, file } = target();
    const before = readFileSync(file);
    fault.op = op;
    fault.code = code;
    let error: unknown;
    try {
      writeAtomically(file, "NEW\n");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MsbError);
    expect((error as InstanceType<typeof MsbError>).exitCode).toBe(4);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(/the original is unchanged/);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readdirSync(dir)).toEqual(["Dockerfile"]);
  });

  it("refuses when the file changed since it was read", () => {
    const { file } = target();
    const readAt = statSync(file).mtimeMs;
    writeFileSync(file, "FROM python:3.11\n");
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(() => writeAtomically(file, "NEW\n", { mtimeMs: readAt })).toThrow(/changed on disk since msb read it/);
    expect(readFileSync(file, "utf8")).toBe("FROM python:3.11\n");
  });

  it("does not follow a symlink to a file outside the current directory", () => {
    const outside = target();
    const inside = mkdtempSync(join(process.cwd(), ".msb-link-test-"));
    const link = join(inside, "Dockerfile");
    symlinkSync(outside.file, link);
    try {
      expect(() => writeAtomically(link, "NEW\n")).toThrow(/symbolic link to .* outside the current directory; not written/);
      expect(readFileSync(outside.file, "utf8")).toBe("FROM node:18\nRUN npm ci\n");
    } finally {
      rmSync(inside, { recursive: true, force: true });
    }
  });
});
