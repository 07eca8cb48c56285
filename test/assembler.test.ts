import { describe, expect, it } from "vitest";
import { convert, memoryContext } from "../src/index.js";
import { stagesOf } from "./support/invariants.js";

const nodeContext = (extra: Record<string, string> = {}) =>
  memoryContext({
    "package.json": JSON.stringify({ name: "svc", version: "1.0.0", scripts: { start: "node server.js", test: "node --test" }, dependencies: { express: "^4.19.2" } }),
    "server.js": "require('express')().listen(3000)\n",
    ...extra,
  });

const runtimeOf = (text: string) => stagesOf(text).pop()!;

describe("the runtime stage", () => {
  it("copies the application from the build stage and only the pass marker from the test stage", () => {
    const out = convert("FROM node:18\nWORKDIR /app\nCOPY . .\nRUN npm install\nRUN npm test\nCMD [\"node\", \"server.js\"]\n", { context: nodeContext() }).dockerfile;
    const test = stagesOf(out).find((s) => s.name === "test")!;
    expect(test.lines.at(-1)).toEqual({ keyword: "RUN", text: "touch /tmp/msb-tests-passed" });
    const fromTest = runtimeOf(out).lines.filter((l) => l.from === "test").map((l) => l.text);
    expect(fromTest).toEqual(["/tmp/msb-tests-passed /tmp/msb-tests-passed"]);
  });

  it("has no marker when tests are opt-in", () => {
    const out = convert("FROM node:18\nWORKDIR /app\nCOPY . .\nRUN npm install\nRUN npm test\nCMD [\"node\", \"server.js\"]\n", { context: nodeContext(), tests: "target" }).dockerfile;
    expect(out).not.toContain("msb-tests-passed");
  });

  it("switches to the runtime user before WORKDIR, so the directory is created owned by that user", () => {
    const out = convert("FROM python:3.11\nWORKDIR /srv/data\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n", {
      context: memoryContext({ "requirements.txt": "flask\n", "app.py": "print(1)\n" }),
    }).dockerfile;
    const keywords = runtimeOf(out).lines.map((l) => l.keyword);
    expect(keywords.indexOf("USER")).toBeLessThan(keywords.indexOf("WORKDIR"));
    expect(keywords.lastIndexOf("RUN")).toBeLessThan(keywords.indexOf("USER"));
  });
});

describe("secrets in ENV and ARG", () => {
  const text = "FROM node:20\nARG NPM_TOKEN\nENV PORT=8080 API_KEY=abc\nWORKDIR /app\nCOPY . .\nRUN npm install\nCMD [\"node\", \"server.js\"]\n";

  it("keeps an ENV that looks secret (the app may read it) and says how to leave it out", () => {
    const result = convert(text, { context: nodeContext() });
    expect(runtimeOf(result.dockerfile).lines).toContainEqual({ keyword: "ENV", text: "PORT=8080 API_KEY=abc" });
    expect(result.notes.map((n) => n.message)).toContain("ENV API_KEY looks like a secret; kept in the runtime image as in the original (the app may read it); --drop-secret-env leaves it out");
  });

  it("leaves only the secret pairs out with dropSecretEnv", () => {
    const result = convert(text, { context: nodeContext(), dropSecretEnv: true });
    const runtime = runtimeOf(result.dockerfile);
    expect(runtime.lines).toContainEqual({ keyword: "ENV", text: "PORT=8080" });
    expect(result.dockerfile.split("AS runtime")[1]).not.toContain("API_KEY");
  });

  it("never declares a build-time secret ARG in the runtime stage", () => {
    const out = convert(text, { context: nodeContext() }).dockerfile;
    expect(runtimeOf(out).lines.some((l) => l.keyword === "ARG")).toBe(false);
  });

  it("keeps a secret ARG that an ENV the original image had carries (the ENV would be empty without it)", () => {
    const out = convert("FROM node:20\nARG SENTRY_TOKEN\nENV SENTRY_TOKEN=$SENTRY_TOKEN\nWORKDIR /app\nCOPY . .\nRUN npm install\nCMD [\"node\", \"server.js\"]\n", { context: nodeContext() }).dockerfile;
    const runtime = runtimeOf(out).lines;
    expect(runtime.findIndex((l) => l.keyword === "ARG" && l.text === "SENTRY_TOKEN")).toBeLessThan(runtime.findIndex((l) => l.keyword === "ENV"));
  });
});

describe("the runtime base keeps the build's language version", () => {
  const py = (from: string) =>
    convert(`FROM ${from}\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n`, { context: memoryContext({ "requirements.txt": "flask\n", "app.py": "print(1)\n" }) });

  it.each([
    ["python", "python"],
    ["python:latest", "python:latest"],
    ["python:3", "python:3"],
    ["python@sha256:2f7d8b2a5b7c3e9f0a1d4c6b8e0f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d6f", "python@sha256:2f7d8b2a5b7c3e9f0a1d4c6b8e0f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d6f"],
    ["python:3.11", "python:3.11-slim"],
    ["python:3.11.9-bookworm", "python:3.11.9-slim-bookworm"],
  ])("%s → %s", (from, runtime) => {
    const result = py(from);
    expect(stagesOf(result.dockerfile).pop()!.base).toBe(runtime);
    if (from === runtime) expect(result.notes.some((n) => n.level === "warning" && n.message.includes("does not fix the python version"))).toBe(true);
  });

  it.each([
    ["node:latest", "node:latest"],
    ["node:lts", "node:lts"],
    ["node", "node"],
    ["node:20", "node:20-alpine"],
  ])("%s → %s", (from, runtime) => {
    const lockfile = JSON.stringify({ name: "svc", lockfileVersion: 3, packages: { "": { dependencies: { express: "^4.19.2" } }, "node_modules/express": { version: "4.19.2" } } });
    const out = convert(`FROM ${from}\nWORKDIR /app\nCOPY . .\nRUN npm install\nCMD ["node", "server.js"]\n`, { context: nodeContext({ "package-lock.json": lockfile }) }).dockerfile;
    expect(stagesOf(out).pop()!.base).toBe(runtime);
  });

  it("keeps a glibc runtime when no lockfile says what the install resolves (native code may be among it)", () => {
    const result = convert(`FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm install\nCMD ["node", "server.js"]\n`, { context: nodeContext() });
    expect(stagesOf(result.dockerfile).pop()!.base).toBe("node:20-slim");
    expect(result.notes.some((n) => /without a lockfile/.test(n.message))).toBe(true);
  });
});

describe("files build steps write outside the WORKDIR", () => {
  const nodeRun = (run: string, extra = "") =>
    convert(`FROM node:18\nWORKDIR /app\nCOPY . .\nRUN npm install\nRUN ${run}\n${extra}CMD ["node", "server.js"]\n`, { context: nodeContext() });
  const copiesOf = (text: string) =>
    text.split(/ AS runtime\n/)[1]!.split("\n").filter((l) => l.startsWith("COPY --from=build ")).map((l) => l.slice("COPY --from=build ".length));

  it("copies a moved node_modules and a site copied to /srv", () => {
    const copies = copiesOf(nodeRun("mv node_modules / && mkdir -p /srv && cp -r public /srv/site").dockerfile);
    expect(copies).toContain("/node_modules /node_modules");
    expect(copies).toContain("/srv/site /srv/site");
  });

  it("hands directories made with mkdir -p to the runtime user, from their topmost new directory", () => {
    expect(copiesOf(nodeRun("mkdir -p /data/db /var/log/svc").dockerfile)).toEqual(["--chown=node:node /data /data", "--chown=node:node /var/log/svc /var/log/svc", "--chown=node:node /app /app"]);
  });

  it("leaves out scratch places, files removed later and what the WORKDIR copy has", () => {
    const copies = copiesOf(nodeRun("curl -o /tmp/x.tgz https://example.com/x.tgz && tar -C /opt/tool -xzf /tmp/x.tgz && rm -rf /opt/tool && mkdir -p logs && echo ok > /app/ready").dockerfile);
    expect(copies).toEqual(["--chown=node:node /app /app"]);
  });

  it("puts a file downloaded into a system directory at its own path", () => {
    expect(copiesOf(nodeRun("wget -O /usr/local/bin/wait-for https://example.com/wait-for && chmod +x /usr/local/bin/wait-for").dockerfile)).toContain("/usr/local/bin/wait-for /usr/local/bin/wait-for");
    expect(copiesOf(nodeRun("cp scripts/entry.sh /usr/local/bin").dockerfile)).toContain("/usr/local/bin/entry.sh /usr/local/bin/entry.sh");
  });

  it("does not copy what only the test stage writes", () => {
    const out = convert(`FROM node:18\nWORKDIR /app\nCOPY . .\nRUN npm install\nRUN npm test > /reports/junit.xml\nCMD ["node", "server.js"]\n`, { context: nodeContext() }).dockerfile;
    expect(out).not.toContain("COPY --from=build /reports");
  });

  it("refuses (exit 3) a move to a path it cannot resolve, naming it", () => {
    expect(() => nodeRun("mv dist $TARGET/")).toThrowError(/line 5: mv writes to \$TARGET\/, a path msb cannot resolve/);
    try {
      nodeRun("mv dist $TARGET/");
    } catch (error) {
      expect((error as { exitCode: number }).exitCode).toBe(3);
    }
  });
});

describe("an application copied into / without a WORKDIR", () => {
  const context = () => memoryContext({ "package.json": JSON.stringify({ name: "s", version: "1.0.0", dependencies: {} }), "server.js": "1\n" });

  it("moves under /app and says so", () => {
    const result = convert("FROM node:18\nCOPY . .\nRUN npm install\nCMD [\"node\", \"server.js\"]\n", { context: context() });
    expect(stagesOf(result.dockerfile)[0]!.lines[0]).toEqual({ keyword: "WORKDIR", text: "/app" });
    expect(result.dockerfile).toContain("COPY --from=build --chown=node:node /app /app");
    expect(result.notes[0]!.message).toMatch(/^no WORKDIR: the original copies the application into \/; msb moves it to \/app/);
  });

  it("moves a path that names a copied file under / with the application (CMD node /server.js)", () => {
    const result = convert("FROM node:18\nCOPY . .\nRUN npm install\nCMD [\"node\", \"/server.js\"]\n", { context: context() });
    expect(result.dockerfile).toContain('CMD ["node", "/app/server.js"]');
    expect(result.notes.some((n) => n.message.includes("/server.js becomes /app/server.js"))).toBe(true);
  });

  it("is refused (exit 3) when a path names a copied entry that shares a system directory's name (bin/ copied into /bin)", () => {
    const files = { "package.json": '{"name":"x","version":"1.0.0"}', "bin/start.sh": "#!/bin/sh\nexec node server.js\n", "server.js": "" };
    expect(() => convert('FROM node:18\nCOPY . .\nRUN npm install\nCMD ["/bin/start.sh"]\n', { context: memoryContext(files) })).toThrowError(/line 4: refers to \/bin/);
  });
});

describe("packages from an apt source the original adds", () => {
  it("carries the build's package sources and keys into the runtime before its install", () => {
    const dockerfile = "FROM python:3.12-slim\nWORKDIR /code\nRUN apt-get update && apt-get install -y curl && curl -fsSL https://deb.nodesource.com/setup_20.x | bash - && apt-get install -y nodejs\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD [\"gunicorn\", \"app:app\"]\n";
    const result = convert(dockerfile, { context: memoryContext({ "requirements.txt": "gunicorn==22.0.0\n", "app.py": "app = None\n" }) });
    const runtime = result.dockerfile.slice(result.dockerfile.indexOf("AS runtime"));
    expect(result.dockerfile.slice(0, result.dockerfile.indexOf("AS runtime"))).toMatch(/cp -a --parents "\$p" \/tmp\/apt-sources\//);
    expect(runtime).toMatch(/COPY --from=build \/tmp\/apt-sources\/ \/tmp\/apt-sources\/\nRUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && cp -a \/tmp\/apt-sources\/. \/ && rm -rf \/tmp\/apt-sources && apt-get update && apt-get install -y nodejs/);
    expect(result.notes.some((n) => /line 3 adds a package source of its own: its source lists and keys are carried into the runtime/.test(n.message))).toBe(true);
    expect(result.notes.some((n) => n.level === "warning" && /package source/.test(n.message))).toBe(false);
  });

  it("does not take a tool's own installer piped to sh (uv's) for a package source", () => {
    const dockerfile = "FROM python:3.11-slim\nWORKDIR /app\nRUN apt-get update && apt-get install -y curl ffmpeg\nRUN curl -LsSf https://astral.sh/uv/install.sh | sh\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD [\"python\", \"bot.py\"]\n";
    const result = convert(dockerfile, { context: memoryContext({ "requirements.txt": "yt-dlp\n", "bot.py": "import subprocess\nsubprocess.run(['ffmpeg', '-version'])\n" }) });
    expect(result.notes.filter((n) => /package source/.test(n.message))).toEqual([]);
    expect(result.dockerfile).toMatch(/ffmpeg/);
  });
});

describe("ports below 1024 under a non-root runtime", () => {
  const warningsOf = (dockerfile: string) => convert(dockerfile, { context: memoryContext({ "requirements.txt": "flask\n", "app.py": "" }) }).notes.filter((n) => n.level === "warning").map((n) => n.message);

  it("are warned about when the root original exposed one, as a port the program may listen on", () => {
    expect(warningsOf("FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nEXPOSE 80/tcp 8080\nCMD [\"python\", \"app.py\"]\n").filter((w) => /below 1024/.test(w))).toEqual([
      "the original exposes port 80, below 1024: if the program listens there, the non-root runtime does too, as the root original did: Docker 20.10+ allows that, a runtime that keeps net.ipv4.ip_unprivileged_port_start at 1024 (Podman, Kubernetes and Amazon ECS by default) needs that sysctl set to 0 for the container, or the app on a port of 1024 or more (adding NET_BIND_SERVICE does not reach a non-root user's process)",
    ]);
  });

  it("are warned about when the start command names one: uvicorn --port, gunicorn -b, Django's runserver", () => {
    const low = (cmd: string) => warningsOf(`FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n${cmd}\n`).filter((w) => /below 1024/.test(w)).map((w) => /port (\d+)/.exec(w)?.[1]);
    expect(low('CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "80"]')).toEqual(["80"]);
    expect(low("CMD gunicorn -b 0.0.0.0:443 app:app")).toEqual(["443"]);
    expect(low('CMD ["gunicorn", "--bind=:80", "app:app"]')).toEqual(["80"]);
    expect(low('CMD ["python", "manage.py", "runserver", "0.0.0.0:80"]')).toEqual(["80"]);
    expect(low('CMD ["streamlit", "run", "app.py", "--server.port=80"]')).toEqual(["80"]);
    expect(low('CMD ["uvicorn", "main:app", "--port", "8000"]')).toEqual([]);
    expect(low('CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]')).toEqual([]);
  });

  it("are warned about when ENV or compose sets PORT to one, naming compose's host network", () => {
    const files = { "requirements.txt": "flask\n", "app.py": "", "docker-compose.yml": "services:\n  api:\n    build: .\n    network_mode: host\n    environment:\n      - PORT=80\n  cache:\n    image: redis:7\n    environment:\n      PORT: 81\n" };
    const warnings = convert("FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n", { context: memoryContext(files) }).notes.filter((n) => n.level === "warning" && /below 1024/.test(n.message)).map((n) => n.message);
    expect(warnings).toEqual([
      "the non-root runtime listens on port 80 (below 1024: PORT=80 in docker-compose.yml line 6), as the root original did: Docker 20.10+ allows that, a runtime that keeps net.ipv4.ip_unprivileged_port_start at 1024 (Podman, Kubernetes and Amazon ECS by default, and docker-compose.yml's network_mode: host, which takes the host's limit and cannot change it per container) needs that sysctl set to 0 for the container, or the app on a port of 1024 or more (adding NET_BIND_SERVICE does not reach a non-root user's process)",
    ]);
    expect(warningsOf("FROM python:3.12\nWORKDIR /app\nENV PORT=443\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n").filter((w) => /below 1024/.test(w)).map((w) => /port (\d+)/.exec(w)?.[1])).toEqual(["443"]);
  });

  it("are not, when the original already ran as a non-root user or exposed only high ports", () => {
    expect(warningsOf("FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nUSER nobody\nEXPOSE 80\nCMD [\"python\", \"app.py\"]\n").filter((w) => /below 1024/.test(w))).toEqual([]);
    expect(warningsOf("FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nEXPOSE 8080\nCMD [\"python\", \"app.py\"]\n").filter((w) => /below 1024/.test(w))).toEqual([]);
  });
});

describe("a static server that took its port from $PORT", () => {
  const pkg = JSON.stringify({ name: "site", scripts: { build: "react-scripts build" }, dependencies: { react: "^18.2.0", "react-scripts": "5.0.1" } });
  const warningsOf = (cmd: string) => convert(`FROM node:18-alpine\nWORKDIR /app\nCOPY . .\nRUN yarn install && yarn build\n${cmd}\n`, { context: memoryContext({ "package.json": pkg, "yarn.lock": "", "src/index.js": "" }) }).notes.filter((n) => n.level === "warning" && /\$PORT/.test(n.message)).map((n) => n.message);

  it("is warned about: nginx listens on one port only", () => {
    expect(warningsOf('CMD ["npx", "serve", "-s", "build"]')).toEqual(["the original server listens on $PORT when it is set (Cloud Run and Heroku set it), else on 3000; nginx listens on 3000 only: give the platform that port"]);
  });

  it("is not, when a flag fixed the port", () => {
    expect(warningsOf('CMD ["npx", "serve", "-s", "build", "-l", "3000"]')).toEqual([]);
  });
});

describe("a project's own nginx.conf under the unprivileged nginx user", () => {
  const dockerfile = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nRUN apt-get update && apt-get install -y nginx\nCOPY nginx.conf /etc/nginx/nginx.conf\nEXPOSE 8080\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n";
  const converted = (conf: string) =>
    convert(dockerfile, { context: memoryContext({ "package.json": JSON.stringify({ name: "site", scripts: { build: "vite build" }, devDependencies: { vite: "^5.2.0" } }), "package-lock.json": "{}", "nginx.conf": conf, "index.html": "" }) }).dockerfile;
  const temps = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((t) => `  ${t}_temp_path /tmp/${t};\n`).join("");

  it("gets its pid file moved by the command line and nginx's temp directories when it keeps the defaults", () => {
    const out = converted("events {}\nhttp {\n  server { listen 8080; root /app/dist; }\n}\n");
    expect(out).toContain('CMD ["nginx", "-g", "daemon off; pid /tmp/nginx.pid;"]');
    expect(out).toContain("RUN chown -R 101:101 /var/cache/nginx");
    expect(out).toContain("COPY --from=build /app/dist /app/dist");
    expect(out).not.toMatch(/apt-get install -y nginx/);
  });

  it("keeps a pid directive of its own (nginx refuses a second) and hands that file to the nginx user", () => {
    const out = converted(`pid /run/nginx.pid;\nevents {}\nhttp {\n${temps}  server { listen 8080; root /app/dist; }\n}\n`);
    expect(out).toContain('CMD ["nginx", "-g", "daemon off;"]');
    expect(out).toContain("RUN touch /run/nginx.pid && chown 101:101 /run/nginx.pid");
    expect(out).not.toContain("/var/cache/nginx");
  });

  it("is not taken for a static site when nginx proxies to a server", () => {
    expect(() => converted("events {}\nhttp {\n  server { listen 8080; root /app/dist; location /api { proxy_pass http://127.0.0.1:3000; } }\n}\n")).toThrow(/a daemon that needs root/);
  });
});

describe("an application moved out of / that compose mounts files into", () => {
  const dockerfile = 'FROM python:3.12-slim\nCOPY requirements.txt ./\nRUN pip install -r requirements.txt\nCOPY . .\nENTRYPOINT ["python", "./app.py"]\n';
  const compose = "services:\n  web:\n    build: .\n    volumes:\n      - ./app.py:/app.py\n      - ./data:/data\n";
  const result = convert(dockerfile, { context: memoryContext({ "requirements.txt": "waitress\n", "app.py": "", "docker-compose.yml": compose }), explicitContext: true });
  const warnings = result.notes.filter((n) => n.level === "warning").map((n) => n.message);

  it("says the file mount no longer reaches the moved application, and where it would", () => {
    expect(warnings).toContain("compose bind-mounts ./app.py at /app.py (docker-compose.yml line 5), where the original had the application; it now lives in /app, so mount it at /app/app.py instead");
    expect(warnings.some((w) => /chown -R/.test(w) && /\.\/app\.py at/.test(w))).toBe(false);
  });

  it("links a root-level data directory the application reached by its relative path", () => {
    expect(result.dockerfile).toContain("ln -s /data /app/data");
  });
});

describe("pieces copied into / without a WORKDIR that compose mounts files beside", () => {
  it("stay in /, where the mounted config.yaml is read relatively, instead of moving under /app", () => {
    const dockerfile = 'FROM python:3.12-alpine\nCOPY requirements.txt ./\nRUN pip install -r requirements.txt\nCOPY exporter.py ./\nCMD ["python", "exporter.py"]\n';
    const compose = "services:\n  exporter:\n    build: .\n    volumes:\n      - ./config.yaml:/config.yaml:ro\n";
    const result = convert(dockerfile, { context: memoryContext({ "requirements.txt": "pyyaml\n", "exporter.py": "", "docker-compose.yml": compose }), explicitContext: true });
    expect(result.dockerfile).not.toContain("WORKDIR /app");
    expect(result.dockerfile).toContain("COPY --from=build /exporter.py /exporter.py");
  });
});

describe("files added one by one to / without a WORKDIR, with no whole-context copy", () => {
  it("are copied piece by piece to the same paths, not moved (ADD bot.py / beside ADD requirements.txt /requirements.txt)", () => {
    const dockerfile = 'FROM python:3.8\nADD bot.py /\nADD modules/iex.py modules/iex.py\nADD requirements.txt /requirements.txt\nRUN pip install -r requirements.txt\nCMD ["python3", "-u", "./bot.py"]\n';
    const result = convert(dockerfile, { context: memoryContext({ "bot.py": "", "modules/iex.py": "", "requirements.txt": "requests\n" }), explicitContext: true });
    expect(result.dockerfile).toContain("COPY --from=build /bot.py /bot.py");
    expect(result.dockerfile).not.toContain("WORKDIR /app");
  });
});

describe("pieces copied into / without a WORKDIR, one of them by absolute path (COPY /app /app)", () => {
  it("are copied piece by piece to the same paths instead of being refused", () => {
    const dockerfile = 'FROM python:3.11\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY app.py .\nCOPY /app /app\nCMD ["python", "app.py"]\n';
    const result = convert(dockerfile, { context: memoryContext({ "requirements.txt": "flask\n", "app.py": "", "app/__init__.py": "" }), explicitContext: true });
    expect(result.dockerfile).toContain("COPY --from=build /app.py /app.py");
    expect(result.dockerfile).toContain("COPY --from=build /app /app");
  });
});
