import { describe, expect, it } from "vitest";
import { exitOutcome } from "./support/outcome.js";
import { convert, memoryContext, MsbError } from "../src/index.js";
import { parseImageRef } from "../src/analysis/image-ref.js";
import { referenceProblem } from "../src/validate/image-reference.js";
import { assertValidOutput } from "../src/validate/output.js";
import { copyInstruction } from "../src/transforms/common/copy-instruction.js";
import { archivedDebianRelease, archivedUbuntuRelease } from "../src/validate/archived-release.js";
import { alpineAtLeast } from "../src/validate/alpine-removed-packages.js";
import { processSubstitutionAt } from "../src/validate/process-substitution.js";
import { hasDeb822SourcesOnly } from "../src/validate/missing-sources-list.js";
import { debianReleaseToday } from "../src/validate/debian-missing-packages.js";

const refusal = (text: string, files: Record<string, string> = {}, explicitContext = false) => {
  try {
    convert(text, { context: memoryContext(files), explicitContext });
  } catch (error) {
    if (error instanceof MsbError) return `${error.exitCode}: ${error.message}`;
    throw error;
  }
  return "converted";
};

describe("input BuildKit would reject", () => {
  it("rejects what BuildKit's parser rejects, naming the line", () => {
    expect(refusal("FROM node:18 AS a b\nRUN x\n")).toMatch(/^2: line 1: /);
    expect(refusal("FROM node:18\nRUN npm i\nENV ONLYNAME\nCMD node a.js\n")).toMatch(/^2: line 3: ENV/);
    expect(refusal("FROM node:18\nRUN npm i\nHEALTHCHECK --interval=5 CMD true\nCMD node a.js\n")).toMatch(/^2: line 3: .*duration/);
    expect(refusal("FROM node:18\nCOPY --chown a.js b\nCMD node a.js\n")).toMatch(/^2: line 2: .*chown/);
  });

  it("judges image references by the reference grammar, not variables", () => {
    expect(referenceProblem(parseImageRef("node:18"))).toBeUndefined();
    expect(referenceProblem(parseImageRef("registry.example.com:5000/team/api:1.2-rc"))).toBeUndefined();
    expect(referenceProblem(parseImageRef("${BASE}:18"))).toBeUndefined();
    expect(referenceProblem(parseImageRef(":18"))).toMatch(/no repository/);
    expect(referenceProblem(parseImageRef("Node:18"))).toMatch(/lowercase/);
    expect(referenceProblem(parseImageRef("node@sha256:abc"))).toMatch(/digest/);
  });

  it("accepts values its checks cannot see through", () => {
    const text = "FROM node:18\nARG PORT=3000\nARG SIG=SIGTERM\nWORKDIR /app\nCOPY . .\nRUN npm install\nEXPOSE $PORT\nSTOPSIGNAL $SIG\nCMD [\"node\", \"a.js\"]\n";
    expect(refusal(text, { "package.json": "{}", "a.js": "" })).toBe("converted");
  });
});

describe("COPY sources and the build context", () => {
  const text = "FROM node:18\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm install\nCOPY . .\nCMD [\"node\", \"a.js\"]\n";

  it("is an error when the context holds the Dockerfile's other sources", () => {
    expect(refusal(text, { "package.json": "{}", "a.js": "" })).toBe('2: line 3: COPY source "package-lock.json" is not in the build context; the build would fail');
  });

  it("is an error with an explicit context, a warning when the context may be another directory", () => {
    const monorepo = "FROM node:18\nWORKDIR /app\nCOPY services/api/package.json ./\nRUN npm install\nCMD [\"node\", \"a.js\"]\n";
    expect(refusal(monorepo, { "Dockerfile": "" }, true)).toMatch(/^2: line 3: COPY source "services\/api\/package.json"/);
    const result = convert(monorepo, { context: memoryContext({ "Dockerfile": "" }) });
    expect(result.notes.filter((n) => n.level === "warning").map((n) => n.message)).toContainEqual(expect.stringMatching(/^line 3: COPY source "services\/api\/package.json" is not in the assumed build context/));
  });

  it("lets wildcards match nothing, as BuildKit does", () => {
    const glob = text.replace("package-lock.json", "package-lock.json*");
    expect(refusal(glob, { "package.json": "{}", "a.js": "" })).toBe("converted");
  });
});

describe("msb's own output", () => {
  it("is an internal error, not a user error, when it would not parse", () => {
    expect(() => assertValidOutput("FROM node:18 # runtime\nCMD x\n")).toThrow(/would not parse/);
    expect(() => assertValidOutput("FROM node:18 # runtime\nCMD x\n")).not.toThrow(MsbError);
    expect(() => assertValidOutput("FROM node:18 AS build\nRUN true\nFROM node:18-alpine\nCOPY --from=build /a /a\n")).not.toThrow();
  });

  it("writes paths with white space in JSON form", () => {
    expect(copyInstruction(["--from=build", ""], ["/my app"], "/my app")).toBe('COPY --from=build ["/my app", "/my app"]');
    expect(copyInstruction(["--from=build"], ["/app"], "/app")).toBe("COPY --from=build /app /app");
  });
});

describe("Debian releases gone from deb.debian.org", () => {
  it.each([
    ["python:3.8-slim-buster", "buster"], ["node:14-stretch-slim", "stretch"], ["golang:1.15-buster", "buster"],
    ["debian:9", "stretch"], ["debian:10-slim", "buster"], ["debian:buster-20240612", "buster"], ["debian:8.11", "jessie"],
    ["debian:11", undefined], ["python:3.11-bullseye", undefined], ["python:3.8", undefined], ["registry.example.org/python:3.8-buster", undefined],
    ["golang:1.11", "stretch or buster"], ["golang:1.14.4", "stretch or buster"], ["golang:1.16", undefined], ["golang:1.13-alpine", undefined],
    ["python:3.5", "stretch or buster"], ["python:2.7-slim", "stretch or buster"], ["python:3.6", undefined], ["node:10", "jessie, stretch or buster"], ["node:12", "buster"], ["node:16-slim", "buster"], ["node:gallium", "buster"], ["node:16-bullseye-slim", undefined], ["node:17", undefined], ["node:boron-slim", "jessie, stretch or buster"], ["node:hydrogen", undefined],
  ])("%s: %s", (image, release) => {
    expect(archivedDebianRelease(parseImageRef(image))).toBe(release);
  });

  it("reject an apt-get update unless the Dockerfile points its sources elsewhere first", () => {
    const update = "FROM debian:stretch-slim\nRUN apt-get update && apt-get install -y curl\nCOPY app /app\nCMD [\"/app\"]\n";
    expect(() => convert(update)).toThrow(/^line 2: apt-get update on Debian stretch \(debian:stretch-slim\)/);
    const rewritten = update.replace("RUN apt-get", "RUN sed -i 's/deb.debian.org/archive.debian.org/' /etc/apt/sources.list\nRUN apt-get");
    expect(() => convert(rewritten)).not.toThrow(/deb\.debian\.org no longer serves/);
  });
});

describe("Ubuntu releases gone from archive.ubuntu.com", () => {
  it.each([
    ["ubuntu:17.10", "17.10 (artful)"], ["ubuntu:artful", "artful"], ["ubuntu:eoan-20200608", "eoan"], ["ubuntu:23.10", "23.10 (mantic)"], ["ubuntu:12.04", "12.04 (precise)"],
    ["ubuntu:14.04", undefined], ["ubuntu:16.04", undefined], ["ubuntu:bionic", undefined], ["ubuntu:22.04", undefined], ["ubuntu:24.04", undefined], ["ubuntu:latest", undefined],
    ["ubuntu", undefined], ["registry.example.org/ubuntu:17.10", undefined], ["debian:17.10", undefined],
  ])("%s: %s", (image, release) => {
    expect(archivedUbuntuRelease(parseImageRef(image))).toBe(release);
  });

  it("rejects an apt-get update unless the Dockerfile points its sources at old-releases first", () => {
    const update = "FROM ubuntu:21.10\nRUN apt-get update && apt-get install -y curl\nCOPY app /app\nCMD [\"/app\"]\n";
    expect(() => convert(update)).toThrow(/^line 2: apt-get update on Ubuntu 21\.10 \(impish\)/);
    const rewritten = update.replace("RUN apt-get", "RUN sed -i 's/archive.ubuntu.com/old-releases.ubuntu.com/' /etc/apt/sources.list\nRUN apt-get");
    expect(() => convert(rewritten)).not.toThrow(/no longer serves/);
  });
});

describe("a node start file the build cannot have", () => {
  const dockerfile = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm install\nCMD [\"node\", \"dist/server.js\"]\n";
  const pkg = (scripts: Record<string, string>) => JSON.stringify({ name: "api", version: "1.0.0", scripts, dependencies: { express: "^4.19.2" } });

  it("is rejected when the context lacks it and only installs run", () => {
    expect(refusal(dockerfile, { "package.json": pkg({}), "src/server.ts": "" }, true)).toBe("2: line 5: CMD runs node dist/server.js, which the build context does not have and no build step makes, so the container cannot start");
  });

  it("is accepted when an install hook, a build step or the context may provide it", () => {
    expect(refusal(dockerfile, { "package.json": pkg({ prepare: "tsc" }), "src/server.ts": "" }, true)).toBe("converted");
    expect(refusal(dockerfile.replace("RUN npm install", "RUN npm install && npx tsc"), { "package.json": pkg({}), "src/server.ts": "" }, true)).toBe("converted");
    expect(refusal(dockerfile, { "package.json": pkg({}), "dist/server.js": "" }, true)).toBe("converted");
    expect(refusal(dockerfile, { "package.json": pkg({}), "src/server.ts": "" }, false)).toBe("converted");
  });
});

describe("npm init's placeholder test script", () => {
  it("rejects a build that runs it, and only then", () => {
    const files = { "package.json": JSON.stringify({ name: "a", version: "1.0.0", scripts: { test: 'echo "Error: no test specified" && exit 1' } }), "index.js": "" };
    expect(refusal("FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm test\nCMD [\"node\", \"index.js\"]\n", files)).toMatch(/^2: line 4: runs the test script .*placeholder/);
    expect(refusal("FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"index.js\"]\n", files)).toBe("converted");
  });
});

describe("a runtime image that builds with a Node.js of its own", () => {
  it("is refused naming what it does, not as a runtime image", () => {
    const text = "FROM nginx\nRUN apt-get update && apt-get install -y nodejs npm\nCOPY . /usr/share/nginx/html\nWORKDIR /usr/share/nginx/html\nRUN npm install && npm run build\n";
    expect(refusal(text, { "package.json": "{}" })).toBe("3: builds a Node.js project inside an nginx image (nginx), with a Node.js it installs itself; msb converts builds that start FROM node (build there, then copy the output into nginx)");
    expect(refusal("FROM nginx:alpine\nCOPY site /usr/share/nginx/html\n", { "site/index.html": "" })).toMatch(/^3: detected a nginx \(already a runtime image\)/);
  });
});

describe("an application copied into / and then worked on from a directory of that copy", () => {
  const files = { "package.json": JSON.stringify({ name: "a", version: "1.0.0", dependencies: { express: "^4.19.2" } }), "app/server.js": "", "views/index.ejs": "" };

  it("moves under /app with its later WORKDIR when nothing names / paths", () => {
    const result = convert("FROM node:20\nCOPY . .\nWORKDIR /app\nRUN npm install\nCMD [\"node\", \"server.js\"]\n", { context: memoryContext(files) });
    expect(result.dockerfile).toContain("WORKDIR /app\nCOPY . .\nWORKDIR /app/app\n");
    expect(result.dockerfile).toContain("COPY --from=build /app /app\n");
    expect(result.notes[0]?.message).toMatch(/^the original copies the application into \/ before its WORKDIR \/app; .*\/app becomes \/app\/app/);
  });

  it("is refused when the copy was made under an explicit WORKDIR /", () => {
    expect(refusal("FROM node:20\nWORKDIR /\nCOPY . .\nWORKDIR /app\nRUN npm install\nCMD [\"node\", \"server.js\"]\n", files)).toMatch(/^3: line 3: copies the build context into \/ and then works in \/app/);
  });
});

describe("the lowest Alpine release an image tag stands for", () => {
  it.each([
    ["python:3.7-alpine", 312],
    ["python:alpine", 312],
    ["python:3.11-alpine3.10", 310],
    ["python:2.7-alpine", undefined],
    ["node:12-alpine", 312],
    ["node:13-alpine", undefined],
    ["node:20-alpine3.19", 319],
    ["alpine:3.9", 309],
    ["alpine", 312],
    ["python:3.12-slim", undefined],
    ["registry.example.com/python:3.7-alpine", undefined],
  ])("%s → %s", (image, release) => {
    expect(alpineAtLeast(parseImageRef(image))).toBe(release);
  });
});

describe("bash process substitution under a /bin/sh that lacks it", () => {
  const app = (base: string, run: string, before = "") => `FROM ${base}\n${before}WORKDIR /srv\nCOPY requirements.in ./\nRUN ${run}\nCOPY . .\nCMD ["python", "app.py"]\n`;
  const files = { "requirements.in": "flask\n", "app.py": "" };

  it("rejects it on Debian's dash, naming the line", () => {
    expect(refusal(app("python:3.12-slim", "pip install -r <(grep -v '^#' requirements.in)"), files)).toBe(
      `2: line 4: RUN uses process substitution (<(grep -v '^#' requirements.in)), which python:3.12-slim's /bin/sh (dash) does not have: the build stops with a syntax error; run it with bash (SHELL ["/bin/bash", "-c"]) or write the output to a file first`,
    );
    expect(refusal(app("node:20", "diff <(sort a) <(sort b) || pip install -r requirements.in"), files)).toMatch(/^2: line 4: .*\(<\(sort a\)\).*\(dash\)/);
  });

  it("accepts it where bash or BusyBox ash (which has it) runs the step, or the shell is unknown", () => {
    const run = "pip install -r <(grep -v '^#' requirements.in)";
    expect(refusal(app("python:3.12-slim", run, 'SHELL ["/bin/bash", "-c"]\n'), files)).toBe("converted");
    expect(refusal(app("python:3.12-slim", `bash -c "${run}"`), files)).toBe("converted");
    expect(refusal(app("python:3.12-slim", "pip install -r requirements.in", "RUN ln -sf /bin/bash /bin/sh\n"), files)).toBe("converted");
    expect(refusal(app("registry.example.com/team/python:3.12", run), files)).toBe("converted");
    expect(refusal(app("python:3.12-alpine", run), files)).toBe("converted");
  });

  it("finds only unquoted substitutions, outside arithmetic", () => {
    expect(processSubstitutionAt("cat <(ls)")).toBe(4);
    expect(processSubstitutionAt("tee >(gzip > a.gz) < in")).toBe(4);
    expect(processSubstitutionAt("echo '<(x)' \"<(y)\" \\<(z)")).toBe(-1);
    expect(processSubstitutionAt("echo $(( 1<(2) )) && cat <<(x)")).toBe(-1);
    expect(processSubstitutionAt("test 1 -lt 2 && echo ok > out")).toBe(-1);
  });
});

describe("a start script the kernel cannot execute", () => {
  const dockerfile = (run = "") => `FROM node:20-slim\nWORKDIR /srv\nCOPY package.json ./\nRUN npm install\nCOPY . .\n${run}CMD ["./start.sh"]\n`;
  const files = (script: string) => ({ "package.json": '{"name":"a","version":"1.0.0"}', "server.js": "", "start.sh": script });

  it("rejects a script with no #! line, or one ending in a carriage return", () => {
    expect(refusal(dockerfile(), files("node server.js\n"))).toMatch(/^2: line 6: CMD runs \.\/start\.sh, a script with no #! line/);
    expect(refusal(dockerfile(), files("#!/bin/sh\r\nexec node server.js\r\n"))).toMatch(/^2: line 6: .*carriage return/);
  });

  it("accepts a #! script, and one a build step rewrites", () => {
    expect(refusal(dockerfile(), files("#!/bin/sh\nexec node server.js\n"))).toBe("converted");
    expect(refusal(dockerfile("RUN sed -i '1i #!/bin/sh' start.sh\n"), files("node server.js\n"))).toBe("converted");
  });
});

describe("a WORKDIR continued onto the next instruction", () => {
  const context = memoryContext({ "requirements.txt": "flask==3.0.0\n", "app.py": "print(1)\n" });
  it("is refused, naming the path it made", () => {
    const text = 'FROM python:3.12-slim\nWORKDIR /srv \\\nENV PATH="/srv/.venv/bin:$PATH"\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n';
    expect(() => convert(text, { context })).toThrow(/^line 2: the working directory "\/srv ENV PATH=.*" contains quotes or another instruction/);
  });

  it("a path with a space alone still converts", () => {
    const text = 'FROM python:3.12-slim\nWORKDIR "/my app"\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n';
    expect(convert(text, { context }).dockerfile).toContain('WORKDIR "/my app"');
  });
});

describe("start commands and steps that cannot run", () => {
  const outcome = (dockerfile: string, files: Record<string, string> = {}) =>
    exitOutcome(dockerfile, { context: memoryContext(files), explicitContext: true });
  const python = (start: string) => `FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install flask==3.0.3\n${start}\n`;

  it("rejects a start array in single quotes, not a shell test that starts with [", () => {
    expect(outcome(python("CMD ['python', 'app.py']"), { "app.py": "" })).toBe("2");
    expect(outcome(python('CMD ["python", "app.py",]'), { "app.py": "" })).toBe("2");
    expect(outcome(python('CMD [ -f app.py ] && python app.py'), { "app.py": "" })).toBe("converted");
    expect(outcome(python('CMD ["python", "app.py"]'), { "app.py": "" })).toBe("converted");
  });

  it("refuses a start command that runs a root daemon", () => {
    expect(outcome(python('CMD service cron start && python app.py'), { "app.py": "" })).toBe("3");
    expect(outcome(python('CMD ["sh", "-c", "nginx && python app.py"]'), { "app.py": "" })).toBe("3");
    expect(outcome(python('CMD ["python", "nginx_config.py"]'), { "nginx_config.py": "" })).toBe("converted");
  });

  it("rejects pip -r of a file the copied context lacks, unless a step names it first", () => {
    const df = (extra = "") => `FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n${extra}RUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n`;
    expect(outcome(df(), { "app.py": "" })).toBe("2");
    expect(outcome(df("RUN pip freeze > requirements.txt\n"), { "app.py": "" })).toBe("converted");
    expect(outcome(df(), { "app.py": "", "requirements.txt": "flask==3.0.3\n" })).toBe("converted");
    expect(outcome(`FROM python:3.12-slim\nWORKDIR /app\nCOPY src /app\nCOPY requirements.txt /app\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n`, { "src/app.py": "", "requirements.txt": "flask==3.0.3\n" })).toBe("converted");
  });

  it("rejects a Go package with two func main, counting only files a linux build compiles", () => {
    const df = 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o app .\nCMD ["./app"]\n';
    const main = "package main\n\nfunc main() {}\n";
    expect(outcome(df, { "go.mod": "module example.com/app\n\ngo 1.22\n", "a.go": main, "b.go": main })).toBe("2");
    expect(outcome(df, { "go.mod": "module example.com/app\n\ngo 1.22\n", "a.go": main, "b.go": `//go:build ignore\n\n${main}`, "c_windows.go": main, "a_test.go": main })).toBe("converted");
  });
});

describe("apt-get upgrade without an answer to its prompt", () => {
  const outcome = (run: string) =>
    exitOutcome(`FROM python:3.12\n${run}\nWORKDIR /app\nCOPY . .\nRUN pip install flask==3.0.3\nCMD ["python", "app.py"]\n`, { context: memoryContext({ "app.py": "" }) });

  it("rejects upgrade, dist-upgrade and full-upgrade without -y, and accepts every way of answering yes", () => {
    expect(outcome("RUN apt-get update && apt-get upgrade")).toBe("2");
    expect(outcome("RUN apt-get update && apt-get dist-upgrade --no-install-recommends")).toBe("2");
    expect(outcome("RUN apt update && apt full-upgrade")).toBe("2");
    for (const ok of ["apt-get upgrade -y", "apt-get -qy upgrade", "apt-get -qq upgrade", "apt-get --assume-yes upgrade", "yes | apt-get upgrade", "apt-get install curl"]) {
      expect(outcome(`RUN apt-get update && ${ok}`)).toBe("converted");
    }
    expect(outcome(`RUN echo 'APT::Get::Assume-Yes "true";' > /etc/apt/apt.conf.d/90yes\nRUN apt-get update && apt-get upgrade`)).toBe("converted");
  });
});

describe("npm start without a start script", () => {
  const outcome = (cmd: string, files: Record<string, string>) =>
    exitOutcome(`FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm install\n${cmd}\n`, { context: memoryContext(files), explicitContext: true });
  const pkg = (scripts: Record<string, string>) => JSON.stringify({ name: "x", version: "1.0.0", scripts });

  it("rejects npm start and npm run NAME without the script, not npm's server.js default", () => {
    expect(outcome('CMD ["npm", "start"]', { "package.json": pkg({ build: "x" }), "index.js": "" })).toBe("2");
    expect(outcome('CMD ["npm", "run", "serve"]', { "package.json": pkg({ start: "node index.js" }), "index.js": "" })).toBe("2");
    expect(outcome('CMD ["npm", "start"]', { "package.json": pkg({}), "server.js": "" })).toBe("converted");
    expect(outcome('CMD ["npm", "start"]', { "package.json": pkg({ start: "node index.js" }), "index.js": "" })).toBe("converted");
    expect(outcome('CMD ["yarn", "start"]', { "package.json": pkg({ start: "node index.js" }), "index.js": "" })).toBe("converted");
  });
});

describe("/etc/apt/sources.list on images that have none", () => {
  it("knows which official tags are Debian 12 or later", () => {
    const deb822 = (raw: string) => hasDeb822SourcesOnly(parseImageRef(raw));
    for (const raw of ["python:3.9", "python:3.7-slim", "python", "python:3.12.1", "node:20", "node:18-slim", "node:22.3.0", "golang:1.20", "golang:1.22.5", "debian:12", "debian:stable-slim", "python:3.11-slim-bookworm", "node:16-bookworm"]) expect(deb822(raw), raw).toBe(true);
    for (const raw of ["python:3.6", "python:3.11.3", "python:3.9-bullseye", "python:3.10-alpine", "node:16", "node:19", "node:20.1.0", "golang:1.19", "golang:1.20.3", "debian:11", "ubuntu:24.04", "example.com/python:3.12"]) expect(deb822(raw), raw).toBe(false);
  });

  it("rejects only a step whose status the edit decides", () => {
    const on = (run: string, image = "python:3.12") => exitOutcome(`FROM ${image}\nRUN ${run}\nWORKDIR /app\nCOPY . .\nRUN pip install flask==3.0.3\nCMD ["python", "app.py"]\n`, { context: memoryContext({ "app.py": "" }) });
    expect(on("sed -i 's/deb.debian.org/mirrors.ustc.edu.cn/' /etc/apt/sources.list && apt-get update")).toBe("2");
    expect(on("cp /etc/apt/sources.list /etc/apt/sources.list.bak")).toBe("2");
    expect(on("sed -i 's/deb.debian.org/mirrors.ustc.edu.cn/' /etc/apt/sources.list; apt-get update")).toBe("converted");
    expect(on("sed -i 's/a/b/' /etc/apt/sources.list || true")).toBe("converted");
    expect(on("echo 'deb http://mirrors.ustc.edu.cn/debian bookworm main' > /etc/apt/sources.list && sed -i 's/main/main contrib/' /etc/apt/sources.list")).toBe("converted");
    expect(on("sed -i 's/deb.debian.org/mirrors.ustc.edu.cn/' /etc/apt/sources.list.d/debian.sources")).toBe("converted");
    expect(on("sed -i 's/deb.debian.org/mirrors.ustc.edu.cn/' /etc/apt/sources.list", "python:3.9-bullseye")).toBe("converted");
  });
});

describe("a COPY whose JSON array runs on into more words", () => {
  it("is rejected whatever the context: BuildKit looks for a source named like the array's first word", () => {
    const text = 'FROM node:18-alpine\nWORKDIR /app\nCOPY ["package.json", "./"] \\\n# install\nRUN npm install\nCOPY . .\nCMD ["node", "server.js"]\n';
    expect(exitOutcome(text, { context: memoryContext({}) })).toBe("2");
    expect(exitOutcome(text.replace(" \\\n# install", ""), { context: memoryContext({ "package.json": "{}", "server.js": "" }) })).toBe("converted");
  });
});

describe("a package script's node FILE that no step builds", () => {
  const pkg = (start: string) => JSON.stringify({ name: "s", version: "1.0.0", scripts: { build: "tsc", "start:prod": start }, dependencies: { express: "^4.19.2" } });
  const image = (start: string, build = "") => exitOutcome(`FROM node:20\nWORKDIR /app\nCOPY package.json ./\nRUN npm install\nCOPY . .\n${build}CMD ["npm", "run", "start:prod"]\n`, { context: memoryContext({ "package.json": pkg(start), "src/server.ts": "" }), explicitContext: true });
  it("is rejected through the script", () => expect(image("NODE_ENV=production node dist/server.js")).toBe("2"));
  it("is not when a step builds, or the script is not a single node command", () => {
    expect(image("NODE_ENV=production node dist/server.js", "RUN npm run build\n")).toBe("converted");
    expect(image("npm run build && node dist/server.js")).toBe("converted");
  });
});

describe("a database migration a build step runs", () => {
  const dockerfile = (migrate: string) => `FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nRUN ${migrate}\nCMD ["gunicorn", "site.wsgi"]\n`;
  const compose = "services:\n  web:\n    build: .\n  postgres:\n    image: postgres:16\n";
  const files = (env: string, extra: Record<string, string> = {}) => ({ "requirements.txt": "django\n", "manage.py": "", ".env": env, "docker-compose.yml": compose, ...extra });

  it("rejects it when .env puts the database on a compose service, which a build cannot reach", () => {
    expect(refusal(dockerfile("python manage.py migrate"), files("DATABASE_URL=postgres://app:secret@postgres:5432/app\n"), true)).toMatch(/^2: line 6: `python manage.py migrate` migrates the database while the image builds, but \.env's DATABASE_URL names its host postgres, a service of docker-compose\.yml/);
    expect(refusal(dockerfile("alembic upgrade head"), files("POSTGRES_HOST=postgres\n"), true)).toMatch(/^2: line 6: .*POSTGRES_HOST names its host postgres/);
  });

  it("converts it when the database is reachable or a failure is tolerated", () => {
    expect(refusal(dockerfile("python manage.py migrate"), files("DATABASE_URL=sqlite:///db.sqlite3\n"), true)).toBe("converted");
    expect(refusal(dockerfile("python manage.py migrate || true"), files("DATABASE_URL=postgres://app:secret@postgres:5432/app\n"), true)).toBe("converted");
    expect(refusal(dockerfile("python manage.py migrate"), files("DATABASE_URL=postgres://app:secret@postgres:5432/app\n", { ".dockerignore": ".env\n" }), true)).toBe("converted");
    expect(refusal(dockerfile("python manage.py migrate"), files("DATABASE_URL=postgres://app:secret@db.example.com:5432/app\n"), true)).toBe("converted");
  });
});

describe("manage.py run at build time with settings that require a variable", () => {
  const dockerfile = (extra = "") => `FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n${extra}RUN python manage.py collectstatic --noinput\nCMD ["gunicorn", "shop.wsgi"]\n`;
  const manage = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n';
  const files = (settings: string, extra: Record<string, string> = {}) => ({ "requirements.txt": "django\ndjango-environ\n", "manage.py": manage, "shop/__init__.py": "", "shop/settings.py": settings, ...extra });
  const environSettings = 'import environ\nenv = environ.Env(DEBUG=(bool, False))\nenviron.Env.read_env(".env")\nDEBUG = env("DEBUG")\nSECRET_KEY = env("SECRET_KEY")\n';

  it("rejects it when nothing sets the variable at build time, naming the template env file", () => {
    expect(refusal(dockerfile(), files(environSettings, { "env.example": "SECRET_KEY=\n" }), true)).toMatch(/^2: line 6: `python manage\.py collectstatic --noinput` loads shop\/settings\.py, which reads env\("SECRET_KEY"\) with no default.*\(env\.example suggests/);
    expect(refusal(dockerfile(), files('import os\nSECRET_KEY = os.environ["SECRET_KEY"]\n'), true)).toMatch(/^2: .*os\.environ\["SECRET_KEY"\] with no default/);
  });

  it("converts it when an ENV, an ARG, a default or an env file provides it, or only a function reads it", () => {
    expect(refusal(dockerfile("ENV SECRET_KEY=build-only\n"), files(environSettings), true)).toBe("converted");
    expect(refusal(dockerfile("ARG SECRET_KEY\n"), files(environSettings), true)).toBe("converted");
    expect(refusal(dockerfile(), files(environSettings, { ".env": "SECRET_KEY=x\n" }), true)).toBe("converted");
    expect(refusal(dockerfile(), files(environSettings.replace("DEBUG=(bool, False)", "DEBUG=(bool, False), SECRET_KEY=(str, 'dev')")), true)).toBe("converted");
    expect(refusal(dockerfile(), files('import os\nSECRET_KEY = os.environ.get("SECRET_KEY", "dev")\n\ndef key():\n    return os.environ["SECRET_KEY"]\n'), true)).toBe("converted");
  });
});

describe("apt packages the image's Debian release lacks", () => {
  const image = (from: string, install = "libgl1-mesa-glx") => `FROM ${from}\nRUN apt-get update && apt-get install -y ${install}\nWORKDIR /app\nCOPY . .\nCMD ["python", "main.py"]\n`;

  it("knows the release an official image stands for today, only where it is certain", () => {
    const release = (image: string) => debianReleaseToday(parseImageRef(image));
    expect(["python:3.11-slim", "python:3.13", "python", "python:3-slim", "golang:1.24", "debian:stable-slim", "debian:13", "node:22-trixie", "python:3.9-slim"].map(release)).toEqual(Array(9).fill("trixie"));
    // finished version lines keep the release their last images were built on (3.7 and 3.8 ended before trixie)
    expect(["python:3.11-slim-bookworm", "debian:12", "golang:1.22-bookworm", "python:3.7", "python:3.8-slim"].map(release)).toEqual(Array(5).fill("bookworm"));
    expect(["python:3.11.4-slim", "python:3.7.17", "node:20", "golang:1.22", "python:3.12-alpine", "ubuntu:24.04", "someone/python:3.12"].map(release)).toEqual(Array(7).fill(undefined));
  });

  it("rejects an install apt has no candidate for there, naming what replaces it", () => {
    expect(refusal(image("python:3.11-slim"))).toMatch(/^2: line 2: apt-get install libgl1-mesa-glx: python:3\.11-slim is Debian trixie, which has no installation candidate for it.*libgl1-mesa-glx → libgl1/);
    expect(refusal(image("python:3.11-slim-bookworm", "netcat"))).toMatch(/^2: .*Debian bookworm.*netcat → netcat-openbsd/);
  });

  it("converts where the package exists, a failure is tolerated or the Dockerfile adds apt sources", () => {
    expect(refusal(image("python:3.11-slim-bookworm"))).toBe("converted");
    expect(refusal(image("python:3.11-slim", "libgl1-mesa-glx || true"))).toBe("converted");
    expect(refusal(`FROM python:3.11-slim\nRUN echo "deb http://deb.debian.org/debian bookworm main" > /etc/apt/sources.list.d/bookworm.list\n${image("x").split("\n").slice(1).join("\n")}`)).toBe("converted");
  });

  it("rejects unoconv on trixie, which dropped it", () => {
    expect(refusal(image("python:3.9", "libreoffice unoconv"))).toMatch(/^2: line 2: apt-get install unoconv: python:3\.9 is Debian trixie.*unoconv: none/);
  });

  it("rejects adduser on a trixie slim image unless a step installs it first", () => {
    const withUser = (from: string, create: string) => `FROM ${from}\nRUN ${create}\nWORKDIR /app\nCOPY . .\nCMD ["python", "main.py"]\n`;
    expect(refusal(withUser("python:3.12-slim", "adduser --disabled-password --gecos '' bot"))).toMatch(/^2: line 2: .*adduser: not found/);
    expect(refusal(withUser("python:3.12-slim", "apt-get update && apt-get install -y adduser && adduser --disabled-password --gecos '' bot"))).toBe("converted");
    expect(refusal(withUser("python:3.12-slim-bookworm", "adduser --disabled-password --gecos '' bot"))).toBe("converted");
    expect(refusal(withUser("python:3.12-slim", "useradd --create-home bot"))).toBe("converted");
    // cron depends on adduser; curl without recommends does not
    expect(refusal(withUser("python:3.12-slim", "apt-get update && apt-get install -y --no-install-recommends cron && adduser --disabled-password --gecos '' bot"))).toBe("converted");
    expect(refusal(withUser("python:3.12-slim", "apt-get update && apt-get install -y --no-install-recommends curl && adduser --disabled-password --gecos '' bot"))).toMatch(/^2: .*adduser: not found/);
  });
});
