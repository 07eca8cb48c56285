import { describe, expect, it } from "vitest";
import { diskShortage } from "./e2e/free-disk.js";
import { scratchDir } from "./support/scratch.js";

describe("the e2e suites' disk check", () => {
  it("names the directory, the free space and the need when the disk is short", () => {
    const dir = scratchDir("free-disk-");
    expect(diskShortage(dir, 1e9)).toMatch(new RegExp(`^only \\d+\\.\\d GB free under ${dir}, the suite needs 1000000000 GB; e2e skipped$`));
  });

  it("says nothing when there is room", () => expect(diskShortage(scratchDir("free-disk-"), 0)).toBe(""));
});
