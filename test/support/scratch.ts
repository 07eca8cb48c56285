import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

// one root per test file (vitest isolates files), removed when the file's tests are done
const root = mkdtempSync(join(tmpdir(), "msb-test-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fresh temporary directory that is removed with the test file's others. */
export function scratchDir(prefix: string): string {
  return mkdtempSync(join(root, prefix));
}
