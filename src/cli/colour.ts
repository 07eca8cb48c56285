import { Chalk, type ChalkInstance } from "chalk";

/** Colour only on a TTY; NO_COLOR and --no-color turn it off, FORCE_COLOR turns it on. */
export function colourFor(stream: NodeJS.WriteStream, disabled: boolean): ChalkInstance {
  const env = process.env;
  let level: 0 | 1 | 2 | 3 = stream.isTTY ? 1 : 0;
  if (env["FORCE_COLOR"] !== undefined && env["FORCE_COLOR"] !== "0" && env["FORCE_COLOR"] !== "false") level = 1;
  if (env["FORCE_COLOR"] === "0" || env["FORCE_COLOR"] === "false") level = 0;
  if ((env["NO_COLOR"] !== undefined && env["NO_COLOR"] !== "") || disabled) level = 0;
  return new Chalk({ level });
}
