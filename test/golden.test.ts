import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { convert, MsbError, type ConvertOptions } from "../src/index.js";
import { directoryContext } from "../src/analysis/fs-context.js";
import { invariantOptionsFrom, invariantViolations } from "./support/invariants.js";

const root = join(import.meta.dirname, "..", "fixtures");
const update = process.env["UPDATE_GOLDEN"] === "1";
const cases = readdirSync(root).filter((name) => existsSync(join(root, name, "Dockerfile"))).sort();

describe("golden fixtures", () => {
  it("has fixtures", () => expect(cases.length).toBeGreaterThan(20));

  for (const name of cases) {
    it(name, () => {
      const dir = join(root, name);
      const input = readFileSync(join(dir, "Dockerfile"), "utf8");
      const options: ConvertOptions = existsSync(join(dir, "options.json")) ? JSON.parse(readFileSync(join(dir, "options.json"), "utf8")) : {};
      let actual: string;
      let converted: ReturnType<typeof convert> | undefined;
      try {
        converted = convert(input, { ...options, context: directoryContext(dir) });
        actual = converted.dockerfile;
      } catch (error) {
        if (!(error instanceof MsbError)) throw error;
        actual = `exit ${error.exitCode}: ${error.message}\n`;
      }
      const expectedFile = join(dir, converted ? "expected.Dockerfile" : "expected-error.txt");
      if (update) writeFileSync(expectedFile, actual);
      expect(existsSync(expectedFile), `${expectedFile} exists`).toBe(true);
      expect(actual).toBe(readFileSync(expectedFile, "utf8"));
      if (converted?.status === "converted") {
        // every step the report says msb added is in the file it printed
        for (const note of converted.notes) for (const [, step] of note.message.matchAll(/`(RUN [^`]+)` added/g)) expect(actual, note.message).toContain(step);
        expect(invariantViolations(input, actual, { ...(options.tests ? { tests: options.tests } : {}), ...invariantOptionsFrom(converted) })).toEqual([]);
      }
      if (converted?.status === "unchanged") expect(actual).toBe(input);
    });
  }
});
