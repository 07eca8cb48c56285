import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { convert, MsbError } from "../src/index.js";
import { directoryContext } from "../src/analysis/fs-context.js";
import { parseDockerfile } from "../src/parser/document.js";
import { editArbitrary } from "./support/mutations.js";
import { invariantOptionsFrom, invariantViolations } from "./support/invariants.js";

const root = join(import.meta.dirname, "..", "fixtures");
const cases = readdirSync(root).filter((n) => existsSync(join(root, n, "Dockerfile"))).sort();
const sources = cases.map((name) => ({ name, text: readFileSync(join(root, name, "Dockerfile"), "latin1"), context: directoryContext(join(root, name)) }));

/** The seed and budget are fixed so CI is reproducible; a failing case is reported with its seed and path. */
const seed = Number(process.env["MSB_PROPERTY_SEED"] ?? 20261126);
const numRuns = Number(process.env["MSB_PROPERTY_RUNS"] ?? 400);

describe("every mutated Dockerfile converts correctly or is refused cleanly", () => {
  it(`holds for ${numRuns} mutations (seed ${seed})`, () => {
    fc.assert(
      fc.property(fc.nat({ max: sources.length - 1 }), fc.array(editArbitrary, { minLength: 1, maxLength: 4 }), (which, edits) => {
        const source = sources[which]!;
        const text = edits.reduce((t, edit) => edit(t), source.text);
        let result;
        try {
          result = convert(text, { context: source.context });
        } catch (error) {
          if (!(error instanceof MsbError)) throw error;
          expect([2, 3]).toContain(error.exitCode);
          expect(error.message).not.toContain("\n");
          return;
        }
        if (result.status === "unchanged") {
          expect(result.dockerfile).toBe(text);
          return;
        }
        expect(() => parseDockerfile(result.dockerfile)).not.toThrow();
        const violations = invariantViolations(text.replace(/^\uFEFF/, ""), result.dockerfile.replace(/^\uFEFF/, ""), invariantOptionsFrom(result));
        expect(violations, `${source.name}\n${text}\n---\n${result.dockerfile}`).toEqual([]);
      }),
      { seed, numRuns, endOnFailure: true },
    );
  }, 120_000);
});
