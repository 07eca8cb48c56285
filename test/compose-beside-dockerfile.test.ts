import { describe, expect, it } from "vitest";
import { convert, memoryContext, withDockerfile } from "../src/index.js";

const dockerfile = `FROM python:3.12-slim
WORKDIR /app
COPY --from=ghcr.io/astral-sh/uv:0.5.11 /uv /usr/local/bin/uv
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev
COPY src/ ./src/
EXPOSE 8000
CMD ["uv", "run", "uvicorn", "notes.api:app", "--host", "0.0.0.0", "--port", "8000"]
`;
const files = {
  "pyproject.toml": '[project]\nname = "notes"\nversion = "0.1.0"\nrequires-python = ">=3.12"\ndependencies = ["uvicorn"]\n',
  "uv.lock": 'version = 1\nrequires-python = ">=3.12"\n\n[[package]]\nname = "uvicorn"\nversion = "0.32.1"\nsource = { registry = "https://pypi.org/simple" }\n',
  "src/notes/api.py": "app = None\n",
  "deploy/Dockerfile": dockerfile,
  "deploy/docker-compose.yml": 'services:\n  api:\n    build:\n      context: ..\n      dockerfile: deploy/Dockerfile\n    healthcheck:\n      test: ["CMD", ".venv/bin/python", "-c", "print(1)"]\n',
};

describe("a compose file beside a Dockerfile in a subdirectory", () => {
  it("is read: its healthcheck's .venv keeps the in-project environment, on PATH for the start command", () => {
    const result = convert(dockerfile, { context: withDockerfile(memoryContext(files), "deploy/Dockerfile"), explicitContext: true });
    expect(result.dockerfile).toContain("COPY --from=build --chown=app:app /app /app");
    expect(result.dockerfile).toMatch(/^ENV PATH=\/app\/\.venv\/bin:\$PATH$/m);
    expect(result.dockerfile).not.toContain("/opt/venv");
  });

  it("is not read when the Dockerfile's directory is not given (the environment moves to /opt/venv)", () => {
    const result = convert(dockerfile, { context: memoryContext(files), explicitContext: true });
    expect(result.dockerfile).toContain("/opt/venv");
  });
});
