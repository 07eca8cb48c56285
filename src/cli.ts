import { Command, CommanderError, Option } from "commander";
import { MsbError, ExitCode } from "./errors.js";

import { version } from "./version.js";
import { writeErr, writeOut } from "./cli/output.js";

/** The msb command line. Commands load their modules on first use so start-up stays quick. */
export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes("--debug");
  let currentFile = "";
  const program = new Command("msb")
    .description("Turn a single-stage Dockerfile into a production multi-stage build")
    .version(version, "-V, --version")
    .option("--debug", "print stack traces for internal errors")
    .showHelpAfterError("(run msb --help for usage)")
    .exitOverride()
    .configureOutput({ writeErr, writeOut });

  let exitCode = 0;
  const conversionOptions = (command: Command) =>
    command
      .option("--context <dir>", "build context directory (default: the Dockerfile's directory)")
      .addOption(new Option("--tests <mode>", "gate: a plain build runs the tests; target: only --target test does").choices(["gate", "target"]))
      .addOption(new Option("--runtime <kind>", "runtime base preference").choices(["auto", "slim", "alpine", "distroless", "scratch"]))
      .option("--dev", "add a development stage (docker build --target development)")
      .option("--select-by-arg <name>", "choose the final stage with a build argument (implies --dev)")
      .option("--cache", "use BuildKit cache mounts for package manager caches")
      .option("--split-deps", "install dependencies in a deps stage of their own")
      .option("--drop-secret-env", "leave ENV values that look like secrets out of the runtime image")
      .option("--node-env-production", "Node.js: set NODE_ENV=production in the runtime when the original did not");

  conversionOptions(
    program
      .command("convert")
      .description("print the multi-stage version of a Dockerfile")
      .argument("[file]", "Dockerfile to convert, or - for standard input", "Dockerfile"),
  )
    .option("-o, --output <file>", "write the result to a file")
    .option("-w, --write", "rewrite FILE in place (atomically)")
    .option("--diff", "print a unified diff instead of the file")
    .option("--explain", "print each decision to stderr")
    .option("--json", "print { dockerfile, stack, stages, notes } as JSON")
    .option("--no-color", "disable colour")
    .action(async (file: string, flags) => {
      currentFile = file === "-" ? "<stdin>" : file;
      const { runConvert } = await import("./cli/convert-command.js");
      exitCode = await runConvert(file, flags);
    });

  program
    .command("check")
    .description("report which Dockerfiles msb would convert (exit 1 when any)")
    .argument("[paths...]", "files, directories (searched for Dockerfile, *.Dockerfile, Dockerfile.*) or globs", ["."])
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "sarif", "github"]))
    .option("--strict", "also fail on Dockerfiles of unsupported stacks")
    .option("--fix", "convert every convertible file in place (atomically)")
    .option("--config <file>", "configuration file (default: nearest .msbrc.json or package.json \"msb\")")
    .option("--no-config", "ignore configuration files")
    .addOption(new Option("--tests <mode>", "gate or target").choices(["gate", "target"]))
    .addOption(new Option("--runtime <kind>", "runtime base preference").choices(["auto", "slim", "alpine", "distroless", "scratch"]))
    .option("--cache", "use BuildKit cache mounts")
    .option("--drop-secret-env", "leave ENV values that look like secrets out of the runtime image")
    .option("--no-color", "disable colour")
    .action(async (paths: string[], flags) => {
      const { runCheck } = await import("./cli/check-command.js");
      exitCode = runCheck(paths, flags);
    });

  conversionOptions(
    program
      .command("verify")
      .description("build the original and the converted Dockerfile with a container engine and compare them")
      .argument("[file]", "the single-stage Dockerfile", "Dockerfile"),
  )
    .option("--against <file>", "compare with this converted Dockerfile instead of converting")
    .addOption(new Option("--engine <name>", "container engine (default: first of docker, podman, buildah)").choices(["docker", "podman", "buildah"]))
    .option("--engine-arg <arg>", "argument passed to every engine call, e.g. --engine-arg=--root=/tmp/s (repeatable)", (value: string, all: string[] = []) => [...all, value])
    .option("--isolation <mode>", "buildah isolation for build and run", "chroot")
    .option("--network <mode>", "docker/podman network for builds and containers, e.g. host where no bridge exists")
    .option("--engine-path <file>", "the engine's executable, when not the one on PATH")
    .option("--timeout <seconds>", "how long to wait for a started image to answer", "60")
    .option("--json", "print the whole report as JSON")
    .action(async (file: string, flags) => {
      currentFile = file === "-" ? "<stdin>" : file;
      const { runVerify } = await import("./cli/verify-command.js");
      exitCode = await runVerify(file, flags);
    });

  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help") return 0;
      return ExitCode.unusable;
    }
    if (error instanceof MsbError) {
      const subject = error.kind === "usage" ? "" : `${currentFile}: `;
      writeErr(`msb: ${subject}${error.message}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    writeErr(`msb: internal error: ${message}${debug ? "" : " (run with --debug for details)"}\n`);
    if (debug && error instanceof Error && error.stack) writeErr(`${error.stack}\n`);
    return ExitCode.internal;
  }
}
