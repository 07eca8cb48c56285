import { describe, expect, it } from "vitest";
import { composeBindMounts, composeCommands } from "../src/analysis/compose.js";
import { memoryContext } from "../src/index.js";

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
