import { Chalk, type ChalkInstance } from "chalk";
import { isTerminal } from "./output.js";

/** Colour only on a TTY; NO_COLOR and --no-color turn it off, FORCE_COLOR turns it on. */
export function colourFor(fd: 1 | 2, disabled: boolean): ChalkInstance {
  const env = process.env;
  if ((env["NO_COLOR"] !== undefined && env["NO_COLOR"] !== "") || disabled) return new Chalk({ level: 0 });
  const force = env["FORCE_COLOR"];
  if (force !== undefined) return new Chalk({ level: force === "0" || force === "false" ? 0 : 1 });
  return new Chalk({ level: isTerminal(fd) ? 1 : 0 });
}
