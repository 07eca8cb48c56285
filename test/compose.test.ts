import { describe, expect, it } from "vitest";
import { composeBindMountDirectories, composeBindMounts, composeCommands, composeDockerSocketMounts, composeNamedVolumeTargets, composeRootOnlyMounts } from "../src/analysis/compose.js";
import { readmeBindMounts } from "../src/analysis/documented-docker-runs.js";
import { memoryContext, withDockerfile } from "../src/index.js";

const compose = [
  "services:",
  "  web:",
  "    build: .",
  "    command: gunicorn -b 0.0.0.0:5000 app:app",
  "    volumes:",
  "      - ./uploads:/app/uploads",
  "  db:",
  "    image: postgres:16",
  "    command: postgres -c max_connections=50",
  "    volumes:",
  "      - type: bind",
  "        source: ./db_data",
  "        target: /var/lib/postgresql/data",
  "  worker:",
  "    image: registry.example.com/shop:latest",
  "    build:",
  "      context: .",
  "    command: celery -A app worker",
  "volumes:",
  "  cache: {}",
].join("\n");

describe("compose files beside the Dockerfile", () => {
  const context = memoryContext({ "docker-compose.yml": compose });

  it("reads mounts and commands of the services built here, not of services running a published image", () => {
    expect(composeBindMounts(context).map((m) => `${m.source}:${m.target}`)).toEqual(["./uploads:/app/uploads"]);
    expect(composeCommands(context).map((c) => c.text)).toEqual(["gunicorn -b 0.0.0.0:5000 app:app", "celery -A app worker"]);
  });
});

describe("a volume list at its key's own indentation, as YAML allows", () => {
  it("is read to its end, and the next key ends it", () => {
    const context = memoryContext({ "docker-compose.yml": "services:\n  web:\n    build: .\n    volumes:\n    - .:/app\n    - ./media:/app/media\n    ports:\n    - \"8080:8080\"" });
    expect(composeBindMounts(context).map((m) => `${m.line} ${m.source}:${m.target}`)).toEqual(["5 .:/app", "6 ./media:/app/media"]);
  });
});

describe("Let's Encrypt's directory mounted into the container", () => {
  it("is found, read-only or not, and not taken for a writable mount", () => {
    const context = memoryContext({ "compose.yaml": "services:\n  web:\n    build: .\n    volumes:\n      - /etc/letsencrypt:/etc/letsencrypt:ro\n" });
    expect(composeRootOnlyMounts(context).map((m) => m.line)).toEqual([5]);
    expect(composeBindMounts(context)).toEqual([]);
  });
});

describe("named volumes compose mounts into the image", () => {
  it("are read in short and long syntax, for the services built here only", () => {
    const context = memoryContext({
      "docker-compose.yml": [
        "services:",
        "  beat:",
        "    build: .",
        "    volumes:",
        "      - beat_data:/code/celery-beat",
        "      - ./src:/code/src",
        "      - type: volume",
        "        source: flower_data",
        "        target: /code/flower",
        "  redis:",
        "    image: redis:7",
        "    volumes:",
        "      - redis_data:/data",
        "volumes:",
        "  beat_data:",
        "  flower_data:",
        "  redis_data:",
      ].join("\n"),
    });
    expect(composeNamedVolumeTargets(context)).toEqual(["/code/celery-beat", "/code/flower"]);
    expect(composeBindMounts(context).map((m) => m.target)).toEqual(["/code/src"]);
  });
});

describe("services that run an image of some user's namespace", () => {
  it("still count as this image: it may be the one the Dockerfile builds and pushes", () => {
    const context = memoryContext({ "docker-compose.yml": "services:\n  backend:\n    image: someone/backend_app:latest\n    volumes:\n      - static:/app/static\n  db:\n    image: docker.io/library/postgres:16\n    volumes:\n      - pg:/var/lib/postgresql/data\n  cache:\n    image: bitnami/redis:7.2\n    volumes:\n      - cache:/bitnami/redis\n" });
    expect(composeNamedVolumeTargets(context)).toEqual(["/app/static"]);
  });
});

describe("services beside the one built from this directory", () => {
  const compose = [
    "services:",
    "  db:",
    "    image: nouchka/sqlite3:latest",
    "    volumes:",
    "      - ./db/:/root/db/",
    "  web:",
    "    build: .",
    "    volumes:",
    "      - static_volume:/usr/src/app/static/",
    "      - ./media:/usr/src/app/media",
    "  nginx:",
    "    build: ./nginx",
    "    volumes:",
    "      - /etc/letsencrypt:/etc/letsencrypt",
    "      - ./logs:/var/log/nginx",
    "volumes:",
    "  static_volume:",
    "",
  ].join("\n");
  const context = memoryContext({ "docker-compose.yml": compose });

  it("are another image's, whether they only name an image or build another directory", () => {
    expect(composeBindMounts(context).map((m) => m.target)).toEqual(["/usr/src/app/media"]);
    expect(composeRootOnlyMounts(context)).toEqual([]);
  });

  it("leave the built service's named volume under /usr/src/app, a common WORKDIR", () => {
    expect(composeNamedVolumeTargets(context)).toEqual(["/usr/src/app/static"]);
  });
});

describe("directories compose bind-mounts for the app to write", () => {
  it("are writable targets that are neither system paths nor files", () => {
    const compose = "services:\n  api:\n    build: .\n    volumes:\n      - ./logs:/var/log/api\n      - ./data:/srv/data/\n      - ./settings.yml:/app/settings\n      - ./conf:/etc/api\n      - ./certs:/app/certs:ro\n      - ./dump.sql:/tmp/dump.sql\n      - /var/run/docker.sock:/var/run/docker.sock\n";
    expect(composeBindMountDirectories(memoryContext({ "docker-compose.yml": compose, "settings.yml": "a: 1\n" }))).toEqual(["/var/log/api", "/srv/data"]);
  });
});

describe("a service that an override file extends", () => {
  it("is judged with its definition in the other file: nginx built from ./nginx stays another image's", () => {
    const base = "services:\n  web:\n    build: .\n  nginx:\n    build: ./nginx\n";
    const prod = "services:\n  nginx:\n    volumes:\n      - ./certbot/www:/var/www/certbot\n      - static:/static\n  web:\n    volumes:\n      - ./logs:/var/log/web\n";
    const context = memoryContext({ "docker-compose.yml": base, "docker-compose.prod.yml": prod });
    expect(composeBindMountDirectories(context)).toEqual(["/var/log/web"]);
    expect(composeNamedVolumeTargets(context)).toEqual([]);
  });
});

describe("a service built from another Dockerfile of the same context", () => {
  const files = {
    "docker-compose.yml": [
      "services:",
      "  app:",
      "    build: .",
      "    volumes:",
      "      - ./uploads:/app/uploads",
      "  db:",
      "    build:",
      "      dockerfile: dockerfile_db",
      "      context: .",
      "    volumes:",
      "      - ./pgdata:/data/postgres",
      "  api:",
      "    build:",
      "      context: ./deploy/..",
      "      dockerfile: Dockerfile",
    ].join("\n"),
  };

  it("is another image's when the converted Dockerfile is known: its mounts are not this image's", () => {
    const context = withDockerfile(memoryContext(files), "Dockerfile");
    expect(composeBindMounts(context).map((m) => m.target)).toEqual(["/app/uploads"]);
  });

  it("is this image's when the Dockerfile it names is the one converted (dockerfile_db)", () => {
    const context = withDockerfile(memoryContext(files), "dockerfile_db");
    expect(composeBindMounts(context).map((m) => m.target)).toEqual(["/app/uploads", "/data/postgres"]);
  });

  it("counts when nothing says which Dockerfile is converted", () => {
    expect(composeBindMounts(memoryContext(files)).map((m) => m.target)).toEqual(["/app/uploads", "/data/postgres"]);
  });
});

describe("services that only name an image, in a file where nothing builds", () => {
  const compose = (image: string) => memoryContext({ "docker-compose.yml": `services:\n  api:\n    image: ${image}\n    volumes:\n      - ./data:/srv/data\n` });

  it("count as this Dockerfile's when the image is a local tag or some user's", () => {
    for (const image of ["rank-api:2.2.0", "someone/backend:latest"]) expect(composeBindMounts(compose(image)).map((m) => m.target), image).toEqual(["/srv/data"]);
  });

  it("are another program's when the image is official, or a vendor's published under its own name", () => {
    for (const image of ["postgres:16", "mockserver/mockserver:5.14.0", "curlimages/curl:7.78.0", "quay.io/minio/minio"]) expect(composeBindMounts(compose(image)), image).toEqual([]);
  });
});

describe("a short-syntax mount whose parts are variables with defaults", () => {
  it("mounts the defaults, each part read apart, and keeps its mode (a read-only one is not a writable mount)", () => {
    const compose = "services:\n  app:\n    build: .\n    volumes:\n      - ${POOL_HOST:-./data/pool}:${POOL_PATH:-/data/pool}:${MOUNT_MODE:-rw}\n      - ${MEDIA_HOST:-./media}:${MEDIA_PATH:-/media}:${MEDIA_MODE:-ro}\n      - \"${WEB_VOLUME:-./public:/app/public}\"\n";
    expect(composeBindMounts(memoryContext({ "docker-compose.yml": compose })).map((m) => `${m.source} ${m.target} ${m.mode}`)).toEqual(["./data/pool /data/pool rw", "./public /app/public "]);
  });
});

describe("a short-syntax mount followed by a comment", () => {
  it("is read without the comment", () => {
    const compose = "services:\n  bot:\n    image: bot:latest\n    volumes:\n      - ~/bot/secrets:/app/secrets # edit only the left side\n";
    expect(composeBindMounts(memoryContext({ "docker-compose.yaml": compose })).map((m) => `${m.source} ${m.target}`)).toEqual(["~/bot/secrets /app/secrets"]);
  });
});

describe("a service whose image is written on the line after `image:`", () => {
  it("runs that image: its Windows host-path mount, drive letter and all, is not this image's", () => {
    const context = memoryContext({
      "docker-compose.yml": [
        "services:",
        "  api:",
        "    build: ./",
        "  postgres:",
        "    volumes:",
        "      - C:/Users/me/volumes/pgdata:/var/lib/postgresql/data",
        "    image:",
        "      postgres:16.2",
      ].join("\n"),
    });
    expect(composeBindMounts(context)).toEqual([]);
    expect(composeNamedVolumeTargets(context)).toEqual([]);
  });

  it("keeps a Windows host path whole when the service is this image's", () => {
    const context = memoryContext({ "docker-compose.yml": "services:\n  api:\n    build: .\n    volumes:\n      - C:\\data\\uploads:/app/uploads\n" });
    expect(composeBindMounts(context).map((m) => `${m.source} -> ${m.target}`)).toEqual(["C:\\data\\uploads -> /app/uploads"]);
  });
});

describe("a vendor's image beside the project's own published one, where nothing builds", () => {
  it("is another program's, on Docker Hub or GitHub's registry: watchtower's socket mount is not this image's", () => {
    for (const watchtower of ["containrrr/watchtower:latest", "ghcr.io/containrrr/watchtower"]) {
      const context = memoryContext({
        "docker-compose.yml": `services:\n  bridge:\n    image: ghcr.io/someone/bridge\n    env_file:\n      - .env\n  watchtower:\n    image: ${watchtower}\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n`,
      });
      expect(composeDockerSocketMounts(context)).toEqual([]);
    }
  });
});

describe("a service merged from another's anchor (`<<: *redis`)", () => {
  it("runs the anchored service's image: its volume is not this image's", () => {
    const context = memoryContext({
      "docker-compose.yml": "services:\n  server:\n    build: .\n  redis: &redis\n    image: redis\n    volumes:\n      - redis_volume:/data\n  redis_dev:\n    <<: *redis\n    volumes:\n      - redis_test_volume:/data\n",
    });
    expect(composeNamedVolumeTargets(context)).toEqual([]);
  });
});

describe("bind mounts a README's docker run shows", () => {
  it("are this image's, not those of a database's run beside it, each once", () => {
    const context = memoryContext({
      "readme.MD": "Run it:\n\n```\ndocker run -d -v /srv/proxy:/var/proxy --restart unless-stopped proxy\ndocker run -d -v /srv/proxy:/var/proxy proxy\ndocker run -d -v /srv/pg:/var/lib/postgresql/data postgres:16\n```\n",
    });
    expect(readmeBindMounts(context).map((m) => `${m.file}:${m.line} ${m.source} -> ${m.target}`)).toEqual(["readme.MD:4 /srv/proxy -> /var/proxy"]);
  });
});
