import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exitOutcome } from "./support/outcome.js";
import { scratchDir } from "./support/scratch.js";
import { installRecordedAlpinePackages, installRecordedPackages, recordAlpineRuntimePackages } from "../src/transforms/python/shared-libraries.js";
import { someReleaseSatisfies } from "../src/transforms/python/uv-python.js";
import { composeRunnerCommands } from "../src/transforms/python/compose-runners.js";
import { startWithoutRunner } from "../src/transforms/python/start-command.js";
import { convert, memoryContext } from "../src/index.js";
import { MsbError } from "../src/errors.js";
import * as pythonPrograms from "../src/transforms/python/programs-run.js";
import { absoluteWriteDirs } from "../src/transforms/python/absolute-write-dirs.js";
import { directoryContext } from "../src/analysis/fs-context.js";

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
      { file: "docker-compose.yml", line: 4, tool: "poetry", via: "poetry run" },
      { file: "docker-compose.yml", line: 7, tool: "pipenv", via: "pipenv run" },
      { file: "docker-compose.yml", line: 15, tool: "uv", via: "uv run" },
    ]);
  });

  it("are read from every compose file name compose users write, at the context's top level only", () => {
    const files = { "docker-compose-dev.yml": "services:\n  w:\n    command: pdm run dev\n", "compose.prod.yaml": "services:\n  w:\n    command: poetry run web\n", "deploy/docker-compose.yml": "services:\n  w:\n    command: poetry run web\n", "compose-notes.txt": "command: poetry run x\n" };
    expect(composeRunnerCommands(memoryContext(files))).toEqual([
      { file: "compose.prod.yaml", line: 3, tool: "poetry", via: "poetry run" },
      { file: "docker-compose-dev.yml", line: 3, tool: "pdm", via: "pdm run" },
    ]);
  });

  it("that install packages with pip when the container starts are warned about, naming the install; healthchecks are not", () => {
    const files = {
      "requirements.txt": "django==5.0\n",
      "docker-compose.tests.yml": 'services:\n  tests:\n    build: .\n    command: sh -c "\n      python manage.py migrate\n      && pip install coverage\n      && coverage run manage.py test"\n    healthcheck:\n      test: ["CMD", "pip", "install", "x"]\n  web:\n    build: .\n    command: python -m pip install -q gunicorn && gunicorn app.wsgi\n',
    };
    const dockerfile = "FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"]\n";
    const warnings = convert(dockerfile, { context: memoryContext(files) }).notes.filter((n) => n.level === "warning" && /installs packages when the container starts/.test(n.message)).map((n) => n.message);
    expect(warnings).toEqual([
      "docker-compose.tests.yml line 4 installs packages when the container starts (`pip install coverage`): the runtime runs as app, who cannot write the copied environment /opt/venv, so that install fails there; install them in the Dockerfile (the packages a test needs in its test stage)",
      "docker-compose.tests.yml line 12 installs packages when the container starts (`python -m pip install -q gunicorn`): the runtime runs as app, who cannot write the copied environment /opt/venv, so that install fails there; install them in the Dockerfile (the packages a test needs in its test stage)",
    ]);
  });

  it("that install packages make an image without CMD or ENTRYPOINT refused when every compose command does, as they are how it starts", () => {
    const dockerfile = "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install pipenv && pipenv install --system --deploy\n";
    const files = (compose: string) => memoryContext({ Pipfile: "[packages]\ndjango = \"*\"\n", "Pipfile.lock": "{}", "manage.py": "", "docker-compose.yml": compose });
    const installing = 'services:\n  web:\n    build: .\n    command: >\n      bash -c "pipenv install --system --dev\n      && python manage.py runserver 0.0.0.0:8000"\n';
    expect(() => convert(dockerfile, { context: files(installing) })).toThrow("has no CMD or ENTRYPOINT, and docker-compose.yml line 4 starts the image with a command that installs packages (`pipenv install --system --dev`)");
    const alsoPlain = installing + "  worker:\n    build: .\n    command: python manage.py process_tasks\n";
    expect(exitOutcome(dockerfile, { context: files(alsoPlain) })).toBe("converted");
  });

  it("include PDM's shortcut for a script of [tool.pdm.scripts] (pdm start), not pdm's own commands", () => {
    const files = { "pyproject.toml": '[project]\nname = "bot"\n\n[tool.pdm.scripts]\nstart = { cmd = "python -m bot", env_file = "bot.env" }\n', "compose.yaml": "services:\n  bot:\n    command: pdm start\n  setup:\n    command: pdm install\n" };
    expect(composeRunnerCommands(memoryContext(files))).toEqual([{ file: "compose.yaml", line: 3, tool: "pdm", via: "pdm start" }]);
  });

  it("include fly.toml's release command and processes, which Fly.io runs in the image", () => {
    const fly = 'app = "notes"\n\n[deploy]\n  release_command = "poetry run python manage.py migrate"\n\n[processes]\n  web = "gunicorn notes.wsgi"\n  worker = "poetry run celery -A notes worker"\n\n[env]\n  PORT = "8000"\n';
    expect(composeRunnerCommands(memoryContext({ "fly.toml": fly }))).toEqual([
      { file: "fly.toml", line: 4, tool: "poetry", via: "poetry run" },
      { file: "fly.toml", line: 8, tool: "poetry", via: "poetry run" },
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

describe("an image without CMD that compose starts through a runner", () => {
  const uvProject = {
    "pyproject.toml": '[project]\nname = "bot"\nversion = "1"\nrequires-python = ">=3.12"\ndependencies = []\n',
    "uv.lock": "version = 1\n",
    "bot/__main__.py": "print('hi')\n",
  };
  const uvDockerfile = "FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5.4 /uv /uvx /bin/\nWORKDIR /app\nCOPY . /app\nRUN uv sync --frozen --no-dev\n";

  it("keeps uv copied from its image in the runtime, running the copied environment without syncing", () => {
    const context = memoryContext({ ...uvProject, "compose.yaml": "services:\n  bot:\n    build: .\n    command: uv run --frozen -m bot\n" });
    const result = convert(uvDockerfile, { context });
    const runtime = result.dockerfile.slice(result.dockerfile.indexOf("AS runtime"));
    expect(runtime).toContain("COPY --from=ghcr.io/astral-sh/uv:0.5.4 /uv /uvx /bin/");
    expect(runtime).toContain("ENV UV_PROJECT_ENVIRONMENT=/opt/venv UV_NO_SYNC=1 UV_PYTHON_DOWNLOADS=never");
    expect(result.notes.map((n) => n.message)).toContain('uv stays in the runtime: compose.yaml line 4 starts the image with "uv run", which runs in the copied environment without syncing (UV_NO_SYNC)');
  });

  it("keeps uv also when the image has a CMD of its own, which runs without it", () => {
    const context = memoryContext({ ...uvProject, "compose.yaml": "services:\n  bot:\n    command: uv run -m bot\n" });
    const result = convert(`${uvDockerfile}CMD ["uv", "run", "python", "-m", "bot"]\n`, { context });
    const runtime = result.dockerfile.slice(result.dockerfile.indexOf("AS runtime"));
    expect(runtime).toContain("COPY --from=ghcr.io/astral-sh/uv:0.5.4 /uv /uvx /bin/");
    expect(runtime).toContain('CMD ["python", "-m", "bot"]');
  });

  it("keeps the uv a system pip installed, copied from the build stage", () => {
    const context = memoryContext({ ...uvProject, "compose.yaml": "services:\n  bot:\n    command: uv run -m bot\n" });
    const result = convert('FROM python:3.12-slim\nWORKDIR /app\nRUN pip install uv\nCOPY . /app\nRUN uv sync --frozen --no-dev\nCMD ["python", "-m", "bot"]\n', { context });
    const runtime = result.dockerfile.slice(result.dockerfile.indexOf("AS runtime"));
    expect(runtime).toContain("COPY --from=build /usr/local/bin/uv /usr/local/bin/uv");
    expect(runtime).toContain("UV_NO_SYNC=1");
  });

  it("keeps Poetry a system pip installed when compose runs poetry run, also beside a CMD of the image's own; warns when Poetry came from elsewhere", () => {
    const context = memoryContext({ "pyproject.toml": '[tool.poetry]\nname = "a"\nversion = "1"\n', "poetry.lock": "", "compose.yaml": "services:\n  bot:\n    command: poetry run python -m app\n", "app/__main__.py": "" });
    const result = (install: string) => convert(`FROM python:3.12-slim\nWORKDIR /app\nRUN ${install}\nCOPY . /app\nRUN poetry config virtualenvs.create false && poetry install --no-root\nCMD ["python", "-m", "app"]\n`, { context });
    const kept = result("pip install poetry==1.8.3");
    expect(kept.dockerfile.slice(kept.dockerfile.indexOf("AS runtime"))).toContain("RUN /usr/local/bin/python -m pip install --no-cache-dir 'poetry==1.8.3'");
    const installer = result("curl -sSL https://install.python-poetry.org | python -");
    expect(installer.dockerfile.slice(installer.dockerfile.indexOf("AS runtime"))).not.toContain("poetry");
    expect(installer.notes.some((n) => n.level === "warning" && n.message.startsWith('compose.yaml line 3 starts the app with "poetry run"'))).toBe(true);
  });

  it("keeps pdm, installed by the runtime's pip as the build's pip did, when compose starts the image with pdm run", () => {
    const context = memoryContext({ "pyproject.toml": '[project]\nname = "a"\nversion = "1"\n', "pdm.lock": "", "docker-compose.yml": "services:\n  worker:\n    command: pdm run celery -A app worker\n", "app/__init__.py": "" });
    const runtime = (install: string) => {
      const text = convert(`FROM python:3.10-slim\nWORKDIR /code\nCOPY pyproject.toml pdm.lock /code/\nRUN ${install} && pdm install --prod\nCOPY app /code/app/\n`, { context }).dockerfile;
      return text.slice(text.indexOf("AS runtime"));
    };
    expect(runtime("pip install pdm==2.22.4")).toContain("RUN /usr/local/bin/python -m pip install --no-cache-dir 'pdm==2.22.4'");
    // pdm from its installer script is not a pip requirement the runtime could repeat
    expect(() => runtime("curl -sSL https://pdm-project.org/install-pdm.py | python3 -")).toThrow('has no CMD or ENTRYPOINT: docker-compose.yml line 3 starts the image with "pdm run", and pdm would stay in the build stage');
  });
});

describe("start commands without the packaging tool's runner", () => {
  it.each([
    [{ form: "exec", argv: ["bash", "-c", "poetry run python app/bot.py"] }, 'CMD ["bash", "-c", "python app/bot.py"]'],
    [{ form: "exec", argv: ["/bin/sh", "-c", "alembic upgrade head && poetry run uvicorn app:app"] }, 'CMD ["/bin/sh", "-c", "alembic upgrade head && uvicorn app:app"]'],
    [{ form: "shell", shell: "poetry run alembic upgrade head && exec poetry run gunicorn app:app" }, "CMD alembic upgrade head && exec gunicorn app:app"],
    [{ form: "exec", argv: ["poetry", "run", "--", "python", "-m", "app"] }, 'CMD ["python", "-m", "app"]'],
  ] as const)("%j becomes %s", (form, text) => {
    expect(startWithoutRunner("CMD", form as never)?.text).toBe(text);
  });
  it("leaves a script whose runner takes an option value it cannot read", () => {
    expect(startWithoutRunner("CMD", { form: "shell", shell: "uv run --with rich python app.py" } as never)).toBeUndefined();
  });
});

describe("the runtime's apt-get update for recorded shared libraries", () => {
  // the step's own text, run by sh with apt-get stubbed and /etc paths moved into a temporary directory
  function runUpdate(osRelease: string, firstUpdateFails: boolean) {
    const dir = scratchDir("apt-");
    mkdirSync(join(dir, "bin"));
    mkdirSync(join(dir, "sources.list.d"));
    writeFileSync(join(dir, "sources.list.d", "debian.sources"), "Types: deb\n");
    writeFileSync(join(dir, "os-release"), osRelease);
    writeFileSync(join(dir, "bin", "apt-get"), `#!/bin/sh\necho "$*" >> ${dir}/calls\n[ "$1" = update ] || exit 0\nif ${firstUpdateFails} && [ ! -e ${dir}/failed ]; then touch ${dir}/failed; exit 100; fi\nexit 0\n`, { mode: 0o755 });
    writeFileSync(join(dir, "bin", "dpkg"), "#!/bin/sh\nexit 1\n", { mode: 0o755 });
    writeFileSync(join(dir, "runtime-packages.txt"), "libpq5\n");
    const step = installRecordedPackages("build")[1]!.replace(/^RUN /, "")
      .replaceAll("/tmp/runtime-packages.txt", join(dir, "runtime-packages.txt"))
      .replaceAll("/etc/os-release", join(dir, "os-release"))
      .replaceAll("/etc/apt/sources.list.d", join(dir, "sources.list.d"))
      .replaceAll("/etc/apt/sources.list", join(dir, "sources.list"))
      .replaceAll("/var/lib/apt/lists", join(dir, "lists"));
    const r = spawnSync("sh", ["-ec", step], { env: { PATH: `${join(dir, "bin")}:/usr/bin:/bin` }, encoding: "utf8" });
    const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), "utf8") : undefined);
    return { code: r.status, calls: read("calls"), sources: read("sources.list"), dropIns: readdirSync(join(dir, "sources.list.d")) };
  }

  it("installs from the release's own mirror when it answers", () => {
    const r = runUpdate('ID=debian\nVERSION_CODENAME=bookworm\n', false);
    expect(r).toEqual({ code: 0, calls: "update\ninstall -y --no-install-recommends libpq5\n", sources: undefined, dropIns: ["debian.sources"] });
  });

  it("falls back to archive.debian.org for a release the mirror no longer has (buster)", () => {
    const r = runUpdate('ID=debian\nVERSION_CODENAME=buster\n', true);
    expect(r).toEqual({ code: 0, calls: "update\nupdate\ninstall -y --no-install-recommends libpq5\n", sources: "deb http://archive.debian.org/debian buster main\n", dropIns: [] });
  });

  it("still fails the build on a distribution that is not Debian", () => {
    expect(runUpdate('ID=ubuntu\nVERSION_CODENAME=bionic\n', true).code).not.toBe(0);
  });
});

describe("Fly.io volumes under a non-root runtime", () => {
  const dockerfile = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n";
  const fly = "app = 'notes'\n\n[[mounts]]\n  source = 'notes_data'\n  destination = '/app/data'\n";
  const files = (extra: Record<string, string>) => ({ context: memoryContext({ "requirements.txt": "flask\n", "app.py": "", ...extra }) });
  it("refuse the conversion: Fly.io mounts volumes owned by root", () => {
    expect(() => convert(dockerfile, files({ "fly.toml": fly }))).toThrow("fly.toml mounts the volume notes_data at /app/data (fly.toml line 5), and Fly.io mounts volumes owned by root");
    expect(exitOutcome(dockerfile, files({ "fly.toml": fly }))).toBe("3");
  });
  it("do not matter without [mounts], or when the original already ran as another user", () => {
    expect(exitOutcome(dockerfile, files({ "fly.toml": "app = 'notes'\n[http_service]\n  internal_port = 8080\n" }))).toBe("converted");
    expect(exitOutcome(dockerfile.replace("CMD", "USER nobody\nCMD"), files({ "fly.toml": fly }))).toBe("converted");
  });
});

describe("compose bind mounts under a non-root runtime", () => {
  const compose = "services:\n  web:\n    build: .\n    volumes:\n      - ./data/db:/app/data\n      - ./config:/app/config:ro\n      - media:/app/media\n      - /run/app.sock:/run/app.sock\n      - \"/etc/localtime:/etc/localtime\"\nvolumes:\n  media:\n";
  const dockerfile = "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n";
  const files = { "requirements.txt": "flask\n", "app.py": "", "docker-compose.yml": compose };

  it("are named in a warning when the original ran as root: the host directory keeps its owner", () => {
    const warnings = convert(dockerfile, { context: memoryContext(files) }).notes.filter((n) => n.level === "warning").map((n) => n.message);
    expect(warnings).toContain("compose bind-mounts ./data/db at /app/data (docker-compose.yml line 5): the runtime runs as app, not root, so it can write there only if the host directory and the files in it allow that user (chown -R them on the host to uid 10001)");
  });

  it("of the checkout itself advise running the service as the developer, not handing the checkout to the runtime's uid", () => {
    const checkout = "services:\n  web:\n    build: .\n    volumes:\n      - .:/app\n      - ./data:/app/data\n";
    const warnings = convert(dockerfile, { context: memoryContext({ ...files, "docker-compose.yml": checkout }) }).notes.filter((n) => n.level === "warning").map((n) => n.message);
    expect(warnings.find((w) => w.startsWith("compose bind-mounts"))).toMatch(/\(for the checkout itself \(\.\), give the service `user:` your own uid:gid rather than chowning it; chown -R the others on the host to uid 10001\)$/);
  });

  it("of the sources' directory over the WORKDIR (`./code:/app`) give the same advice; a data directory there does not", () => {
    const sources = "services:\n  web:\n    build: .\n    volumes:\n      - ./code:/app\n";
    const warn = (extra: Record<string, string>) => convert(dockerfile, { context: memoryContext({ ...files, "docker-compose.yml": sources, ...extra }) }).notes.find((n) => n.message.startsWith("compose bind-mounts"))?.message;
    expect(warn({ "code/app.py": "" })).toMatch(/for the checkout itself \(\.\/code\), give the service `user:`/);
    expect(warn({ "code/notes.txt": "" })).toMatch(/\(chown -R them on the host to uid 10001\)$/);
  });

  it("warn when compose tags the built image with its own base's name: the next build starts FROM the converted image", () => {
    const tagged = "services:\n  web:\n    image: python:3.12\n    build: .\n";
    const warnings = convert(dockerfile, { context: memoryContext({ ...files, "docker-compose.yml": tagged }) }).notes.map((n) => n.message);
    expect(warnings).toContain("docker-compose.yml line 3 tags the image it builds python:3.12, the name of its own base: the next build starts FROM the converted image, which runs as a non-root user without the build tools, and fails (give the service an image name of its own)");
  });

  it("leave out a configuration file mounted for the program to read (./config.yaml:/app/config.yaml)", () => {
    const configOnly = "services:\n  web:\n    build: .\n    volumes:\n      - ./config.yaml:/app/config.yaml\n      - ./db.sqlite3:/app/db.sqlite3\n";
    const warnings = convert(dockerfile, { context: memoryContext({ ...files, "docker-compose.yml": configOnly }) }).notes.filter((n) => n.level === "warning").map((n) => n.message);
    expect(warnings.filter((w) => w.startsWith("compose bind-mounts"))).toEqual(["compose bind-mounts ./db.sqlite3 at /app/db.sqlite3 (docker-compose.yml line 6): the runtime runs as app, not root, so it can write there only if the host directory and the files in it allow that user (chown -R them on the host to uid 10001)"]);
  });

  it("are found in the long syntax too, unless read-only or a named volume", () => {
    const long = "services:\n  web:\n    volumes:\n      - type: bind\n        source: ./uploads\n        target: /app/uploads\n      - type: bind\n        source: ./conf\n        target: /app/conf\n        read_only: true\n      - type: volume\n        source: media\n        target: /app/media\n";
    const warnings = convert(dockerfile, { context: memoryContext({ ...files, "docker-compose.yml": long }) }).notes.filter((n) => n.level === "warning").map((n) => n.message);
    expect(warnings.filter((w) => w.startsWith("compose bind-mounts"))).toEqual(["compose bind-mounts ./uploads at /app/uploads (docker-compose.yml line 4): the runtime runs as app, not root, so it can write there only if the host directory and the files in it allow that user (chown -R them on the host to uid 10001)"]);
  });

  it("are not when the original already ran as another user", () => {
    const notes = convert(dockerfile.replace("CMD", "USER nobody\nCMD"), { context: memoryContext(files) }).notes;
    expect(notes.some((n) => n.message.startsWith("compose bind-mounts"))).toBe(false);
  });
});

describe("the packaging-tool clean-up step, run by a real Python", () => {
  const python = spawnSync("python3", ["-c", "import sys, venv; print(sys.version_info >= (3, 8))"], { encoding: "utf8" });
  const available = python.status === 0 && python.stdout.trim() === "True";

  it.skipIf(!available)("keeps setuptools when an installed module uses pkg_resources without declaring it", () => {
    const converted = convert("FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n", { context: memoryContext({ "requirements.txt": "celery==4.4.2\n", "app.py": "" }) }).dockerfile;
    const script = /bin\/python -c "(import importlib\.metadata[^"]+)"/.exec(converted)?.[1];
    expect(script).toBeDefined();
    const venv = join(scratchDir("venv-"), "venv");
    expect(spawnSync("python3", ["-m", "venv", venv]).status).toBe(0);
    const run = () => spawnSync(join(venv, "bin", "python"), ["-c", script!], { encoding: "utf8" }).stdout.trim().split(/\s+/);
    const hasSetuptools = spawnSync(join(venv, "bin", "python"), ["-c", "import setuptools"]).status === 0;
    expect(run()).toContain("pip");
    if (hasSetuptools) expect(run()).toContain("setuptools");
    const site = spawnSync(join(venv, "bin", "python"), ["-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], { encoding: "utf8" }).stdout.trim();
    mkdirSync(join(site, "plugins"));
    writeFileSync(join(site, "plugins", "__init__.py"), "import pkg_resources\n");
    mkdirSync(join(site, "plugins-1.0.dist-info"));
    writeFileSync(join(site, "plugins-1.0.dist-info", "METADATA"), "Metadata-Version: 2.1\nName: plugins\nVersion: 1.0\n");
    writeFileSync(join(site, "plugins-1.0.dist-info", "RECORD"), "plugins/__init__.py,,\nplugins-1.0.dist-info/METADATA,,\n");
    expect(run()).toContain("pip");
    expect(run()).not.toContain("setuptools");
  });
});

describe("uv and a .python-version that asks for another Python", () => {
  const project = {
    "pyproject.toml": '[project]\nname = "photos"\nversion = "1"\nrequires-python = ">=3.11"\ndependencies = []\n',
    "uv.lock": "version = 1\n",
    ".python-version": "3.11\n",
    "photos/__init__.py": "",
  };
  const start = 'CMD ["uv", "run", "gunicorn", "photos.wsgi:application"]\n';

  it("lets uv download that interpreter into a directory the runtime copies when the file is in the image at uv sync", () => {
    const result = convert(`FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5.4 /uv /bin/uv\nWORKDIR /app\nCOPY . .\nRUN uv sync --frozen\n${start}`, { context: memoryContext(project) });
    const [build, runtime] = result.dockerfile.split(/^FROM .* AS runtime$/m) as [string, string];
    expect(build).toMatch(/ENV UV_PYTHON_INSTALL_DIR=\/opt\/uv-python\nRUN uv sync --frozen/);
    expect(build).not.toContain("UV_PYTHON_DOWNLOADS=never");
    expect(build).not.toContain("python3 -m venv");
    expect(runtime).toContain("COPY --from=build /opt/uv-python /opt/uv-python");
    expect(result.notes.map((n) => n.message)).toContain("uv downloads Python 3.11 (.python-version says 3.11) at build time: it goes into /opt/uv-python, which the runtime copies (the environment runs that interpreter, not the image's)");
  });

  it("converts with the image's Python when the file arrives after uv sync, warning that uv run would rebuild the environment", () => {
    const result = convert(`FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5.4 /uv /bin/uv\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen\nCOPY . .\n${start}`, { context: memoryContext(project) });
    expect(result.dockerfile).toContain('CMD ["gunicorn", "photos.wsgi:application"]');
    expect(result.notes.filter((n) => n.level === "warning").map((n) => n.message)).toContain(
      ".python-version (3.11) reaches the image after uv sync, which builds the environment with the image's Python 3.12; the runtime runs that environment (the original's `uv run` would rebuild it for 3.11 at start, downloading the interpreter)",
    );
  });

  it("does not warn when the file never reaches the image, nor when requires-python already makes uv download an interpreter", () => {
    const never = convert(`FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5.4 /uv /bin/uv\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen\nCOPY photos ./photos\n${start}`, { context: memoryContext(project) });
    expect(never.notes.map((n) => n.message).filter((m) => m.includes("reaches the image after uv sync"))).toEqual([]);
    const newer = { ...project, "pyproject.toml": '[project]\nname = "photos"\nversion = "1.0"\nrequires-python = ">=3.14"\ndependencies = ["gunicorn"]\n' };
    const downloads = convert(`FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5.4 /uv /bin/uv\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen\nCOPY . .\n${start}`, { context: memoryContext(newer) });
    expect(downloads.notes.map((n) => n.message).filter((m) => m.includes("reaches the image after uv sync"))).toEqual([]);
    expect(downloads.notes.map((n) => n.message)).toContain('uv downloads a Python that satisfies requires-python ">=3.14" at build time: it goes into /opt/uv-python, which the runtime copies (the environment runs that interpreter, not the image\'s)');
  });
});

describe("poetry export and the Poetry the build installs", () => {
  const context = memoryContext({
    "pyproject.toml": '[tool.poetry]\nname = "bot"\nversion = "1"\npackage-mode = false\n\n[tool.poetry.dependencies]\npython = "^3.11"\n',
    "poetry.lock": "# This file is automatically @generated by Poetry 1.7.1\n",
    "main.py": "print('hi')\n",
  });
  const dockerfile = (install: string) => `FROM python:3.11\nWORKDIR /code\nRUN ${install}\nCOPY pyproject.toml poetry.lock /code/\nRUN poetry export -f requirements.txt --output requirements.txt\nRUN pip install -r requirements.txt\nCOPY . /code\nCMD ["python", "main.py"]\n`;

  it.each(["pip install poetry", 'pip install "poetry>=2"', "pip install poetry==2.1.3"])("is rejected when %s brings Poetry 2 without the export plugin", (install) => {
    expect(() => convert(dockerfile(install), { context })).toThrow(/Poetry 2 no longer includes the export command/);
  });

  it.each(["pip install poetry poetry-plugin-export", "pip install poetry==1.8.3", "pip install 'poetry<2'", "pip install poetry && poetry self add poetry-plugin-export"])("converts with %s", (install) => {
    expect(convert(dockerfile(install), { context }).status).toBe("converted");
  });
});

describe("OS programs that Python libraries run", () => {
  const dockerfile = "FROM python:3.11-slim\nWORKDIR /app\nRUN apt-get update && apt-get install -y git curl gcc\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD [\"python\", \"main.py\"]\n";
  const runtimeInstall = (requirements: string) => {
    const out = convert(dockerfile, { context: memoryContext({ "requirements.txt": requirements, "main.py": "import git\n" }) }).dockerfile;
    return out.slice(out.indexOf("AS runtime")).split("\n").find((l) => l.includes("apt-get install -y") && !l.includes("$packages")) ?? "";
  };
  it("keeps git in the runtime when GitPython is a dependency (its import fails without git)", () => {
    expect(runtimeInstall("GitPython==3.1.43\nrequests\n")).toMatch(/\bgit\b/);
  });
  it("leaves git and curl in the build stage otherwise", () => {
    expect(runtimeInstall("requests\n")).not.toMatch(/\bgit\b/);
    expect(runtimeInstall("GitPython==3.1.43\n")).not.toBe("");
  });
});

describe("a runner start command naming a program nothing provides", () => {
  const dockerfile = (program: string) => `FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5.4 /uv /bin/uv\nWORKDIR /app\nCOPY . .\nRUN uv sync --locked\nCMD ["uv", "run", "${program}"]\n`;
  const project = {
    "pyproject.toml": '[project]\nname = "lawbot"\nversion = "0.1.0"\nrequires-python = ">=3.12"\ndependencies = ["discord>=2.3", "uvicorn>=0.30"]\n\n[project.scripts]\nlawbot = "lawbot:run"\n',
    "uv.lock": 'version = 1\n[[package]]\nname = "discord"\n[[package]]\nname = "uvicorn"\n',
    "main.py": "print('bot')\n",
    "lawbot.py": "def run():\n    pass\n",
  };
  const warnings = (program: string) => convert(dockerfile(program), { context: memoryContext(project) }).notes.filter((n) => n.level === "warning").map((n) => n.message);

  it("warns when neither a script, a file nor a dependency provides it (a main.py is not `main`)", () => {
    expect(warnings("main")).toContain('the start command runs "main" through "uv run", and neither the project\'s scripts, the context nor its dependencies\' names provide it; the runtime runs main from the environment, which fails if nothing installs it');
  });

  it("says nothing for a project script or a dependency's console script", () => {
    expect(warnings("lawbot").filter((w) => /nothing installs it/.test(w))).toEqual([]);
    expect(warnings("uvicorn").filter((w) => /nothing installs it/.test(w))).toEqual([]);
  });
});

describe("pip into a distribution Python marked externally managed (PEP 668)", () => {
  const context = memoryContext({ "requirements.txt": "flask\n", "app.py": "" });
  const dockerfile = (from: string, install: string) => `FROM ${from}\nRUN apt-get update && apt-get install -y python3-pip\nWORKDIR /app\nCOPY . .\nRUN ${install}\nCMD ["python3", "app.py"]\n`;

  it.each(["debian:bookworm", "debian:12-slim", "debian", "ubuntu:24.04", "ubuntu:latest", "ubuntu:noble-20240605"])("is rejected on %s", (from) => {
    const attempt = () => convert(dockerfile(from, "pip3 install -r requirements.txt"), { context });
    expect(attempt).toThrow(MsbError);
    expect(attempt).toThrow("is marked externally managed (PEP 668), so pip stops with error: externally-managed-environment");
  });

  it.each(["debian:bullseye", "ubuntu:22.04", "ubuntu:jammy", "python:3.12-slim"])("converts on %s, whose Python has no marker", (from) => {
    expect(convert(dockerfile(from, "pip3 install -r requirements.txt"), { context }).status).toBe("converted");
  });

  it.each([
    "pip3 install --break-system-packages -r requirements.txt",
    "PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install -r requirements.txt",
    "pip3 install --target /app/deps -r requirements.txt",
    "python3 -m venv /venv && /venv/bin/pip install -r requirements.txt",
  ])("converts an install that skips the check or uses a venv: %s", (install) => {
    expect(convert(dockerfile("ubuntu:24.04", install), { context }).status).toBe("converted");
  });
});

describe("a PDM project whose requires-python excludes the image's Python", () => {
  const context = memoryContext({ "pyproject.toml": '[project]\nname = "rota"\nversion = "1"\nrequires-python = "==3.10.*"\ndependencies = ["flask"]\n', "pdm.lock": "", "rota/__init__.py": "" });
  const dockerfile = (setup: string) => `FROM python:3.12-slim\nRUN pip install pdm\nWORKDIR /srv\nCOPY . .\n${setup}RUN pdm install --prod\nCMD ["pdm", "run", "flask", "--app", "rota", "run"]\n`;

  it("gets PDM's downloaded interpreter and the project's .venv in the runtime, on PATH", () => {
    const result = convert(dockerfile(""), { context });
    const runtime = result.dockerfile.slice(result.dockerfile.indexOf("AS runtime"));
    expect(result.dockerfile).toContain("RUN pdm config -g python.install_root /opt/pdm-python\nRUN pdm install --prod");
    expect(runtime).toContain("COPY --from=build /opt/pdm-python /opt/pdm-python");
    expect(runtime).toContain("ENV PATH=/srv/.venv/bin:$PATH");
    expect(runtime).toContain('CMD ["flask", "--app", "rota", "run"]');
  });

  it("is refused when the build configures where PDM keeps the environment", () => {
    const attempt = () => convert(dockerfile("RUN pdm config venv.in_project false\n"), { context });
    expect(attempt).toThrow(MsbError);
    expect(attempt).toThrow('the project\'s requires-python "==3.10.*" excludes the image\'s Python');
  });
});

describe("a uv project in a monorepo directory", () => {
  it("reads requires-python from the pyproject.toml the image copies, not the context's top level", () => {
    const context = memoryContext({
      "pyproject.toml": '[project]\nname = "workspace"\nversion = "1"\nrequires-python = ">=3.10"\n',
      "apps/api/pyproject.toml": '[project]\nname = "api"\nversion = "1"\nrequires-python = ">=3.13"\ndependencies = []\n',
      "apps/api/uv.lock": "version = 1\n",
      "apps/api/main.py": "",
    });
    const dockerfile = "FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5.4 /uv /bin/\nWORKDIR /app\nCOPY apps/api/ ./\nRUN uv sync --frozen --no-dev\nCMD [\"/app/.venv/bin/python\", \"main.py\"]\n";
    const result = convert(dockerfile, { context });
    expect(result.notes.map((n) => n.message)).toContain('uv downloads a Python that satisfies requires-python ">=3.13" at build time: it goes into /opt/uv-python, which the runtime copies (the environment runs that interpreter, not the image\'s)');
  });
});

describe("the Alpine runtime's shared libraries, recorded in the build and added as apk provides them", () => {
  function stubs(dir: string, scripts: Record<string, string>) {
    mkdirSync(join(dir, "bin"), { recursive: true });
    for (const [name, body] of Object.entries(scripts)) writeFileSync(join(dir, "bin", name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  }

  it("records so: names the installed files need but do not carry, and the -dev packages' library dependencies", () => {
    const dir = scratchDir("apk-record-");
    const venv = join(dir, "venv");
    mkdirSync(join(venv, "lib", "pkg.libs"), { recursive: true });
    writeFileSync(join(venv, "lib", "pkg.libs", "libgfortran-3e1a.so.5"), "");
    stubs(dir, {
      scanelf: "printf 'libpq.so.5,libc.musl-x86_64.so.1\\nlibgfortran-3e1a.so.5\\n\\n'",
      apk: "[ \"$1 $2\" = 'info -R' ] && printf 'openssl-dev-1.1.1l-r0 depends on:\\nlibcrypto1.1=1.1.1l-r0\\nlibssl1.1=1.1.1l-r0\\npkgconfig\\nlinux-headers\\n\\n'",
    });
    const out = join(dir, "runtime-packages.txt");
    const step = recordAlpineRuntimePackages([venv], ["openssl-dev"]).replaceAll("/tmp/runtime-packages.txt", out);
    const r = spawnSync("sh", ["-ec", step.replace(/ \\\n/g, " ")], { env: { PATH: `${join(dir, "bin")}:/usr/bin:/bin` }, encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(readFileSync(out, "utf8").split("\n").filter(Boolean)).toEqual(["libcrypto1.1", "libssl1.1", "so:libc.musl-x86_64.so.1", "so:libpq.so.5"]);
  });

  it("adds scanelf first where the build image lacks it", () => {
    const dir = scratchDir("apk-scanelf-");
    stubs(dir, { apk: `echo "$*" >> ${dir}/calls` });
    // a PATH without scanelf, whatever the host has: only the tools the step needs besides it
    for (const tool of ["sort", "tr", "find", "grep", "sed", "cat"]) {
      const found = spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).stdout.trim();
      if (found) symlinkSync(found, join(dir, "bin", tool));
    }
    const step = recordAlpineRuntimePackages([join(dir, "venv")], []).replaceAll("/tmp/runtime-packages.txt", join(dir, "out.txt"));
    const r = spawnSync("/bin/sh", ["-ec", step.replace(/ \\\n/g, " ")], { env: { PATH: join(dir, "bin") }, encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, "calls"), "utf8").split("\n")[0]).toBe("add --no-cache scanelf");
  });

  it("adds only what the runtime image lacks", () => {
    const dir = scratchDir("apk-install-");
    mkdirSync(join(dir, "lib"));
    writeFileSync(join(dir, "lib", "libc.musl-x86_64.so.1"), "");
    writeFileSync(join(dir, "runtime-packages.txt"), "libffi\nlibssl1.1\nso:libc.musl-x86_64.so.1\nso:libpq.so.5\n");
    stubs(dir, { apk: `echo "$*" >> ${dir}/calls\n[ "$1" != info ] || [ "$3" = libffi ]` });
    const step = installRecordedAlpinePackages("build")[1]!.replace(/^RUN /, "")
      .replaceAll("/tmp/runtime-packages.txt", join(dir, "runtime-packages.txt"))
      .replaceAll('"/lib/', `"${dir}/lib/`);
    const r = spawnSync("sh", ["-ec", step], { env: { PATH: `${join(dir, "bin")}:/usr/bin:/bin` }, encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, "calls"), "utf8").split("\n").filter((l) => l.startsWith("add"))).toEqual(["add --no-cache libssl1.1 so:libpq.so.5"]);
  });
});

describe("Poetry 1.1 with an unbounded poetry-core", () => {
  const text = (install: string) => `FROM python:3.9-slim\nWORKDIR /srv\nRUN ${install}\nCOPY pyproject.toml poetry.lock ./\nRUN poetry install --no-dev\nCOPY . .\nCMD ["python", "app.py"]\n`;
  const files = { "pyproject.toml": '[tool.poetry]\nname = "a"\nversion = "1"\n[tool.poetry.dependencies]\npython = "^3.9"\n', "poetry.lock": "", "app.py": "" };
  const outcome = (install: string) =>
    exitOutcome(text(install), { context: memoryContext(files) });

  it("rejects 1.1.0 to 1.1.4 installed alone, and accepts 1.1.5 on (poetry-core ~1.0.x), a poetry-core pin or a constraints file", () => {
    expect(outcome("pip install poetry==1.1.4")).toBe("2");
    expect(outcome("pip install poetry==1.1.5")).toBe("converted");
    expect(outcome("pip install poetry==1.1.11")).toBe("converted");
    expect(outcome("pip install poetry==1.1.4 poetry-core==1.0.8")).toBe("converted");
    expect(outcome("pip install -c constraints.txt poetry==1.1.4")).toBe("converted");
    expect(outcome("pip install poetry==1.8.3")).toBe("converted");
  });
});

describe("Pillow 5.0–10.3 built from source on Python 3.13+", () => {
  const outcome = (image: string, pin: string) =>
    exitOutcome(`FROM ${image}\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]\n`, { context: memoryContext({ "requirements.txt": `${pin}\n`, "app.py": "" }) });

  it("rejects it on 3.13 and floating tags, accepts 10.4+ or Python 3.12", () => {
    expect(outcome("python:3.13-slim", "Pillow==10.3.0")).toBe("2");
    expect(outcome("python:3-alpine", "pillow==7.1.2")).toBe("2");
    expect(outcome("python:3.13-slim", "Pillow==10.4.0")).toBe("converted");
    expect(outcome("python:3.12-slim", "Pillow==9.5.0")).toBe("converted");
  });
});

describe("uv's locked and frozen modes need the lockfile", () => {
  const pyproject = '[project]\nname = "svc"\nversion = "1.0.0"\nrequires-python = ">=3.12"\ndependencies = ["flask"]\n';
  const outcome = (run: string, files: Record<string, string>, env = "") => {
    const text = `FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5 /uv /bin/uv\n${env}WORKDIR /app\nCOPY pyproject.toml uv.lock* ./\nRUN ${run}\nCOPY . .\nCMD ["uv", "run", "python", "app.py"]\n`;
    try {
      return convert(text, { context: memoryContext({ "pyproject.toml": pyproject, "app.py": "print(1)\n", ...files }), explicitContext: true }).status;
    } catch (error) {
      return (error as Error).message.replace(/:.*/s, "");
    }
  };

  it("rejects --locked, --frozen or UV_FROZEN without a uv.lock, or with one .dockerignore leaves out", () => {
    expect(outcome("uv sync --locked", {})).toBe("line 5");
    expect(outcome("uv sync --no-dev", {}, "ENV UV_FROZEN=1\n")).toBe("line 6");
    expect(outcome("uv sync --frozen", { "uv.lock": "version = 1\n", ".dockerignore": "uv.lock\n" })).toBe("line 5");
  });

  it("converts with the lockfile, without the flag, or when uv lock makes it first", () => {
    expect(outcome("uv sync --locked", { "uv.lock": "version = 1\n" })).toBe("converted");
    expect(outcome("uv sync --no-dev", {})).toBe("converted");
    expect(outcome("uv lock && uv sync --frozen", {})).toBe("converted");
  });
});

describe("programs the project's own Python code starts", () => {
  it.each([
    ['GIT = shutil.which("git")', ["git"]],
    ["subprocess.run(['ffmpeg', '-i', src, dst], check=True)", ["ffmpeg"]],
    ['subprocess.Popen("pg_dump -Fc db", shell=True)', ["pg_dump"]],
    ['os.system("/usr/bin/convert in.png out.jpg")', ["convert"]],
    ['await asyncio.create_subprocess_exec("git", "fetch")', ["git"]],
    ["subprocess.run(cmd)", []],
    ['cmd = "ping -c 1 {ip}".format(ip=ip)\ncode = subprocess.call(cmd, shell=True)', ["ping"]],
    ["cmd = f'{tool} --version'\nsubprocess.run(cmd, shell=True)", []],
    ['print("git")', []],
  ])("%s", (code, programs) => {
    const { programsStartedInPython } = pythonPrograms;
    expect(programsStartedInPython(`import os, shutil, subprocess, asyncio\n${code}\n`)).toEqual(programs);
  });

  it("leaves tests and environments out", () => {
    const context = memoryContext({ "app/run.py": 'subprocess.run(["git", "pull"])\n', "tests/test_x.py": 'subprocess.run(["docker", "ps"])\n', ".venv/lib/x.py": 'shutil.which("node")\n', "conftest.py": 'shutil.which("psql")\n' });
    expect(pythonPrograms.programsPythonCodeRuns(context)).toEqual(["git"]);
  });
});

describe("a Python environment whose path has whitespace", () => {
  it("is refused rather than printed with the path split into words", () => {
    const text = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN python -m venv "/opt/my env" && "/opt/my env/bin/pip" install -r requirements.txt\nENV PATH="/opt/my env/bin:$PATH"\nCMD ["python", "app.py"]\n';
    expect(() => convert(text, { context: memoryContext({ "requirements.txt": "flask==3.0.0\n", "app.py": "print(1)\n" }) })).toThrow(/the Python environment \/opt\/my env has whitespace in its path/);
  });
});

describe("a Poetry 1 lock under Poetry 2 with a [project] table", () => {
  const lock = "# This file is automatically @generated by Poetry 1.6.1 and should not be changed by hand.\npackage = []\n\n[metadata]\nlock-version = \"2.0\"\npython-versions = \"^3.10\"\ncontent-hash = \"0\"\n";
  const pyproject = (project: string) => `${project}[tool.poetry]\nname = "svc"\nversion = "1.0.0"\ndescription = ""\nauthors = ["A <a@example.org>"]\n\n[tool.poetry.dependencies]\npython = "^3.10"\nhttpx = "^0.25"\n`;
  const outcome = (poetry: string, project: string) => {
    const text = `FROM python:3.11-slim\nRUN pip install ${poetry}\nWORKDIR /srv\nCOPY pyproject.toml poetry.lock ./\nRUN poetry config virtualenvs.create false && poetry install --no-root\nCOPY . .\nCMD ["python", "app.py"]\n`;
    try {
      return convert(text, { context: memoryContext({ "pyproject.toml": pyproject(project), "poetry.lock": lock, "app.py": "print(1)\n" }), explicitContext: true }).status;
    } catch (error) {
      return (error as Error).message.replace(/:.*/s, "");
    }
  };

  it("rejects the install when Poetry 2 is what the build gets", () => {
    expect(outcome("poetry", '[project]\nname = "svc"\nrequires-python = ">=3.10"\n\n')).toBe("line 5");
    expect(outcome("poetry>=2", '[project]\nname = "svc"\ndependencies = ["httpx"]\n\n')).toBe("line 5");
  });

  it("converts under a pinned Poetry 1, or without [project] keys Poetry hashes", () => {
    expect(outcome("poetry==1.8.3", '[project]\nname = "svc"\nrequires-python = ">=3.10"\n\n')).toBe("converted");
    expect(outcome("poetry", '[project]\nname = "svc"\n\n')).toBe("converted");
    expect(outcome("poetry", "")).toBe("converted");
  });
});

describe("Flask pinned to a release whose imports a newer dependency removed", () => {
  const outcome = (image: string, requirements: string) => {
    const text = `FROM ${image}\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]\n`;
    try {
      return convert(text, { context: memoryContext({ "requirements.txt": requirements, "app.py": "from flask import Flask\n" }), explicitContext: true }).status;
    } catch (error) {
      return /fails with "([^"]+)"/.exec((error as Error).message)?.[1] ?? (error as Error).message;
    }
  };

  it.each([
    ["python:3.8-slim", "Flask==2.1.0\n", "ImportError: cannot import name 'url_quote' from 'werkzeug.urls'"],
    ["python:3.11", "flask==1.1.2\nWerkzeug==2.0.3\nitsdangerous==2.0.1\n", "ImportError: cannot import name 'escape' from 'jinja2'"],
    ["python:3.9-alpine", "Flask==1.1.4\n", "ImportError: cannot import name 'soft_unicode' from 'markupsafe'"],
    ["python:3", "Flask==0.12.2\nJinja2==2.10\nitsdangerous==0.24\n", "ModuleNotFoundError: No module named 'urlparse'"],
    // Flask 1.x imports jinja2 before werkzeug and itsdangerous: the first failure is MarkupSafe's, through Jinja2 2.11
    ["python:3.7", "Flask==1.1.2\nJinja2==2.11.2\n", "ImportError: cannot import name 'soft_unicode' from 'markupsafe'"],
    ["python:3.12-slim", "-r base.txt\n", "ImportError: cannot import name 'url_quote' from 'werkzeug.urls'"],
  ])("%s with %j: rejected", (image, requirements, error) => {
    const files = requirements.startsWith("-r") ? "Flask==2.2.2\n" : undefined;
    const text = `FROM ${image}\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n`;
    const context = memoryContext({ "requirements.txt": requirements, "app.py": "from flask import Flask\n", ...(files ? { "base.txt": files } : {}) });
    let message = "converted";
    try {
      convert(text, { context, explicitContext: true });
    } catch (e) {
      message = /fails with "([^"]+)"/.exec((e as Error).message)?.[1] ?? (e as Error).message;
    }
    expect(message).toBe(error);
  });

  it.each([
    ["python:3.7-slim", "Flask==2.1.0\n"],
    ["python:3.8-slim", "Flask==2.1.0\nWerkzeug==2.2.3\n"],
    ["python:3.8-slim", "Flask==2.1.0\nWerkzeug<3\n"],
    ["python:3.12-slim", "Flask==2.3.3\n"],
    ["python:3.12-slim", "Flask>=2.0\n"],
    ["python:3.12-slim", "Flask==2.0.3\n-e .\n"],
  ])("%s with %j: converted", (image, requirements) => expect(outcome(image, requirements)).toBe("converted"));


  it("converts a pinned Flask that nothing imports (a Django app's leftover requirement)", () => {
    const text = 'FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["gunicorn", "site.wsgi:application"]\n';
    const files = (code: string) => memoryContext({ "requirements.txt": "Django==4.2.16\nflask==2.0.3\ngunicorn==23.0.0\n", "site/wsgi.py": code });
    expect(exitOutcome(text, { context: files("from django.core.wsgi import get_wsgi_application\n"), explicitContext: true })).toBe("converted");
    expect(exitOutcome(text, { context: files("from flask import Flask\n"), explicitContext: true })).toBe("2");
  });
});

describe("Celery 4.0–4.1.0 workers with Kombu left to pip", () => {
  const outcome = (requirements: string, cmd = '["celery", "-A", "tasks", "worker"]') =>
    exitOutcome(`FROM python:3.6-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ${cmd}\n`, { context: memoryContext({ "requirements.txt": requirements, "tasks.py": "" }), explicitContext: true });

  it("rejects the worker of 4.0.2 and 4.1.0 with Kombu unpinned or pinned at 4.2+, and accepts the rest", () => {
    expect(outcome("celery==4.0.2\n")).toBe("2");
    expect(outcome("celery==4.1.0\nkombu==4.6.11\n")).toBe("2");
    expect(outcome("celery==4.1.0\nkombu==4.1.0\n")).toBe("converted");
    expect(outcome("celery==4.1.0\nkombu<4.2\n")).toBe("converted");
    expect(outcome("celery==4.1.1\n")).toBe("converted");
    expect(outcome("celery==3.1.25\n")).toBe("converted");
    expect(outcome("celery==4.0.2\n", '["python", "tasks.py"]')).toBe("converted");
  });
});

describe("python-telegram-bot 13 code with version 20 or later installed", () => {
  const outcome = (requirements: string, code: string, image = "python:3.11-slim") =>
    exitOutcome(`FROM ${image}\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["python", "bot.py"]\n`, { context: memoryContext({ "requirements.txt": requirements, "bot.py": code }), explicitContext: true });
  const v13 = "from telegram.ext import Updater, Filters\n";

  it("rejects Filters imported with the newest release, accepts a pin below 20 or v20 code", () => {
    expect(outcome("python-telegram-bot\n", v13)).toBe("2");
    expect(outcome("python-telegram-bot==20.7\n", v13)).toBe("2");
    expect(outcome("python-telegram-bot==13.15\n", v13)).toBe("converted");
    expect(outcome("python-telegram-bot<20\n", v13)).toBe("converted");
    expect(outcome("python-telegram-bot\n", "from telegram.ext import Application, filters\n")).toBe("converted");
    expect(outcome("python-telegram-bot\n", v13, "python:3.6-slim")).toBe("converted");
  });
});

describe("packaging tools used when the container starts", () => {
  const files = { "pyproject.toml": '[project]\nname = "svc"\nversion = "1"\ndependencies = ["flask==3.0.3"]\n', "uv.lock": "version = 1\n", "app.py": "" };
  const image = (cmd: string, extra: Record<string, string> = {}) =>
    exitOutcome(`FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5 /uv /bin/uv\nWORKDIR /app\nCOPY . .\nRUN uv sync --frozen\n${cmd}\n`, { context: memoryContext({ ...files, ...extra }), explicitContext: true });
  it("converts a runner the start command names, which msb drops", () => {
    expect(image('CMD ["uv", "run", "python", "app.py"]')).toBe("converted");
  });
  it("refuses installs in the start command and runners or installs in its script", () => {
    expect(image("CMD uv sync && python app.py")).toBe("3");
    expect(image('CMD ["sh", "-c", "pip install -r extra.txt && python app.py"]')).toBe("3");
    expect(image('CMD ["./run.sh"]', { "run.sh": "#!/bin/sh\nexec poetry run python app.py\n" })).toBe("3");
    expect(image('CMD ["./run.sh"]', { "run.sh": "#!/bin/sh\nexec uv pip install -r extra.txt\n" })).toBe("3");
  });
  it("keeps uv copied from its image in the runtime for a script that runs programs with uv run, without syncing", () => {
    const dockerfile = convert('FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5 /uv /bin/uv\nWORKDIR /app\nCOPY . .\nRUN uv sync --frozen\nCMD ["./run.sh"]\n', { context: memoryContext({ ...files, "run.sh": "#!/bin/sh\nexec uv run python app.py\n" }), explicitContext: true }).dockerfile;
    const runtime = dockerfile.slice(dockerfile.indexOf("AS runtime"));
    expect(runtime).toContain("COPY --from=ghcr.io/astral-sh/uv:0.5 /uv /bin/uv");
    expect(runtime).toContain("UV_NO_SYNC=1");
  });
  it("leaves scripts whose tool use is conditional or commented out", () => {
    expect(image('CMD ["./run.sh"]', { "run.sh": '#!/bin/sh\n# poetry run python app.py\nif [ -n "$DEV" ]; then pip install debugpy; fi\nexec python app.py\n' })).toBe("converted");
  });
});

describe("library APIs that newer releases or Pythons removed", () => {
  const bot = "import discord\nfrom discord.ext import commands\n\nbot = commands.Bot(command_prefix='!')\nbot.run('token')\n";
  const discord = (requirements: string, code = bot, image = "python:3-slim", copy = "COPY requirements.txt .") =>
    exitOutcome(`FROM ${image}\nWORKDIR /app\n${copy}\nRUN pip install -r requirements.txt\nCOPY bot.py .\nCMD ["python", "bot.py"]\n`, { context: memoryContext({ "requirements.txt": requirements, "bot.py": code }), explicitContext: true });
  it("rejects discord.py 1.x on Python 3.13+, where its imports fail", () => {
    expect(discord("discord.py==1.7.3\n")).toBe("2");
    expect(discord("discord.py~=1.7\n")).toBe("2");
    expect(discord("discord.py==1.7.3\n", bot, "python:3.13-slim", "COPY requirements.txt /app")).toBe("2");
  });
  it("leaves discord.py 2, Python 3.12 and code that does not import discord", () => {
    const withIntents = bot.replace("command_prefix='!'", "command_prefix='!', intents=discord.Intents.default()");
    expect(discord("discord.py==2.4.0\n", withIntents)).toBe("converted");
    expect(discord("discord.py\n", withIntents)).toBe("converted");
    expect(discord("discord.py==1.7.3\n", bot, "python:3.12-slim")).toBe("converted");
    expect(discord("discord.py==1.7.3\n", "print('not a bot')\n")).toBe("converted");
  });
  it("rejects a bot without intents that pip installs discord.py 2 for, unpinned or pinned", () => {
    expect(discord("discord.py\n")).toBe("2");
    expect(discord("discord.py==2.4.0\n")).toBe("2");
    expect(discord("discord.py==1.7.3\n", bot, "python:3.12-slim")).toBe("converted");
  });
  it("rejects scrapy.contrib only where pip may take Scrapy 1.6 or later", () => {
    const spider = (requirements: string) => exitOutcome(`FROM python:3.8\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["scrapy", "crawl", "s"]\n`, { context: memoryContext({ "requirements.txt": requirements, "s/pipelines.py": "from scrapy.contrib.pipeline.images import ImagesPipeline\n" }), explicitContext: true });
    expect(spider("scrapy\n")).toBe("2");
    expect(spider("scrapy==2.11.2\n")).toBe("2");
    // Twisted held below 23.8: those Scrapy releases call reactor._handleSignals, which later Twisted removed
    expect(spider("scrapy==1.5.2\ntwisted<23.8\n")).toBe("converted");
    expect(spider("scrapy<1.6\ntwisted==22.10.0\n")).toBe("converted");
    expect(spider("scrapy~=1.5.0\ntwisted<23.8\n")).toBe("converted");
  });
});

describe("absolute directories the application writes", () => {
  const dirs = (code: string, workdir = "/app") => absoluteWriteDirs(memoryContext({ "app.py": code }), workdir).map((w) => w.dir);
  it("finds literal write targets outside the WORKDIR", () => {
    expect(dirs('open("/data/out/report.csv", "w")\nlogging.FileHandler("/var/log/svc/svc.log")\nengine = create_engine("sqlite:////srv/db/app.db")\nHOME = Path("/") / "state"\n')).toEqual(["/data/out", "/srv/db", "/state", "/var/log/svc"]);
  });
  it("leaves reads, computed paths, system and temporary directories and the WORKDIR", () => {
    expect(dirs('open("/data/in.csv")\nuri = f"sqlite:////{root}/data/app.db"\nopen("/tmp/x", "w")\nopen("/app/out.txt", "w")\nos.makedirs("/var/log")\n# open("/old/x", "w")\n')).toEqual([]);
  });
});

describe("a start program the lockfile does not install", () => {
  const lock = (names: string[]) => `version = 1\n${names.map((n) => `\n[[package]]\nname = "${n}"\nversion = "1.0"\n`).join("")}`;
  const image = (names: string[], extra = "") => exitOutcome(`FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5 /uv /bin/uv\nWORKDIR /app\nCOPY . .\nRUN uv sync --frozen${extra}\nCMD ["gunicorn", "app:app"]\n`, { context: memoryContext({ "pyproject.toml": '[project]\nname = "svc"\nversion = "1"\n', "uv.lock": lock(names), "app.py": "" }), explicitContext: true });
  it("rejects it when every install is from the lockfile", () => expect(image(["svc", "flask"])).toBe("2"));
  it("converts when the lockfile lists it or another step installs it", () => {
    expect(image(["svc", "flask", "gunicorn"])).toBe("converted");
    expect(image(["svc", "flask"], " && uv pip install gunicorn")).toBe("converted");
  });
});

describe("start scripts that install only on some starts", () => {
  it("are left alone: the script's conditional blocks do not run every time", () => {
    const files = { "pyproject.toml": '[project]\nname = "svc"\nversion = "1"\n', "uv.lock": "version = 1\n", "app.py": "", "run.sh": '#!/bin/sh\nif [ "$EXTRA" = 1 ]; then\n  pip install -r extra.txt\nfi\nexec python app.py\n' };
    expect(exitOutcome('FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5 /uv /bin/uv\nWORKDIR /app\nCOPY . .\nRUN uv sync --frozen\nCMD ["./run.sh"]\n', { context: memoryContext(files), explicitContext: true })).toBe("converted");
  });
});

describe("Poetry options the installed Poetry removed", () => {
  const context = memoryContext({ "pyproject.toml": '[tool.poetry]\nname = "svc"\nversion = "1"\n\n[tool.poetry.dependencies]\npython = "^3.11"\n', "poetry.lock": "", "main.py": "" });
  const dockerfile = (install: string, step: string) => `FROM python:3.11-slim\nWORKDIR /app\nCOPY . .\nRUN ${install}\nRUN ${step}\nRUN poetry install --no-root\nCMD ["python", "main.py"]\n`;
  it("reject the build: --default under Poetry 2, settings. keys under Poetry 1", () => {
    expect(exitOutcome(dockerfile("pip install poetry", "poetry source add --default m https://m.example/simple"), { context, explicitContext: true })).toBe("2");
    expect(exitOutcome(dockerfile("pip install poetry==1.8.3", "poetry config settings.virtualenvs.create false"), { context, explicitContext: true })).toBe("2");
  });
  it("are left alone where the Poetry still has them or the step's status is ignored", () => {
    expect(exitOutcome(dockerfile("pip install poetry==1.8.3", "poetry source add --default m https://m.example/simple"), { context, explicitContext: true })).toBe("converted");
    expect(exitOutcome(dockerfile("pip install poetry==0.12.17", "poetry config settings.virtualenvs.create false"), { context, explicitContext: true })).toBe("converted");
    expect(exitOutcome(dockerfile("pip install poetry", "poetry source add --default m https://m.example/simple || true"), { context, explicitContext: true })).toBe("converted");
  });
});

describe("FastAPI with pydantic before 1.10.16", () => {
  const files = (pydantic: string) => memoryContext({ "requirements.txt": `fastapi==0.85.1\npydantic${pydantic}\n`, "main.py": "from fastapi import FastAPI\napp = FastAPI()\n" });
  const dockerfile = (tag: string) => `FROM python:${tag}\nWORKDIR /code\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["uvicorn", "main:app"]\n`;
  it("is rejected on Python 3.12.4 or later", () => {
    expect(exitOutcome(dockerfile("3.12-slim"), { context: files("==1.10.2"), explicitContext: true })).toBe("2");
    expect(exitOutcome(dockerfile("alpine"), { context: files("<1.10"), explicitContext: true })).toBe("2");
  });
  it("is left alone before 3.12.4, with 1.10.16 or later, or pydantic 2", () => {
    expect(exitOutcome(dockerfile("3.12.3-slim"), { context: files("==1.10.2"), explicitContext: true })).toBe("converted");
    expect(exitOutcome(dockerfile("3.11-slim"), { context: files("==1.10.2"), explicitContext: true })).toBe("converted");
    expect(exitOutcome(dockerfile("3.13-slim"), { context: files("==1.10.17"), explicitContext: true })).toBe("converted");
    expect(exitOutcome(dockerfile("3.13-slim"), { context: files("<2"), explicitContext: true })).toBe("converted");
  });
});

describe("a packaging tool the official python image does not have", () => {
  const context = memoryContext({ "pyproject.toml": '[tool.poetry]\nname = "a"\nversion = "1"\n', "poetry.lock": "", "uv.lock": "", "a.py": "" });
  const run = (steps: string) => exitOutcome(`FROM python:3.12-slim\nWORKDIR /app\n${steps}CMD ["python", "a.py"]\n`, { context, explicitContext: true });
  it("is rejected when nothing installs it, also after its lockfile is copied", () => {
    expect(run("COPY pyproject.toml poetry.lock ./\nRUN poetry install --no-root\nCOPY . .\n")).toBe("2");
    expect(run("COPY pyproject.toml uv.lock ./\nRUN uv sync --frozen\nCOPY . .\n")).toBe("2");
  });
  it("is left alone when a step installs it or copies its program", () => {
    expect(run("COPY --from=ghcr.io/astral-sh/uv:0.5 /uv /bin/uv\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen\nCOPY . .\n")).toBe("converted");
    expect(run("RUN pip install poetry==1.8.3\nCOPY pyproject.toml poetry.lock ./\nRUN poetry install --no-root\nCOPY . .\n")).toBe("converted");
    expect(run("RUN curl -sSL https://install.python-poetry.org | python3 -\nCOPY . .\nRUN poetry install --no-root\n")).not.toBe("2");
  });
});

describe("distributions published only as Windows or macOS wheels", () => {
  const pip = "FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD [\"python\", \"app.py\"]\n";
  const pipOutcome = (requirements: string) => exitOutcome(pip, { context: memoryContext({ "requirements.txt": requirements, "app.py": "" }), explicitContext: true });

  it("reject a pip install that takes pywin32 or python-magic-bin on Linux", () => {
    expect(pipOutcome("requests==2.32.3\npywin32==306\n")).toBe("2");
    expect(pipOutcome("python-magic-bin\n")).toBe("2");
  });

  it("do not, when a marker leaves them out on Linux", () => {
    expect(pipOutcome('requests==2.32.3\npywin32==306; sys_platform == "win32"\n')).toBe("converted");
  });

  const pdm = "FROM python:3.12-slim\nWORKDIR /srv\nRUN pip install pdm\nCOPY pyproject.toml pdm.lock ./\nRUN pdm install --prod --no-self\nCOPY . .\nCMD [\"pdm\", \"run\", \"python\", \"app.py\"]\n";
  const pyproject = '[project]\nname = "svc"\nversion = "0.1.0"\nrequires-python = ">=3.12"\ndependencies = ["pywin32"]\n[tool.pdm]\ndistribution = false\n';
  const block = (extra: string) => `[[package]]\nname = "pywin32"\nversion = "308"\n${extra}files = [\n    {file = "pywin32-308-cp312-cp312-win_amd64.whl", hash = "sha256:00"},\n]\n`;
  const pdmOutcome = (lock: string) => exitOutcome(pdm, { context: memoryContext({ "pyproject.toml": pyproject, "pdm.lock": lock, "app.py": "" }), explicitContext: true });

  it("reject a locked main-group package whose every file is such a wheel", () => {
    expect(pdmOutcome(block('groups = ["default"]\n'))).toBe("2");
  });

  it("do not, when the lock gives it a marker, puts it in another group, or records no groups (older locks keep markers elsewhere)", () => {
    expect(pdmOutcome(block('groups = ["default"]\nmarker = "sys_platform == \\"win32\\""\n'))).toBe("converted");
    expect(pdmOutcome(block('groups = ["dev"]\n'))).toBe("converted");
    expect(pdmOutcome(block(""))).toBe("converted");
  });
});

describe("Django 2 with psycopg2 2.9", () => {
  // psycopg2 compiles: the slim image gets gcc and libpq's headers first
  const dockerfile = "FROM python:3.8-slim\nWORKDIR /app\nRUN apt-get update && apt-get install -y gcc libpq-dev\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD [\"gunicorn\", \"site.wsgi\"]\n";
  const warned = (requirements: string) =>
    convert(dockerfile, { context: memoryContext({ "requirements.txt": requirements, "manage.py": "" }), explicitContext: true }).notes.some((n) => n.level === "warning" && /isn't set to UTC/.test(n.message));

  it("is warned about when pip may take psycopg2 2.9 for a Django held below 3.0", () => {
    expect(warned("Django>=2.2,<3.0\npsycopg2>=2.7,<3.0\ngunicorn\n")).toBe(true);
    expect(warned("django==2.2.28\npsycopg2-binary\n")).toBe(true);
  });

  it("is not, when psycopg2 is held below 2.9 or Django is 3 or later", () => {
    expect(warned("Django>=2.2,<3.0\npsycopg2<2.9\n")).toBe(false);
    expect(warned("Django==4.2.8\npsycopg2-binary\n")).toBe(false);
  });
});

describe("setup.py on images without setuptools", () => {
  const outcome = (image: string, before = "") => exitOutcome(`FROM ${image}\nWORKDIR /app\nCOPY . .\n${before}RUN python setup.py install\nCMD ["serve"]\n`, { context: memoryContext({ "setup.py": "from setuptools import setup\nsetup(name='x')\n" }) });

  it("is rejected on Python 3.12.6 or later, and on floating tags", () => {
    expect(outcome("python:3.12")).toBe("2");
    expect(outcome("python:3")).toBe("2");
    expect(outcome("python:3.14-alpine")).toBe("2");
  });

  it("is not, where the image still had setuptools or a pip install comes first", () => {
    expect(outcome("python:3.11-slim")).not.toBe("2");
    expect(outcome("python:3.12.4")).not.toBe("2");
    // a tag bound to an old Alpine release stopped moving (python:alpine3.9 is Python 3.8)
    expect(outcome("python:alpine3.9")).not.toBe("2");
    expect(outcome("python:buster")).not.toBe("2");
    expect(outcome("python:3.13", "RUN pip install setuptools\n")).not.toBe("2");
  });
});

describe("pipenv lock -r", () => {
  const outcome = (image: string, pipenv: string, tail = "") => exitOutcome(`FROM ${image}\nWORKDIR /app\nCOPY . .\nRUN pip install ${pipenv}\nRUN pipenv lock --requirements > requirements.txt${tail}\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n`, { context: memoryContext({ Pipfile: "[packages]\nflask = '*'\n", "app.py": "" }) });

  it("is rejected when the build installs a Pipenv from 2022.8.13 on", () => {
    expect(outcome("python:3.8-alpine", "pipenv")).toBe("2");
    expect(outcome("python:3.6", "pipenv==2023.2.4")).toBe("2");
  });

  it("is not, on Python 3.6 (its newest Pipenv still has it), with an older pin, or when the RUN's status is decided later", () => {
    // Python 3.6's newest Pipenv is rejected for another reason: it no longer runs there
    const on36 = () => convert(`FROM python:3.6\nWORKDIR /app\nCOPY . .\nRUN pip install pipenv\nRUN pipenv lock --requirements > requirements.txt\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n`, { context: memoryContext({ Pipfile: "[packages]\nflask = '*'\n", "app.py": "" }) });
    expect(on36).toThrow(/No module named 'dataclasses'/);
    expect(on36).not.toThrow(/No such option/);
    expect(outcome("python:3.6", "pipenv==2022.4.8")).not.toBe("2");
    expect(outcome("python:3.10", "pipenv==2022.4.8")).not.toBe("2");
    expect(outcome("python:3.10", "pipenv", " || pipenv requirements > requirements.txt")).not.toBe("2");
  });
});

describe("pip install . of a setuptools pyproject before its package directories are copied", () => {
  const pyproject = '[project]\nname = "extractor"\nversion = "0.3.0"\n\n[build-system]\nrequires = ["setuptools>=61.0"]\nbuild-backend = "setuptools.build_meta"\n\n[tool.setuptools]\npackages = ["extractor"]\n';
  const files = { "pyproject.toml": pyproject, "extractor/__init__.py": "", "extractor/app.py": "" };
  const text = (copies: string) => `FROM python:3.12-slim\nWORKDIR /app\n${copies}\nRUN pip install .\nCOPY . .\nCMD ["python", "-m", "extractor.app"]\n`;

  it("is rejected when only pyproject.toml is there, converted when the package is copied first", () => {
    expect(exitOutcome(text("COPY pyproject.toml ."), { context: memoryContext(files), explicitContext: true })).toBe("2");
    expect(exitOutcome(text("COPY pyproject.toml .\nCOPY extractor/ extractor/"), { context: memoryContext(files), explicitContext: true })).toBe("converted");
    expect(exitOutcome(text("COPY . ."), { context: memoryContext(files), explicitContext: true })).toBe("converted");
  });
});

describe("an unpinned Poetry on a Python that cannot run Poetry 1.2 or later", () => {
  it("keeps poetry install --no-dev: pip takes Poetry 1.1.15 there, which has no --only", () => {
    const text = (image: string) => `FROM ${image}\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\nRUN pip install poetry && poetry config virtualenvs.create false && poetry install --no-root --no-dev\nCOPY . .\nCMD ["python", "app.py"]\n`;
    const context = memoryContext({ "pyproject.toml": '[tool.poetry]\nname = "x"\nversion = "0.1.0"\n\n[tool.poetry.dependencies]\npython = "^3.6"\nflask = "*"\n', "poetry.lock": "", "app.py": "" });
    expect(convert(text("python:3.6"), { context }).dockerfile).toMatch(/poetry install --no-root --no-dev/);
    expect(convert(text("python:3.8"), { context }).dockerfile).toMatch(/poetry install --no-root --only main/);
    expect(exitOutcome(text("python:3.11"), { context })).toBe("2");
  });
});

describe("Scrapy before 2.10.1 with Twisted left free", () => {
  const text = 'FROM python:3.11-slim\nWORKDIR /c\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["scrapy", "crawl", "items"]\n';
  const outcome = (requirements: string) => exitOutcome(text, { context: memoryContext({ "requirements.txt": requirements, "scrapy.cfg": "" }), explicitContext: true });
  it("is rejected unless Twisted is held below 23.8 or Scrapy is 2.10.1 or later", () => {
    expect(outcome("scrapy==2.8.0\n")).toBe("2");
    expect(outcome("scrapy==2.8.0\ntwisted==22.10.0\n")).toBe("converted");
    expect(outcome("scrapy==2.11.2\n")).toBe("converted");
  });

  it("is rejected left unpinned on Python 3.7, where pip takes 2.9.0 and Twisted 23.8.0, and not on 3.8", () => {
    const on = (image: string) => exitOutcome(text.replace("python:3.11-slim", image), { context: memoryContext({ "requirements.txt": "scrapy\ntwisted\n", "scrapy.cfg": "" }), explicitContext: true });
    expect(on("python:3.7")).toBe("2");
    expect(on("python:3.8")).toBe("converted");
    expect(outcome("scrapy\n")).toBe("converted");
  });
});

describe("an application that runs in / and writes relative to it", () => {
  it("gets its log file made and handed to the runtime user", () => {
    const dockerfile = 'FROM python:3.11\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY app.py .\nCOPY /app /app\nCMD ["python", "app.py"]\n';
    const files = { "requirements.txt": "flask\n", "app.py": "from app import create_app\n", "app/__init__.py": 'import logging\n\ndef create_app():\n    logging.basicConfig(level=logging.INFO, filename="logs.log", filemode="a")\n' };
    const result = convert(dockerfile, { context: memoryContext(files), explicitContext: true });
    expect(result.dockerfile).toContain("RUN touch /logs.log && chown app:app /logs.log");
  });
});

describe("pdm for compose's pdm run when pdm.lock locks pdm itself", () => {
  it("is not installed again: the copied environment has it", () => {
    const context = memoryContext({ "pyproject.toml": '[project]\nname = "a"\nversion = "1"\n', "pdm.lock": '[[package]]\nname = "pdm"\nversion = "2.22.3"\n', "docker-compose.yml": "services:\n  worker:\n    command: pdm run python -m app\n", "app/__main__.py": "" });
    const result = convert("FROM python:3.12-slim\nWORKDIR /code\nCOPY . /code/\nRUN pip install pdm && pdm install --prod\nCMD [\"sh\"]\n", { context });
    expect(result.dockerfile).not.toContain("-m pip install --no-cache-dir 'pdm'");
    expect(result.notes.some((n) => /pdm\.lock locks pdm itself/.test(n.message))).toBe(true);
  });
});

describe("a packaging tool installed after the environment on Python 3.7 or older", () => {
  it("goes into a build-tools venv whose pip is brought to the image's own pip first", () => {
    const text = 'FROM python:3.6\nWORKDIR /app\nCOPY requirements.txt pyproject.toml ./\nRUN pip3 install -r requirements.txt\nRUN pip3 install poetry\nRUN poetry config virtualenvs.create false && poetry install --no-root --no-dev\nCOPY . .\nCMD ["python", "app.py"]\n';
    const context = memoryContext({ "requirements.txt": "flask\n", "pyproject.toml": '[tool.poetry]\nname = "x"\nversion = "0.1.0"\n', "app.py": "" });
    expect(convert(text, { context }).dockerfile).toContain(`python3 -m venv /opt/build-tools && /opt/build-tools/bin/python -m pip install -q "pip==$(/usr/local/bin/python3 -m pip --version | cut -d' ' -f2)" && /opt/build-tools/bin/pip install poetry`);
  });
});

describe("setup.py install on a Python older than its dependency's newest release needs", () => {
  const dockerfile = (tag: string) => `FROM python:${tag}\nCOPY . /src\nWORKDIR /src\nRUN python setup.py install\nCMD ["feeds"]\n`;
  const setupReading = 'from setuptools import setup\nwith open("requirements.txt") as f:\n    required = f.read().splitlines()\nsetup(name="feeds", install_requires=required)\n';
  const ending = (text: string, files: Record<string, string>) => {
    try {
      convert(text, { context: memoryContext(files), explicitContext: true });
      return "converted";
    } catch (error) {
      if (!(error instanceof MsbError)) throw error;
      return `exit ${error.exitCode}: ${error.message}`;
    }
  };
  const outcome = (tag: string, files: Record<string, string>) => ending(dockerfile(tag), files);

  it("is rejected when easy_install would take the newest lxml, from requirements.txt or a literal list", () => {
    expect(outcome("3.7-alpine", { "setup.py": setupReading, "requirements.txt": "lxml\nrequests\n" })).toMatch(/^exit 2: line 4: .*takes the newest lxml \(6\.0 or later\), whose setup\.py stops on Python 3\.7/);
    expect(outcome("3.6", { "setup.py": 'from setuptools import setup\nsetup(name="feeds", install_requires=["lxml>=4", "click"])\n' })).toMatch(/^exit 2: .*install_requires of setup\.py with easy_install/);
  });

  it("converts where lxml is held below 6.0, the Python is 3.8 or later, or pip installs the project", () => {
    expect(outcome("3.7", { "setup.py": setupReading, "requirements.txt": "lxml<6\n" })).toBe("converted");
    expect(outcome("3.8", { "setup.py": setupReading, "requirements.txt": "lxml\n" })).toBe("converted");
    expect(ending(dockerfile("3.7").replace("python setup.py install", "pip install ."), { "setup.py": setupReading, "requirements.txt": "lxml\n" })).toBe("converted");
  });
});

describe("a development server compose runs on the sources it bind-mounts", () => {
  const compose = (command: string, mount = ".:/code") => `services:\n  web:\n    build: .\n    command: ${command}\n    volumes:\n      - ${mount}\n`;
  const image = "FROM python:3.12-slim\nWORKDIR /code\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n";
  const files = { "requirements.txt": "fastapi\nuvicorn\n", "main.py": "app = None\n", "manage.py": "" };
  const outcome = (dockerfile: string, composeText: string) => exitOutcome(dockerfile, { context: memoryContext({ ...files, "docker-compose.yml": composeText }), explicitContext: true });

  it.each(["python manage.py runserver 0.0.0.0:8000", "uvicorn main:app --host 0.0.0.0 --reload", 'flask run --host=0.0.0.0', '["fastapi", "dev", "main.py"]'])("refuses an image with no start command of its own: %s", (command) => {
    expect(outcome(image, compose(command))).toBe("3");
  });

  it("converts when the image has its own start command, the server does not reload, or the sources are not mounted over the WORKDIR", () => {
    expect(outcome(`${image}CMD ["uvicorn", "main:app", "--host", "0.0.0.0"]\n`, compose("uvicorn main:app --host 0.0.0.0 --reload"))).toBe("converted");
    expect(outcome(image, compose("uvicorn main:app --host 0.0.0.0"))).toBe("converted");
    expect(outcome(image, compose("python manage.py runserver 0.0.0.0:8000", "./data:/code/data"))).toBe("converted");
  });
});

describe("a requirements file saved as UTF-16 (a Windows editor's byte-order mark)", () => {
  it("is read as pip reads it, so the rules that judge pins see its requirements", () => {
    const dir = scratchDir("utf16-requirements-");
    writeFileSync(join(dir, "requirements.txt"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("Django==3.2.25\r\ngunicorn==22.0.0\r\n", "utf16le")]));
    writeFileSync(join(dir, "manage.py"), "");
    const text = 'FROM python:3.13-slim\nWORKDIR /srv\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["gunicorn", "shop.wsgi"]\n';
    expect(exitOutcome(text, { context: directoryContext(dir), explicitContext: true })).toBe("2");
  });
});

describe("the fastapi command without the CLI (FastAPI 0.112 moved it to the standard extra)", () => {
  const image = (cmd: string) => `FROM python:3.12-slim\nWORKDIR /code\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ${cmd}\n`;
  const outcome = (requirements: string, cmd = '["fastapi", "run", "main.py"]') => exitOutcome(image(cmd), { context: memoryContext({ "requirements.txt": requirements, "main.py": "" }), explicitContext: true });

  it("is rejected for plain fastapi, unpinned or from 0.112, as `fastapi run` and `python -m fastapi dev`", () => {
    expect(outcome("fastapi\n")).toBe("2");
    expect(outcome("fastapi==0.115.0\n")).toBe("2");
    expect(outcome("fastapi\n", '["python", "-m", "fastapi", "dev", "main.py"]')).toBe("2");
  });

  it("converts with the standard extra, fastapi-cli, a FastAPI before 0.112, or another server", () => {
    expect(outcome("fastapi[standard]\n")).toBe("converted");
    expect(outcome("fastapi\nfastapi-cli\n")).toBe("converted");
    expect(outcome("fastapi==0.111.1\n")).toBe("converted");
    expect(outcome("fastapi\nuvicorn\n", '["uvicorn", "main:app"]')).toBe("converted");
  });
});

describe("two reasons a Poetry 2 install cannot run", () => {
  it("names the removed --no-dev, which Poetry's option parsing meets before the missing root package", () => {
    const text = 'FROM python:3.11-slim\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\nRUN pip install poetry && poetry config virtualenvs.create false && poetry install --no-dev\nCOPY . .\nCMD ["gunicorn", "app:app"]\n';
    const context = memoryContext({ "pyproject.toml": '[tool.poetry]\nname = "outline admin"\nversion = "0.1.0"\n\n[tool.poetry.dependencies]\npython = "^3.11"\nflask = "^3"\n', "poetry.lock": "", "outline_admin/__init__.py": "" });
    let message = "";
    try {
      convert(text, { context, explicitContext: true });
    } catch (error) {
      message = error instanceof MsbError ? error.message : String(error);
    }
    expect(message).toMatch(/removed --no-dev/);
  });
});

describe("a Pipfile installed inside a shell script string", () => {
  const dockerfile = (run: string) => `FROM python:3.11\nWORKDIR /app\nCOPY . /app\nRUN pip install pipenv\nARG INSTALL_DEV=false\nRUN ${run}\nCMD ["celery", "-A", "tasks", "worker"]\n`;
  const files = { Pipfile: '[packages]\ncelery = "*"\n', "Pipfile.lock": "{}", "tasks.py": "" };

  const choice = `bash -c "if [ $INSTALL_DEV == 'true' ] ; then pipenv install --system --dev ; else pipenv install --system ; fi"`;

  it("keeps the build argument's choice, both branches converted alike (the default one as any install)", () => {
    const result = convert(dockerfile(choice), { context: memoryContext(files) });
    expect(result.dockerfile).toContain(`RUN bash -c "if [ $INSTALL_DEV == 'true' ] ; then pipenv install --dev ; else pipenv install ; fi"`);
    expect(result.notes.map((n) => n.message)).toContainEqual(expect.stringMatching(/^line 6: the build argument still chooses between the two branches of its shell script; msb converted the one a default build takes \(`pipenv install --system`\)/));
    expect(result.dockerfile).toMatch(/^COPY --from=build \/opt\/venv \/opt\/venv$/m);
  });

  it("converts only the default branch when the other cannot follow it, and then refuses where compose passes the argument", () => {
    const tangled = `bash -c "if [ $INSTALL_DEV == 'true' ] ; then pipenv install --system --dev ; else pipenv install --system && pipenv check ; fi"`;
    const alone = convert(dockerfile(tangled), { context: memoryContext(files) });
    expect(alone.notes.map((n) => n.message)).toContainEqual(expect.stringMatching(/^line 6: its shell script chooses between two commands by INSTALL_DEV, which a default build sets to "false"; msb converts `pipenv install --system && pipenv check` in the script's place/));
    const compose = "services:\n  worker:\n    build:\n      context: .\n      args:\n        INSTALL_DEV: ${INSTALL_DEV-true}\n";
    expect(() => convert(dockerfile(tangled), { context: memoryContext({ ...files, "docker-compose.override.yml": compose }) })).toThrow(/^line 6: its shell script chooses between `pipenv install --system && pipenv check` and `pipenv install --system --dev` by the build argument INSTALL_DEV, which docker-compose\.override\.yml line 6 sets/);
  });

  it("finds the argument below a comment line inside the args block, which YAML does not end there", () => {
    const tangled = `bash -c "if [ $INSTALL_DEV == 'true' ] ; then pipenv install --system --dev ; else pipenv install --system && pipenv check ; fi"`;
    const compose = "services:\n  worker:\n    build:\n      context: .\n      args:\n# dev tools for the local stack\n        INSTALL_DEV: \"true\"\n";
    expect(() => convert(dockerfile(tangled), { context: memoryContext({ ...files, "docker-compose.yml": compose }) })).toThrow(/by the build argument INSTALL_DEV, which docker-compose\.yml line 7 sets/);
  });

  it("is refused naming the script msb does not read into otherwise", () => {
    expect(() => convert(dockerfile('bash -c "cd /app && pipenv install --system"'), { context: memoryContext(files) })).toThrow(/^line 6 installs the Pipfile inside a `bash -c` script, which msb does not read into/);
  });
});

describe("heroku.yml's commands", () => {
  const dockerfile = 'FROM python:3.11\nRUN pip install poetry==1.8.3 && poetry config virtualenvs.create false\nWORKDIR /srv\nCOPY . /srv\nRUN poetry install --no-interaction\n';
  const files = (builds: string) => ({ "pyproject.toml": '[tool.poetry]\nname = "x"\nversion = "0.1.0"\n[tool.poetry.dependencies]\npython = "^3.11"\n', "poetry.lock": "", "heroku.yml": `build:\n  docker:\n    web: ${builds}\nrun:\n  web: poetry run x serve\n` });

  it("start an image without CMD when heroku.yml builds this Dockerfile: Poetry stays in the runtime for its poetry run", () => {
    const result = convert(dockerfile, { context: memoryContext(files("Dockerfile")) });
    expect(result.dockerfile.split(/^FROM /m).at(-1)).toMatch(/^RUN \/usr\/local\/bin\/python -m pip install --no-cache-dir 'poetry==1\.8\.3'$/m);
    expect(result.notes.map((n) => n.message)).toContainEqual(expect.stringMatching(/^Poetry stays in the runtime: heroku\.yml line 5 starts the image with "poetry run"/));
  });

  it("is refused when Poetry came from its installer, which the runtime cannot repeat as the build did", () => {
    const installer = dockerfile.replace("pip install poetry==1.8.3", "curl -sSL https://install.python-poetry.org | python -");
    expect(() => convert(installer, { context: memoryContext(files("Dockerfile")) })).toThrow(/heroku\.yml line 5 starts the image with "poetry run"/);
  });

  it("are another image's when heroku.yml builds another Dockerfile", () => {
    expect(() => convert(dockerfile, { context: memoryContext(files("web/Dockerfile")) })).not.toThrow(/heroku\.yml/);
  });
});

describe("a PDM script written as a table", () => {
  const dockerfile = 'FROM python:3.11-slim\nRUN pip install pdm\nWORKDIR /app\nCOPY . /app\nRUN pdm install --prod --no-editable\nCMD ["pdm", "api"]\n';
  const start = (script: string) => convert(dockerfile, { context: memoryContext({ "pyproject.toml": `[project]\nname = "stock"\nversion = "0.1.0"\nrequires-python = ">=3.11"\ndependencies = ["fastapi"]\n\n[tool.pdm.scripts]\napi = ${script}\n`, "pdm.lock": "", "src/stock/api.py": "" }) }).dockerfile.split("\n").find((l) => l.startsWith("CMD"));

  it("runs as its command with its env, a script file through the environment's Python", () => {
    expect(start('{ cmd = "src/stock/api.py", env = { "PYTHONPATH" = "src" } }')).toBe('CMD ["env", "PYTHONPATH=src", "python", "src/stock/api.py"]');
    expect(start('{ cmd = ["uvicorn", "stock.api:app", "--port", "8080"], help = "serve" }')).toBe('CMD ["uvicorn", "stock.api:app", "--port", "8080"]');
  });

  it("is refused when it is more than a command and its environment", () => {
    expect(() => start('{ call = "stock.api:main" }')).toThrow(/PDM script "api", which is not a plain command/);
    expect(() => start('{ cmd = "src/stock/api.py", env_file = ".env" }')).toThrow(/PDM script "api", which is not a plain command/);
  });
});

describe("the venv module on a distribution's own python", () => {
  it("comes from python3-venv, the package of the python3 that makes the venv, whatever version the original named", () => {
    const text = 'FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y python3.9 python3-pip\nWORKDIR /usr/src/app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD gunicorn app:server -b :8050\n';
    const out = convert(text, { context: memoryContext({ "requirements.txt": "gunicorn\n", "app.py": "server = None\n" }) }).dockerfile;
    expect(out).toMatch(/apt-get install -y --no-install-recommends python3-venv && .* python3 -m venv \/opt\/venv/);
    expect(out).not.toMatch(/python3\.9-venv/);
  });
});

describe("Poetry 2 installing a project whose package is missing", () => {
  const dockerfile = "FROM python:3.12-slim\nCOPY . /src\nWORKDIR /src\nRUN pip install poetry\nRUN poetry install --without dev\nCMD [\"python\", \"bot.py\"]\n";
  const pyproject = (packages: string) => `[tool.poetry]\nname = "chat-relay"\nversion = "0.1.0"\ndescription = ""\nauthors = ["a <a@b.c>"]\n${packages}\n[tool.poetry.dependencies]\npython = "^3.12"\n`;
  const outcome = (packages: string) => exitOutcome(dockerfile, { context: memoryContext({ "pyproject.toml": pyproject(packages), "poetry.lock": "", "bot.py": "", "relay/__init__.py": "" }), explicitContext: true });

  it("is rejected also when packages is an empty list, which names none", () => expect(outcome("packages = []")).toBe("2"));
  it("is left alone when packages names the code", () => expect(outcome('packages = [{ include = "relay" }]')).toBe("converted"));
});

describe("Celery 5.2 on Python 3.12", () => {
  const image = (tag: string, celery: string) => exitOutcome(`FROM python:${tag}\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["celery", "-A", "tasks", "worker", "-l", "info"]\n`, { context: memoryContext({ "requirements.txt": `celery==${celery}\nredis==5.0.1\n`, "tasks.py": "" }) });

  it("is rejected: its celery command calls entry_points().get, which 3.12 removed", () => {
    expect(image("3.12-slim", "5.2.7")).toBe("2");
    expect(image("3-slim", "5.2.3")).toBe("2");
  });

  it("is converted on Python 3.11, and Celery 5.3 on 3.12", () => {
    expect(image("3.11-slim", "5.2.7")).toBe("converted");
    expect(image("3.12-slim", "5.3.6")).toBe("converted");
  });
});

describe("a Poetry project that pins one exact Python release", () => {
  const pyproject = (python: string) => `[tool.poetry]\nname = "recs"\nversion = "0.1.0"\n\n[tool.poetry.dependencies]\npython = "${python}"\nfastapi = "^0.110"\n`;
  const dockerfile = (image: string) => `FROM ${image}\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir poetry==1.8.3\nRUN poetry config virtualenvs.create false\nRUN poetry install --no-root\nCMD ["uvicorn", "main:app"]\n`;
  const outcome = (image: string, python: string) => exitOutcome(dockerfile(image), { context: memoryContext({ "pyproject.toml": pyproject(python), "main.py": "" }), explicitContext: true });
  it("is rejected in the single-equals form and on an image that names its Python in the tag (python3.10)", () => {
    expect(outcome("tiangolo/uvicorn-gunicorn-fastapi:python3.10", "=3.10.15")).toBe("2");
    expect(outcome("python:3.10", "==3.10.15")).toBe("2");
  });
  it("converts a range, or an image that pins that release", () => {
    expect(outcome("tiangolo/uvicorn-gunicorn-fastapi:python3.10", "~3.10")).not.toBe("2");
    expect(outcome("python:3.10.15", "=3.10.15")).toBe("converted");
  });
});

describe("dependencies that a newer Python can no longer import", () => {
  const image = (from: string, cmd = '["python", "run.py"]') => `FROM ${from}\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ${cmd}\n`;
  const outcome = (from: string, requirements: string, files: Record<string, string> = { "run.py": "import requests\n" }) =>
    exitOutcome(image(from), { context: memoryContext({ "requirements.txt": requirements, ...files }), explicitContext: true });

  it("rejects slackbot (every release imports imp) from Python 3.12, floating tags included", () => {
    expect(outcome("python:3.12-slim", "slackbot==1.0.5\n")).toBe("2");
    expect(outcome("python:3", "slackbot\n")).toBe("2");
    expect(outcome("python:3.11-slim", "slackbot\n")).toBe("converted");
  });

  it("rejects requests before 2.19 (collections.MutableMapping) from Python 3.10", () => {
    expect(outcome("python:3.10", "requests==2.18.4\n")).toBe("2");
    expect(outcome("python:3.9", "requests==2.18.4\n")).toBe("converted");
    expect(outcome("python:3.12", "requests==2.19.0\n")).toBe("converted");
    expect(outcome("python:3.12", "requests\n")).toBe("converted");
  });
});

describe("paho-mqtt 2 with a client created the 1.x way", () => {
  const image = 'FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["python", "bridge.py"]\n';
  const outcome = (requirements: string, code: string) => exitOutcome(image, { context: memoryContext({ "requirements.txt": requirements, "bridge.py": code }), explicitContext: true });
  const keywordId = 'import paho.mqtt.client as mqtt\nclient = mqtt.Client(client_id="bridge")\n';
  const positionalId = 'import paho.mqtt.client as mqtt\nclient = mqtt.Client("bridge")\n';

  it("is rejected where pip may take 2.x and the client id comes first, or 2.0.x and no version is given", () => {
    expect(outcome("paho-mqtt\n", positionalId)).toBe("2");
    expect(outcome("paho-mqtt>=1.5\n", "from paho.mqtt import client as mqtt_client\nc = mqtt_client.Client(client_id)\n")).toBe("2");
    expect(outcome("paho-mqtt==2.0.0\n", keywordId)).toBe("2");
    expect(outcome("paho-mqtt==2.0.0\n", "from paho.mqtt.client import Client\nc = Client()\n")).toBe("2");
  });

  it("converts 1.x pins, code that passes a callback API version, and 2.1's default VERSION1 with keyword arguments", () => {
    expect(outcome("paho-mqtt==1.6.1\n", positionalId)).toBe("converted");
    expect(outcome("paho-mqtt<2\n", positionalId)).toBe("converted");
    expect(outcome("paho-mqtt\n", "import paho.mqtt.client as mqtt\nclient = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)\n")).toBe("converted");
    expect(outcome("paho-mqtt\n", keywordId)).toBe("converted");
    expect(outcome("paho-mqtt==2.1.0\n", "from paho.mqtt.client import Client\nc = Client()\n")).toBe("converted");
  });
});

describe("requirement files copied into a directory the image already has", () => {
  it("reads the pins of `COPY requirements.txt /tmp` then `pip install -r /tmp/requirements.txt`", () => {
    const text = 'FROM python:3.13-slim\nCOPY requirements.txt /tmp\nRUN pip install -r /tmp/requirements.txt\nWORKDIR /srv\nCOPY . .\nCMD ["gunicorn", "shop.wsgi"]\n';
    expect(exitOutcome(text, { context: memoryContext({ "requirements.txt": "Django==3.2.25\ngunicorn\n", "manage.py": "" }), explicitContext: true })).toBe("2");
  });
});

describe("an image with no start command whose compose runs the mounted checkout and writes into it", () => {
  const dockerfile = "FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n";
  const runtimeUser = (command: string) => {
    const compose = `services:\n  app:\n    build: .\n    command: ${command}\n    volumes:\n      - .:/app\n`;
    const out = convert(dockerfile, { context: memoryContext({ "requirements.txt": "celery==5.4.0\nalembic==1.14.0\n", "app/tasks.py": "", "docker-compose.yml": compose }) }).dockerfile;
    return /^USER (\S+)/m.exec(out.slice(out.lastIndexOf("FROM ")))?.[1] ?? "root";
  };

  it("keeps root where compose runs alembic revision, celery beat or makemigrations there", () => {
    expect(runtimeUser("bash -c \"alembic revision --autogenerate -m init && alembic upgrade head && uvicorn app.main:app\"")).toBe("root");
    expect(runtimeUser("celery -A app.tasks beat --loglevel=info")).toBe("root");
    expect(runtimeUser("python manage.py makemigrations && python manage.py migrate")).toBe("root");
  });

  it("drops root where the program writes nothing there", () => {
    expect(runtimeUser("celery -A app.tasks worker --loglevel=info")).not.toBe("root");
    expect(runtimeUser("celery -A app.tasks beat -s /tmp/celerybeat-schedule")).not.toBe("root");
  });
});

describe("psycopg2 before 2.9.10 on Python 3.13 or later", () => {
  const outcome = (from: string, requirements: string) =>
    exitOutcome(`FROM ${from}\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["python", "bot.py"]\n`, { context: memoryContext({ "requirements.txt": requirements, "bot.py": "import psycopg2\n" }), explicitContext: true });

  it("is rejected there, pinned or held below 2.9.10, the binary package too", () => {
    expect(outcome("python:3.13-slim", "psycopg2-binary==2.9.9\n")).toBe("2");
    expect(outcome("python:3", "psycopg2==2.8.6\n")).toBe("2");
    expect(outcome("python:3.14", "psycopg2<2.9.10\n")).toBe("2");
  });

  it("converts 2.9.10 and later, unpinned, or on Python 3.12", () => {
    expect(outcome("python:3.13-slim", "psycopg2-binary==2.9.10\n")).toBe("converted");
    expect(outcome("python:3.13-slim", "psycopg2-binary\n")).toBe("converted");
    expect(outcome("python:3.12-slim", "psycopg2-binary==2.9.9\n")).toBe("converted");
  });
});

describe("a venv on a third-party base", () => {
  const files = memoryContext({ "requirements.txt": "flask==3.0.3\n", "app.py": "import torch\n" });
  const dockerfile = (extra: string) => `FROM someone/torch-base:2.3\n${extra}WORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]\n`;

  it("sees the base's own packages (--system-site-packages)", () => {
    expect(convert(dockerfile(""), { context: files }).dockerfile).toContain("python3 -m venv --system-site-packages /opt/venv");
  });

  it("stands alone when the build installs distribution Python packages pip would then skip", () => {
    const text = convert(dockerfile("RUN apt-get update && apt-get install -y python3-yaml python3-dev\n"), { context: files }).dockerfile;
    expect(text).not.toContain("--system-site-packages");
  });
});

describe("a logging configuration that writes into a relative directory", () => {
  const image = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "main.py"]\n';
  const config = "version: 1\nhandlers:\n  file:\n    class: logging.FileHandler\n    filename: logs/app.log\nroot:\n  handlers: [file]\n";
  const main = 'import logging.config\nimport yaml\n\nlogging.config.dictConfig(yaml.safe_load(open("logging.yaml")))\n';
  const outcome = (files: Record<string, string>) => exitOutcome(image, { context: memoryContext({ "requirements.txt": "PyYAML==6.0.2\n", "logging.yaml": config, "main.py": main, ...files }), explicitContext: true });

  it("is rejected when nothing makes that directory in the image", () => {
    expect(outcome({})).toBe("2");
  });

  it("converts when the checkout has the directory, the code makes it, or the configuration is not the one loaded", () => {
    expect(outcome({ "logs/.gitkeep": "" })).toBe("converted");
    expect(outcome({ "main.py": `import os\nos.makedirs("logs", exist_ok=True)\n${main}` })).toBe("converted");
    expect(outcome({ "main.py": 'import logging.config\nimport yaml\n\nlogging.config.dictConfig(yaml.safe_load(open("logging.prod.yaml")))\n' })).toBe("converted");
  });
});

describe("a distribution PyPI has for Linux only as source, on a slim or alpine image", () => {
  const image = (from: string, setup = "") => `FROM ${from}\nWORKDIR /app\n${setup}COPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["gunicorn", "shop.wsgi"]\n`;
  const outcome = (text: string, requirements: string) => exitOutcome(text, { context: memoryContext({ "requirements.txt": requirements, "manage.py": "" }), explicitContext: true });

  it("is rejected when no step installs a compiler", () => {
    expect(outcome(image("python:3.12-slim"), "Django==5.1.4\npsycopg2==2.9.10\n")).toBe("2");
    expect(outcome(image("python:3.12-alpine"), "mysqlclient==2.2.6\n")).toBe("2");
    expect(outcome(image("python:3.12-slim"), "uWSGI==2.0.28\n")).toBe("2");
  });

  it("converts with a compiler installed, on a full image, with the binary package, or with a wheel index named", () => {
    expect(outcome(image("python:3.12-slim", "RUN apt-get update && apt-get install -y gcc libpq-dev\n"), "psycopg2==2.9.10\n")).toBe("converted");
    expect(outcome(image("python:3.12"), "psycopg2==2.9.10\n")).toBe("converted");
    expect(outcome(image("python:3.12-slim"), "psycopg2-binary==2.9.10\n")).toBe("converted");
    expect(outcome(image("python:3.12-slim"), "--extra-index-url https://abetlen.github.io/llama-cpp-python/whl/cpu\nllama-cpp-python==0.3.5\n")).toBe("converted");
  });
});

describe("a log file the code opens in a relative directory", () => {
  const image = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["gunicorn", "app:create_app()"]\n';
  const outcome = (code: string, files: Record<string, string> = {}) => exitOutcome(image, { context: memoryContext({ "requirements.txt": "flask==3.1.0\ngunicorn==23.0.0\n", "app.py": code, ...files }), explicitContext: true });

  it("is rejected when nothing makes the directory", () => {
    expect(outcome('import logging\n\ndef create_app():\n    logging.basicConfig(filename="logs/chatbot.log", level=logging.DEBUG)\n')).toBe("2");
    expect(outcome('from logging.handlers import RotatingFileHandler\n\nhandler = RotatingFileHandler("var/log/app.log", maxBytes=1000)\n')).toBe("2");
  });

  it("converts when the directory is in the checkout or the file sits in the working directory", () => {
    expect(outcome('import logging\nlogging.basicConfig(filename="logs/chatbot.log")\n', { "logs/.gitkeep": "" })).toBe("converted");
    expect(outcome('import logging\nlogging.basicConfig(filename="chatbot.log")\n')).toBe("converted");
  });
});

describe("gunicorn before 21 on Python 3.12 or later, where pip takes a setuptools without pkg_resources", () => {
  const image = (from: string) => `FROM ${from}\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["gunicorn", "crm.wsgi"]\n`;
  const outcome = (from: string, requirements: string) => exitOutcome(image(from), { context: memoryContext({ "requirements.txt": requirements, "manage.py": "" }), explicitContext: true });

  it("is rejected: setuptools 82 removed pkg_resources, which gunicorn 20 imports at start", () => {
    expect(outcome("python:3.12-slim", "Django==5.1.4\ngunicorn==20.1.0\n")).toBe("2");
    expect(outcome("python:3-slim", "gunicorn==20.0.4\n")).toBe("2");
  });

  it("converts with setuptools held below 82, gunicorn 21 or later, or a Python whose image ships setuptools", () => {
    expect(outcome("python:3.12-slim", "gunicorn==20.1.0\nsetuptools<82\n")).toBe("converted");
    expect(outcome("python:3.12-slim", "gunicorn==23.0.0\n")).toBe("converted");
    expect(outcome("python:3.11-slim", "gunicorn==20.1.0\n")).toBe("converted");
  });
});
