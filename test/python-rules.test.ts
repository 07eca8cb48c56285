import { describe, expect, it } from "vitest";
import { someReleaseSatisfies } from "../src/transforms/python/uv-python.js";

describe("requires-python against an image's Python X.Y", () => {
  it.each([
    [">=3.12", "3.12", true],
    [">=3.13", "3.12", false],
    [">=3.10,<3.13", "3.12", true],
    [">=3.10,<3.12", "3.12", false],
    ["==3.11.*", "3.12", false],
    ["==3.12.*", "3.12", true],
    ["~=3.11", "3.12", true],
    ["~=3.11.2", "3.12", false],
    [">=3.12.4", "3.12", true],
    ["<3.12.4", "3.12", true],
    ["!=3.12.*", "3.12", false],
  ])("%s with Python %s: %s", (specifier, version, expected) => {
    const [major, minor] = version.split(".").map(Number) as [number, number];
    expect(someReleaseSatisfies(specifier, { major, minor })).toBe(expected);
  });

  it("an unreadable specifier decides nothing", () => expect(someReleaseSatisfies(">=3.x", { major: 3, minor: 12 })).toBeUndefined());
});
