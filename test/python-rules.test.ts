import { describe, expect, it } from "vitest";
import { someReleaseSatisfies } from "../src/transforms/python/uv-python.js";
import { composeRunnerCommands } from "../src/transforms/python/compose-runners.js";
import { convert, memoryContext } from "../src/index.js";

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

describe("compose commands that start the app through a packaging tool's runner", () => {
  const compose = [
    "services:",
    "  web:",
    "    build: .",
    "    command: poetry run gunicorn app:app",
    "  worker:",
    "    build: .",
    "    command:",
    '      - "pipenv"',
    '      - "run"',
    '      - "celery"',
    "  db:",
    "    image: postgres:16",
    '    command: ["postgres", "-c", "log_statement=all"]',
    "  api:",
    "    entrypoint: [\"uv\", \"run\", \"--no-dev\", \"uvicorn\"]",
    "",
  ].join("\n");

  it("are found by file and line, in every form compose allows", () => {
    expect(composeRunnerCommands(memoryContext({ "docker-compose.yml": compose }))).toEqual([
      { file: "docker-compose.yml", line: 4, tool: "poetry" },
      { file: "docker-compose.yml", line: 7, tool: "pipenv" },
      { file: "docker-compose.yml", line: 15, tool: "uv" },
    ]);
  });

  it("are read from every compose file name compose users write, at the context's top level only", () => {
    const files = { "docker-compose-dev.yml": "services:\n  w:\n    command: pdm run dev\n", "compose.prod.yaml": "services:\n  w:\n    command: poetry run web\n", "deploy/docker-compose.yml": "services:\n  w:\n    command: poetry run web\n", "compose-notes.txt": "command: poetry run x\n" };
    expect(composeRunnerCommands(memoryContext(files))).toEqual([
      { file: "compose.prod.yaml", line: 3, tool: "poetry" },
      { file: "docker-compose-dev.yml", line: 3, tool: "pdm" },
    ]);
  });

  it("make the conversion warn, since the runtime has no packaging tool", () => {
    const context = memoryContext({ "docker-compose.yml": compose, "requirements.txt": "flask\n", "app.py": "" });
    const result = convert("FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n", { context });
    const warnings = result.notes.filter((n) => n.level === "warning").map((n) => n.message);
    expect(warnings).toContain('docker-compose.yml line 4 starts the app with "poetry run", but the runtime image has no poetry: drop "poetry run" there (the environment\'s commands are on PATH)');
    expect(warnings.filter((w) => /docker-compose\.yml line/.test(w))).toHaveLength(3);
  });
});
