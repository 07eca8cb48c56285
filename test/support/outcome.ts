import { convert, type ConvertOptions } from "../../src/index.js";
import { MsbError } from "../../src/errors.js";

/** How a conversion ends: "converted", the exit code of msb's error as a string, or "threw" for any other error. */
export function exitOutcome(dockerfile: string, options: ConvertOptions): string {
  try {
    convert(dockerfile, options);
    return "converted";
  } catch (error) {
    return error instanceof MsbError ? `${error.exitCode}` : "threw";
  }
}
