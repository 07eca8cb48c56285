import { describe, expect, it } from "vitest";
import { exitOutcome } from "./support/outcome.js";
import { convert, MsbError } from "../src/index.js";
import { memoryContext } from "../src/analysis/context.js";
import { parseImageRef } from "../src/analysis/image-ref.js";
import { dockerignore } from "../src/analysis/dockerignore.js";
import { parseGoFile } from "../src/transforms/go/sources.js";
import { atLeast, goVersion } from "../src/transforms/go/toolchain.js";
import { builderRelease, distrolessBaseFor } from "../src/transforms/go/runtime-image.js";

const server = 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n';
const runtimeOf = (dockerfile: string) => dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));

function converted(dockerfile: string, files: Record<string, string>): string {
  return convert(dockerfile, { context: memoryContext(files) }).dockerfile;
}

describe("Go toolchain versions", () => {
  it("reads the golang tag, then go.mod", () => {
    expect(goVersion(parseImageRef("golang:1.10"), undefined)).toMatchObject({ major: 1, minor: 10 });
    expect(goVersion(parseImageRef("golang:1.21.3-alpine3.18"), undefined)).toMatchObject({ minor: 21 });
    expect(atLeast(goVersion(parseImageRef("golang:1"), undefined), 1, 22)).toBe(true);
    expect(goVersion(parseImageRef("debian:12"), "module x\n\ngo 1.20\n\ntoolchain go1.22.1\n")).toMatchObject({ minor: 22 });
    expect(goVersion(parseImageRef("debian:12"), undefined)).toBeUndefined();
    expect(goVersion(parseImageRef("golang:${GO_VERSION}"), undefined)).toBeUndefined();
  });

  it("adds -trimpath only from Go 1.13 and nothing version-dependent when the version is unknown", () => {
    const files = { "go.mod": "module example.com/svc\n", "main.go": server };
    const old = converted("FROM golang:1.12\nWORKDIR /src\nCOPY . .\nRUN go build -o /svc .\nCMD [\"/svc\"]\n", files);
    expect(old).not.toContain("-trimpath");
    const unknown = converted("ARG GO\nFROM golang:${GO}\nWORKDIR /src\nCOPY . .\nRUN go build -o /svc .\nCMD [\"/svc\"]\n", { "main.go": server });
    expect(unknown).not.toContain("-trimpath");
    expect(unknown).not.toContain("go mod download");
    const recent = converted("FROM golang:1.13\nWORKDIR /src\nCOPY . .\nRUN go build -o /svc .\nCMD [\"/svc\"]\n", files);
    expect(recent).toContain("go build -trimpath");
  });

  it("does not pre-fetch modules in GOPATH mode (Go 1.12 inside GOPATH ignores go.mod)", () => {
    const out = converted("FROM golang:1.12\nWORKDIR /go/src/app\nCOPY . .\nRUN go install ./...\nCMD [\"app\"]\n", { "go.mod": "module example.com/svc\n", "main.go": server });
    expect(out).not.toContain("go mod download");
    expect(runtimeOf(out)).toContain("COPY --from=build /go/bin/app /go/bin/app");
  });
});

describe("Go binary names", () => {
  it("names a module build after the last element of the import path, skipping a major version", () => {
    const out = converted("FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build ./cmd/api\nCMD [\"./api\"]\n", { "go.mod": "module github.com/acme/shop/v3\n", "cmd/api/main.go": server });
    expect(runtimeOf(out)).toContain("COPY --from=build /src/api /src/api");
    const root = converted("FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go install .\nCMD [\"shop\"]\n", { "go.mod": "module github.com/acme/shop/v3\n", "main.go": server });
    expect(runtimeOf(root)).toContain("COPY --from=build /go/bin/shop /go/bin/shop");
  });

  it("installs every main package of ./... and copies them all", () => {
    const files = { "go.mod": "module example.com/suite\n", "cmd/api/main.go": server, "cmd/worker/main.go": server, "internal/db/db.go": "package db\n" };
    const out = runtimeOf(converted("FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go install ./...\nCMD [\"api\"]\n", files));
    expect(out).toContain("COPY --from=build /go/bin/api /go/bin/api");
    expect(out).toContain("COPY --from=build /go/bin/worker /go/bin/worker");
    expect(out).not.toContain("/go/bin/db");
    expect(out).toContain("ENV PATH=/go/bin:");
  });

  it("writes into an existing directory named by -o", () => {
    const out = converted("FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /usr/local/bin ./cmd/web\nCMD [\"web\"]\n", { "go.mod": "module example.com/x\n", "cmd/web/main.go": server });
    expect(runtimeOf(out)).toContain("COPY --from=build /usr/local/bin/web /usr/local/bin/web");
  });

  it("treats go install module@version as a tool, copied only when the runtime uses it", () => {
    const files = { "go.mod": "module example.com/x\n", "main.go": server };
    const out = converted("FROM golang:1.22\nRUN go install github.com/pressly/goose/v3/cmd/goose@v3.20.0\nWORKDIR /src\nCOPY . .\nRUN go build -o /x .\nCMD [\"/x\"]\n", files);
    expect(out).not.toContain("/go/bin/goose /go/bin/goose");
  });
});

describe("cgo from the sources", () => {
  const dockerfile = "FROM golang:1.21-bullseye\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD [\"/app\"]\n";
  it("keeps cgo and a glibc runtime of the builder's Debian release when a built package imports C", () => {
    const out = converted(dockerfile, { "go.mod": "module example.com/x\n", "main.go": 'package main\n\n// #include <stdio.h>\nimport "C"\n\nfunc main() {}\n' });
    expect(out).not.toContain("CGO_ENABLED=0");
    expect(out).toContain("FROM gcr.io/distroless/base-debian11:nonroot AS runtime");
  });

  it("ignores import C in files a linux build does not compile", () => {
    const out = converted(dockerfile, {
      "go.mod": "module example.com/x\n",
      "main.go": server,
      "main_windows.go": 'package main\n\nimport "C"\n',
      "other.go": '//go:build darwin || ignore\n\npackage main\n\nimport "C"\n',
      "tools/gen/main.go": 'package main\n\nimport "C"\n\nfunc main() {}\n',
    });
    expect(out).toContain("ENV CGO_ENABLED=0");
    expect(out).toContain("static-debian13");
  });

  it("maps builder releases to glibc runtimes", () => {
    expect(distrolessBaseFor(builderRelease(parseImageRef("golang:1.21"), goVersion(parseImageRef("golang:1.21"), undefined)))).toBe("gcr.io/distroless/base-debian12:nonroot");
    expect(distrolessBaseFor(builderRelease(parseImageRef("golang:1.17"), goVersion(parseImageRef("golang:1.17"), undefined)))).toBe("gcr.io/distroless/base-debian11:nonroot");
    expect(distrolessBaseFor(builderRelease(parseImageRef("golang:1.20-buster"), undefined))).toBe("gcr.io/distroless/base-debian10:nonroot");
    expect(builderRelease(parseImageRef("golang:1.21-alpine3.18"), undefined)).toMatchObject({ family: "alpine", release: "3.18" });
  });
});

describe("Go files read at run time", () => {
  it("copies what the code opens relative to the WORKDIR, not what //go:embed carries or .dockerignore drops", () => {
    const main = [
      "package main",
      'import ("embed"; "html/template"; "net/http"; "os")',
      "//go:embed assets",
      "var assets embed.FS",
      'var t = template.Must(template.ParseGlob("./views/*.gohtml"))',
      'func main() { os.ReadFile("secrets/key.pem"); http.Handle("/", http.FileServer(http.Dir("public"))); http.ListenAndServe(":80", nil) }',
    ].join("\n");
    const out = runtimeOf(converted("FROM golang:1.22\nWORKDIR /srv\nCOPY . .\nRUN go build -o /bin/site .\nCMD [\"/bin/site\"]\n", {
      "go.mod": "module site\n", "main.go": main, "views/a.gohtml": "a", "public/i.css": "b", "assets/logo.svg": "c", "secrets/key.pem": "k", ".dockerignore": "secrets\n",
    }));
    expect(out).toContain("COPY --from=build /srv/views /srv/views");
    expect(out).toContain("COPY --from=build /srv/public /srv/public");
    expect(out).not.toContain("assets");
    expect(out).not.toContain("secrets");
  });

  it("moves a WORKDIR under /root and keeps CA certificates on a slim runtime", () => {
    const out = runtimeOf(converted("FROM golang:1.22\nWORKDIR /root/app\nCOPY . .\nRUN go build -o main .\nCMD [\"./main\"]\n", { "go.mod": "module m\n", "main.go": server }));
    expect(out).toContain("WORKDIR /app/app");
    expect(out).toContain("COPY --from=build /root/app/main /app/app/main");
    const slim = runtimeOf(convert("FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o main .\nCMD [\"./main\"]\n", { context: memoryContext({ "go.mod": "module m\n", "main.go": server }), runtime: "slim" }).dockerfile);
    expect(slim).toContain("FROM debian:bookworm-slim");
    expect(slim).toMatch(/apt-get install -y --no-install-recommends ca-certificates tzdata/);
  });
});

describe("Go development images", () => {
  for (const [start, tool] of [['["air"]', "air"], ['["reflex", "-s", "--", "go", "run", "."]', "reflex"], ['["go", "run", "-exec", "sudo", "main.go"]', "go run"]] as const) {
    it(`refuses ${tool}`, () => {
      let error: unknown;
      try {
        convert(`FROM golang:1.22\nWORKDIR /app\nCOPY . .\nCMD ${start}\n`, { context: memoryContext({ "go.mod": "module m\n", "main.go": server }) });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(MsbError);
      expect((error as MsbError).exitCode).toBe(3);
      expect((error as MsbError).message).toContain(tool);
    });
  }

  it("builds what go run would compile when the container starts, with its flags and targets, and starts the binary with the rest", () => {
    const files = { "go.mod": "module example.com/api\n", "main.go": server, "cmd/worker/main.go": server };
    const built = (start: string) => convert(`FROM golang:1.22\nWORKDIR /app\nCOPY . .\n${start}\n`, { context: memoryContext(files) });
    const plain = built('CMD ["go", "run", "main.go"]');
    expect(plain.dockerfile).toContain("RUN go build -trimpath -ldflags=\"-s -w\" -o /usr/local/bin/main main.go");
    expect(plain.dockerfile).toMatch(/CMD \["\/usr\/local\/bin\/main"\]\n$/);
    expect(plain.notes[0]!.message).toBe("line 4: the start command compiles the program with go run each time the container starts; the build stage builds it instead with go build -o /usr/local/bin/main main.go (plus the flags msb gives any go build) and the runtime starts /usr/local/bin/main");
    const flagged = built("ENTRYPOINT go run -tags netgo ./cmd/worker --queue jobs");
    expect(flagged.dockerfile).toMatch(/RUN go build -trimpath -ldflags="-s -w" -tags netgo -o \/usr\/local\/bin\/worker \.\/cmd\/worker\n/);
    expect(flagged.dockerfile).toContain('ENTRYPOINT ["/usr/local/bin/worker", "--queue", "jobs"]');
    expect(exitOutcome('FROM golang:1.22\nWORKDIR /app\nCOPY . .\nCMD go run main.go --port $PORT\n', { context: memoryContext(files) })).toBe("3");
    const mounted = { ...files, "docker-compose.yml": "services:\n  api:\n    build: .\n    volumes:\n      - .:/app\n" };
    expect(exitOutcome('FROM golang:1.22\nWORKDIR /app\nCOPY . .\nCMD ["go", "run", "main.go"]\n', { context: memoryContext(mounted) })).toBe("3");
    const composeGoRun = { ...files, "docker-compose.yml": "services:\n  api:\n    build: .\n    command: go run main.go\n" };
    expect(exitOutcome('FROM golang:1.22\nWORKDIR /app\nCOPY . .\nCMD ["go", "run", "main.go"]\n', { context: memoryContext(composeGoRun) })).toBe("3");
  });

  it("refuses codegangsta/gin only when the image installs it, not an application binary named gin", () => {
    const withGin = (install: string) => `FROM golang:1.22\nWORKDIR /app\nCOPY . .\n${install}\nCMD ["gin", "run", "main.go"]\n`;
    const files = { "go.mod": "module example.com/gin\n", "main.go": server };
    expect(exitOutcome(withGin("RUN go install github.com/codegangsta/gin@latest"), { context: memoryContext(files) })).toBe("3");
    expect(exitOutcome(withGin("RUN go build -o /usr/local/bin/gin ."), { context: memoryContext(files) })).toBe("converted");
  });
});

describe("Go source reading", () => {
  it("evaluates build constraints coarsely for linux", () => {
    expect(parseGoFile("a.go", "//go:build linux && !windows\n\npackage a\n", [])).toBeDefined();
    expect(parseGoFile("a.go", "//go:build integration\n\npackage a\n", [])).toBeUndefined();
    expect(parseGoFile("a.go", "//go:build integration\n\npackage a\n", ["integration"])).toBeDefined();
    expect(parseGoFile("a.go", "// +build darwin freebsd\n\npackage a\n", [])).toBeUndefined();
  });

  it("does not take string literals from comments", () => {
    const file = parseGoFile("a.go", 'package a\n// os.ReadFile("old.txt")\nvar p = "new.txt" /* "gone.txt" */\n', [])!;
    expect(file.literals).toEqual(["new.txt"]);
  });

  it("matches .dockerignore lines as Docker does", () => {
    const ignored = dockerignore("**/*.md\nbuild\n!build/keep.txt\n");
    expect(ignored("docs/a.md")).toBe(true);
    expect(ignored("build/out.bin")).toBe(true);
    expect(ignored("build/keep.txt")).toBe(false);
    expect(ignored("templates/a.html")).toBe(false);
  });
});

describe("COPY sources written from the context root", () => {
  it("(`COPY /*.go ./`, GOPATH mode) convert and finish", () => {
    const context = memoryContext({ "main.go": "package main\nfunc main() {}\n", "static/a.css": "" });
    const result = convert("FROM golang:1.14-alpine\nWORKDIR /go/src/app\nCOPY /static ./static\nCOPY /*.go ./\nRUN go install -v\nCMD [\"app\"]\n", { context });
    expect(result.dockerfile).toContain("COPY --from=build /go/bin/app /go/bin/app");
  }, 5_000);
});

describe("files a Go program reads beside itself", () => {
  it("include a rooted literal joined to the working directory (wd + \"/videos.json\"), not system paths", () => {
    const main = 'package main\n\nimport "os"\n\nfunc main() {\n\twd, _ := os.Getwd()\n\tf, _ := os.Open(wd + "/videos.json")\n\tdefer f.Close()\n\tos.ReadFile("/etc/hosts")\n}\n';
    const context = memoryContext({ "go.mod": "module example.org/tube\n\ngo 1.22\n", "main.go": main, "videos.json": "[]", "etc/hosts": "" });
    const result = convert("FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go build -o main .\nCMD [\"./main\"]\n", { context });
    expect(result.dockerfile).toContain("COPY --from=build /app/videos.json /app/videos.json");
    expect(result.dockerfile).not.toContain("/app/etc");
  });
});

describe("a go.mod the image's Go cannot read", () => {
  const context = (goMod: string) => memoryContext({ "go.mod": goMod, "main.go": "package main\n\nfunc main() {}\n" });
  const dockerfile = (tag: string) => `FROM golang:${tag}\nWORKDIR /app\nCOPY . .\nRUN go build -o /app/server .\nCMD ["/app/server"]\n`;
  it.each([
    ["1.18-alpine", "module a\n\ngo 1.22.3\n"],
    ["1.20.5", "module a\n\ngo 1.21\n\ntoolchain go1.21.4\n"],
    ["1.19.2", "module a\n\ngo 1.21.0\n"],
  ])("is rejected on golang:%s", (tag, goMod) => {
    expect(() => convert(dockerfile(tag), { context: context(goMod) })).toThrow(/cannot be read by golang:/);
  });
  it.each([
    ["1.19", "module a\n\ngo 1.21.0\n"],
    ["1.20.6", "module a\n\ngo 1.21\n\ntoolchain go1.21.4\n"],
    ["1.22", "module a\n\ngo 1.22.3\n"],
    ["1.18", "module a\n\ngo 1.20\n"],
  ])("converts on golang:%s", (tag, goMod) => {
    expect(convert(dockerfile(tag), { context: context(goMod) }).status).toBe("converted");
  });

  it.each([
    ["1.21", "module a\n\ngo 1.22.3\n"],
    ["1.22.1-alpine", "module a\n\ngo 1.22.5\n"],
  ])("is rejected on golang:%s, whose GOTOOLCHAIN=local keeps the older Go", (tag, goMod) => {
    expect(() => convert(dockerfile(tag), { context: context(goMod) })).toThrow(/official golang images set GOTOOLCHAIN=local/);
  });

  it("converts when the Dockerfile lets the go command switch toolchains", () => {
    const switching = dockerfile("1.21").replace(/^(FROM .*)$/m, "$1\nENV GOTOOLCHAIN=auto");
    expect(convert(switching, { context: context("module a\n\ngo 1.22.3\n") }).status).toBe("converted");
  });
});

describe("go mod download and the sums a module build needs", () => {
  const goMod = "module example.com/svc\n\ngo 1.17\n\nrequire github.com/go-chi/chi/v5 v5.0.7\n";
  const main = 'package main\n\nimport (\n\t"net/http"\n\n\t"github.com/go-chi/chi/v5"\n)\n\nfunc main() { http.ListenAndServe(":8080", chi.NewRouter()) }\n';
  const outcome = (tag: string, download: string) => {
    const text = `FROM golang:${tag}\nWORKDIR /src\nCOPY go.mod ./\nRUN ${download}\nCOPY . .\nRUN go build -o /svc .\nCMD ["/svc"]\n`;
    try {
      return convert(text, { context: memoryContext({ "go.mod": goMod, "main.go": main }), explicitContext: true }).status;
    } catch (error) {
      return (error as Error).message.replace(/:.*/s, "");
    }
  };

  it("a bare go mod download records no sums from Go 1.17: the build is rejected", () => {
    expect(outcome("1.17", "go mod download")).toBe("line 6");
    expect(outcome("1.22-alpine", "go mod download -x")).toBe("line 6");
  });

  it("naming modules or all records their sums, as the bare command did before 1.17", () => {
    expect(outcome("1.17", "go mod download all")).toBe("converted");
    expect(outcome("1.20", "go mod download github.com/go-chi/chi/v5")).toBe("converted");
    expect(outcome("1.16", "go mod download")).toBe("converted");
  });
});

describe("go build of a file named relative to a directory no step filled", () => {
  it("rejects main.go built in the image's /go when the sources went to /srv", () => {
    const text = 'FROM golang:1.22\nCOPY main.go /srv/\nRUN go build main.go\nWORKDIR /srv\nCMD ["./main"]\n';
    expect(() => convert(text, { context: memoryContext({ "main.go": server }) })).toThrow(/^line 3: `go build main.go` cannot run: no earlier step puts Go sources in \/go/);
  });
});

describe("a Go image that also installs Python packages", () => {
  it("is refused: two stacks on a base of neither", () => {
    const text = 'FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y golang-go python3-pip\nWORKDIR /app\nRUN pip3 install requests\nCOPY . .\nRUN go build -o main .\nCMD ["./main"]\n';
    expect(() => convert(text, { context: memoryContext({ "go.mod": "module example.com/x\n\ngo 1.18\n", "main.go": server }) })).toThrow(/builds for two stacks on ubuntu:22\.04 \(installs pip dependencies; runs go build\)/);
  });
});

describe("GOPATH-mode go get of default branches that need a newer Go", () => {
  const image = (tag: string, files: Record<string, string> = {}) => exitOutcome(`FROM golang:${tag}\nENV GO111MODULE=${"go.mod" in files ? "on" : "off"}\nRUN go get -d github.com/mattn/go-sqlite3\nWORKDIR /go/src/app\nCOPY . .\nRUN go install .\nCMD ["app"]\n`, { context: memoryContext({ "main.go": server, ...files }) });
  it("rejects them before Go 1.18", () => expect(image("1.15")).toBe("2"));
  it("leaves Go 1.18 and later, and module builds", () => {
    expect(image("1.18")).toBe("converted");
    expect(image("1.15", { "go.mod": "module app\n\ngo 1.15\n" })).toBe("converted");
  });
  it("rejects a package whose dependency's default branch needs Go 1.17 (gorilla/websocket's TLS handshake)", () => {
    const slack = (tag: string) => exitOutcome(`FROM golang:${tag}\nENV GO111MODULE=off\nWORKDIR /go/src/app\nCOPY . .\nRUN go get github.com/nlopes/slack && go install\nCMD ["app"]\n`, { context: memoryContext({ "main.go": server }) });
    expect(slack("1.10")).toBe("2");
    expect(slack("1.17")).toBe("converted");
  });
});

describe("a module build without go.sum", () => {
  const files = { "go.mod": "module example.com/share\n\ngo 1.22\n\nrequire github.com/go-co-op/gocron v1.37.0\n", "main.go": server };
  const build = (run: string) => exitOutcome(`FROM golang:1.22\nWORKDIR /src\nCOPY go.mod *.go ./\nRUN ${run}\nCMD ["./share"]\n`, { context: memoryContext(files), explicitContext: true });
  it("is rejected when nothing writes the sums before go build", () => expect(build("go build -o share")).toBe("2"));
  it("converts when the build's own RUN writes them first (go get, go mod tidy)", () => {
    expect(build("go get -u && go mod tidy && go build -o share")).toBe("converted");
    expect(build("go mod tidy && go build -o share")).toBe("converted");
  });
  it("is rejected when the same RUN writes them only after go build", () => expect(build("go build -o share && go mod tidy")).toBe("2"));
});

describe("a program that needs the Go toolchain at run time", () => {
  const dockerfile = 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD ["/app"]\n';
  const withMain = (main: string) => exitOutcome(dockerfile, { context: memoryContext({ "go.mod": "module example.com/host\n\ngo 1.22\n", "main.go": main }) });

  it("is refused when it loads plugins; when it runs the go tool, the runtime is the builder image", () => {
    expect(withMain('package main\n\nimport "plugin"\n\nfunc main() { plugin.Open("x.so") }\n')).toBe("3");
    const runtimeOf = (main: string) => /FROM (\S+) AS runtime/.exec(convert(dockerfile, { context: memoryContext({ "go.mod": "module example.com/host\n\ngo 1.22\n", "main.go": main }) }).dockerfile)?.[1];
    expect(runtimeOf('package main\n\nimport "os/exec"\n\nfunc main() { exec.CommandContext(nil, "go", "version").Run() }\n')).toBe("golang:1.22");
    expect(runtimeOf('package main\n\nimport "os/exec"\n\nfunc main() { exec.Command("git", "version").Run() }\n')).not.toBe("golang:1.22");
  });
});

describe("runtime OS packages and their Recommends", () => {
  const image = (install: string) => `FROM golang:1.24\nRUN apt-get update && apt-get install -y ${install}libvips-dev\nWORKDIR /src\nCOPY . .\nRUN go build -o app\nCMD ["./app"]\n`;
  const context = memoryContext({ "go.mod": "module example.com/thumbs\n\ngo 1.24\n\nrequire github.com/h2non/bimg v1.1.9\n", "main.go": 'package main\n\nimport _ "github.com/h2non/bimg"\n\nfunc main() {}\n' });
  const runtimeInstall = (text: string) => convert(text, { context }).dockerfile.split(/^FROM /m).at(-1)!.split("\n").find((l) => l.includes("apt-get install"));

  it("takes them where the original's install did: libheif's encoder plugins behind libvips are Recommends no ldd shows", () => {
    expect(runtimeInstall(image(""))).toMatch(/apt-get install -y libvips42 /);
  });

  it("leaves them out where the original did", () => {
    expect(runtimeInstall(image("--no-install-recommends "))).toMatch(/apt-get install -y --no-install-recommends libvips42 /);
  });
});

describe("a RUN that changes directory through a variable", () => {
  it("follows `cd ${SOURCES}` to where COPY put the sources (the shell expands ENV values)", () => {
    const text = "FROM golang:1.11\nENV SOURCES /go/src/github.com/acme/players/\nCOPY . ${SOURCES}\nRUN cd ${SOURCES} && CGO_ENABLED=0 go install\nEXPOSE 3000\nENTRYPOINT players\n";
    const context = memoryContext({ "main.go": 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":3000", nil) }\n' });
    const out = convert(text, { context, explicitContext: true }).dockerfile;
    expect(out).toMatch(/^COPY --from=build \/go\/bin\/players \/go\/bin\/players$/m);
  });

  const gopathCopy = (assign: string) => `FROM golang:1.10\nCOPY . /build\nRUN ${assign} && mkdir -p $GOPATH/src/$PKG && cp -r /build/. $GOPATH/src/$PKG && cd $GOPATH/src/$PKG && go install\nCMD ["pinger"]\n`;
  const context = memoryContext({ "main.go": 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n' });

  it("resolves a shell variable the same RUN assigned, plainly or through export", () => {
    for (const assign of ['PKG="github.com/acme/pinger"', "export PKG=github.com/acme/pinger"]) {
      expect(convert(gopathCopy(assign), { context, explicitContext: true }).dockerfile).toMatch(/^COPY --from=build \/go\/bin\/pinger \/go\/bin\/pinger$/m);
    }
  });

  it("does not guess a value the shell computes", () => {
    expect(() => convert(gopathCopy("PKG=$(cat .import-path)"), { context, explicitContext: true })).toThrow(/cp writes to \$GOPATH\/src\/\$PKG, a path msb cannot resolve/);
  });
});

describe("an application that talks to the Docker daemon through its socket", () => {
  const text = 'FROM golang:1.22-alpine\nWORKDIR /src\nCOPY . .\nRUN go build -o scheduler .\nCMD ["./scheduler"]\n';
  const main = 'package main\n\nimport "github.com/docker/docker/client"\n\nfunc main() { client.NewClientWithOpts(client.FromEnv) }\n';
  const runtimeOf = (files: Record<string, string>) => {
    const result = convert(text, { context: memoryContext({ "go.mod": "module example.com/scheduler\n\ngo 1.22\n", ...files }) });
    return { runtime: result.dockerfile.split(/^FROM /m).at(-1)!, warnings: result.notes.filter((n) => n.level === "warning").map((n) => n.message) };
  };

  it("keeps root when its code imports a Docker Engine client: the host's socket is root:docker 0660", () => {
    const { runtime, warnings } = runtimeOf({ "main.go": main });
    expect(runtime).toMatch(/^gcr\.io\/distroless\/static-debian13 AS runtime$/m);
    expect(runtime).not.toMatch(/^USER /m);
    expect(warnings.some((w) => /main\.go imports a Docker Engine client.*root:docker 0660/.test(w))).toBe(true);
  });

  it("keeps root when compose mounts the socket into the service", () => {
    const compose = "services:\n  cron:\n    build: .\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n";
    const { runtime } = runtimeOf({ "main.go": "package main\n\nfunc main() {}\n", "docker-compose.yml": compose });
    expect(runtime).toMatch(/^gcr\.io\/distroless\/static-debian13 AS runtime$/m);
  });

  it("runs as non-root otherwise", () => {
    expect(runtimeOf({ "main.go": "package main\n\nfunc main() {}\n" }).runtime).toMatch(/^gcr\.io\/distroless\/static-debian13:nonroot AS runtime$/m);
  });
});

describe("directories a Go web app writes uploads into", () => {
  it("are handed to the runtime user: fiber's c.SaveFile into a literal directory, os.Remove of a path built from it", () => {
    const text = 'FROM golang:1.19-alpine\nWORKDIR /src\nCOPY . .\nRUN go build -o server .\nEXPOSE 3000\nCMD ["./server"]\n';
    const main = 'package main\n\nimport (\n\t"fmt"\n\t"os"\n\n\t"github.com/gofiber/fiber/v2"\n)\n\nfunc upload(c *fiber.Ctx) error {\n\tfile, _ := c.FormFile("image")\n\treturn c.SaveFile(file, fmt.Sprintf("./images/%s", file.Filename))\n}\n\nfunc remove(name string) error {\n\tpath := "./images/" + name\n\treturn os.Remove(path)\n}\n\nfunc main() { app := fiber.New(); app.Post("/", upload); app.Listen(":3000") }\n';
    const out = convert(text, { context: memoryContext({ "go.mod": "module example.com/images\n\ngo 1.19\n\nrequire github.com/gofiber/fiber/v2 v2.52.5\n", "go.sum": "github.com/gofiber/fiber/v2 v2.52.5 h1:tWoP1MJQjGEe4GB5TUGOi7P2E0ZMMRx5ZTG4rT+yGMo=\n", "main.go": main, "images/placeholder.png": "" }), explicitContext: true }).dockerfile;
    expect(out).toMatch(/^COPY --from=build --chown=65532:65532 \/src\/images \/src\/images$/m);
  });
});

describe("a program that writes in WORKDIR /", () => {
  const context = memoryContext({
    "go.mod": "module example.com/guestbook\n\ngo 1.22\n",
    "main.go": 'package main\n\nimport "os"\n\nfunc main() { os.WriteFile("signatures.txt", nil, 0o644) }\n',
  });
  const runtimeOf = (cmd: string) => convert(`FROM golang:1.22\nWORKDIR /\nCOPY . .\nRUN go build -o server .\nCMD ${cmd}\n`, { context, explicitContext: true }).dockerfile.split(/^FROM /m).at(-1)!;

  it("works in /app, which its user owns, keeping a binary the start command names by absolute path", () => {
    const runtime = runtimeOf('["/server"]');
    expect(runtime).toMatch(/^WORKDIR \/app$/m);
    expect(runtime).toMatch(/^COPY --from=build \/server \/server$/m);
  });

  it("moves a binary the start command runs relative to the working directory along with it", () => {
    expect(runtimeOf('["./server"]')).toMatch(/^COPY --from=build \/server \/app\/server$/m);
  });

  it("stays in / when the program only reads there", () => {
    const readOnly = memoryContext({ "go.mod": "module example.com/guestbook\n\ngo 1.22\n", "main.go": 'package main\n\nimport "os"\n\nfunc main() { os.ReadFile("greeting.txt") }\n', "greeting.txt": "hi\n" });
    const runtime = convert('FROM golang:1.22\nWORKDIR /\nCOPY . .\nRUN go build -o server .\nCMD ["/server"]\n', { context: readOnly, explicitContext: true }).dockerfile.split(/^FROM /m).at(-1)!;
    expect(runtime).not.toMatch(/^WORKDIR \/app$/m);
    expect(runtime).toMatch(/^COPY --from=build \/greeting.txt \/greeting.txt$/m);
  });
});

describe("files a build step makes where the program opens them", () => {
  const main = 'package main\n\nimport (\n\t"os"\n)\n\nfunc main() {\n\tos.ReadFile("./banner.jpg")\n\tos.ReadFile("fonts/Comic.ttf")\n}\n';
  const runtimeOf = (steps: string) => convert(`FROM golang:1.22-alpine\nWORKDIR /src\nCOPY . .\n${steps}RUN go build -o bot .\nCMD ["./bot"]\n`, { context: memoryContext({ "go.mod": "module example.com/bot\n\ngo 1.22\n", "main.go": main }), explicitContext: true }).dockerfile.split(/^FROM /m).at(-1)!;

  it("copies a download the program opens, and takes a file an unpacked archive may hold when the build has it", () => {
    const runtime = runtimeOf("RUN wget -O banner.jpg https://example.com/b.jpg\nRUN wget -O fonts.zip https://example.com/f.zip && unzip fonts.zip -d fonts\n");
    expect(runtime).toMatch(/^COPY --from=build \/src\/banner\.jpg \/src\/banner\.jpg$/m);
    expect(runtime).toMatch(/^COPY --from=build --chown=65532:65532 \/tmp\/optional-files\/src\/fonts\/ \/src\/fonts\/$/m);
  });

  it("copies nothing of the kind when no build step downloads or unpacks", () => {
    expect(runtimeOf("")).not.toMatch(/banner|Comic/);
  });
});
