import { MsbError } from "../errors.js";
import { parseDockerfile } from "../parser/document.js";
import { rejectUnparseable } from "./input.js";

/** msb's own output must parse as BuildKit parses it; a failure is a bug in msb (exit 70), never printed. */
export function assertValidOutput(text: string): void {
  try {
    rejectUnparseable(text, parseDockerfile(text));
  } catch (error) {
    if (!(error instanceof MsbError)) throw error;
    throw new Error(`the converted Dockerfile would not parse (${error.message}); nothing was written`);
  }
}
