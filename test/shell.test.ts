import { describe, expect, it } from "vitest";
import { commandFromText } from "../src/parser/instruction-text.js";
import { splitShell } from "../src/parser/shell.js";
import { classifySegment, isTestCommand, osPackageStep } from "../src/analysis/commands.js";

describe("splitShell", () => {
  it("splits at top-level operators and keeps quoted ones", () => {
    const parts = splitShell(`npm ci && echo "a && b" ; npm test || true`);
    expect(parts.map((p) => p.text)).toEqual(["npm ci", `echo "a && b"`, "npm test", "true"]);
    expect(parts.map((p) => p.joinedBy)).toEqual(["", "&&", ";", "||"]);
  });
  it("keeps subshells whole", () => {
    expect(splitShell("(cd web && npm ci) && make").map((p) => p.text)).toEqual(["(cd web && npm ci)", "make"]);
  });
});

describe("command recognisers", () => {
  it.each([
    ["npm test", true], ["npm run test:unit", true], ["yarn test", true], ["pnpm run lint", true],
    ["python -m pytest tests/", true], ["pytest -q", true], ["go test ./...", true], ["CI=true npm test", true],
    ["npm run build", false], ["npm ci", false], ["python app.py", false], ["go build -o app .", false],
  ])("%s is a test: %s", (line, expected) => {
    expect(isTestCommand(line.split(" "))).toBe(expected);
  });
  it("classifies installs and OS packages", () => {
    expect(classifySegment(["npm", "install", "-g", "serve"])).toBe("global-tool");
    expect(classifySegment(["pip", "install", "-r", "requirements.txt"])).toBe("deps");
    expect(osPackageStep(["apt-get", "install", "-y", "--no-install-recommends", "gcc", "libpq-dev"])?.packages).toEqual(["gcc", "libpq-dev"]);
    expect(osPackageStep(["apt-get", "install", "-y", "--no-install-recommends", "libpq-dev"])?.recommends).toBe(false);
    expect(osPackageStep(["apt-get", "-o", "APT::Install-Recommends=false", "install", "-y", "libpq-dev"])?.recommends).toBe(false);
    expect(osPackageStep(["apt-get", "install", "-y", "libpq-dev"])?.recommends).toBe(true);
    expect(osPackageStep(["apk", "add", "--no-cache", "--virtual", ".build", "gcc"])?.packages).toEqual(["gcc"]);
    // a virtual group's name is any word, not only a dotted one; option values are no packages
    expect(osPackageStep(["apk", "add", "--no-cache", "--virtual", "build-deps", "gcc", "libpq"])?.packages).toEqual(["gcc", "libpq"]);
    expect(osPackageStep(["apk", "add", "-t", "deps", "-X", "http://dl-cdn.alpinelinux.org/alpine/edge/testing", "gdal"])?.packages).toEqual(["gdal"]);
    expect(osPackageStep(["apt-get", "install", "-y", "-t", "bullseye-backports", "-o", "Dpkg::Options::=--force-confnew", "libpq5"])?.packages).toEqual(["libpq5"]);
  });
});

describe("exec form as BuildKit reads it", () => {
  it("takes the first JSON array and ignores what follows it", () => {
    expect(commandFromText('["go-wrapper", "run"] # ["app"]', "\\")).toEqual({ form: "exec", shell: "go-wrapper run", argv: ["go-wrapper", "run"] });
    expect(commandFromText('["node", "-e", "1"] foo', "\\").argv).toEqual(["node", "-e", "1"]);
    expect(commandFromText('["a", "b]"]', "\\").argv).toEqual(["a", "b]"]);
  });

  it("runs anything else in shell form", () => {
    expect(commandFromText("['node', '-e']", "\\").form).toBe("shell");
    expect(commandFromText('[ -f /x ] && exec app', "\\").form).toBe("shell");
    expect(commandFromText('["a", 1]', "\\").form).toBe("shell");
  });
});
