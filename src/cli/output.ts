import { fstatSync, statSync, writeSync } from "node:fs";
import { createRequire } from "node:module";

/**
 * Writes straight to a file descriptor. process.stdout and process.stderr are built on first use, and
 * building one loads Node's stream machinery (and net for a pipe): a few milliseconds of every
 * pre-commit run for a handful of lines. A reader that has gone away (`msb check | head -1`) ends the
 * output quietly, as it would for any Unix filter.
 */
function writeTo(fd: 1 | 2, text: string, encoding: BufferEncoding = "utf8"): void {
  const data = Buffer.from(text, encoding);
  let offset = 0;
  while (offset < data.length) {
    try {
      offset += writeSync(fd, data, offset, data.length - offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // a non-blocking pipe that is full: Node's own stream waits for it
      if (code === "EAGAIN") return void (fd === 1 ? process.stdout : process.stderr).write(data.subarray(offset));
      if (code === "EPIPE") return;
      throw error;
    }
  }
}

/** `latin1` writes a Dockerfile read as Latin-1 (not UTF-8) back byte for byte. */
export const writeOut = (text: string, encoding: BufferEncoding = "utf8"): void => writeTo(1, text, encoding);
export const writeErr = (text: string): void => writeTo(2, text);

/**
 * Whether fd is a terminal; node:tty (which loads net) only for a character device other than
 * /dev/null, as a terminal is: output thrown away (a hook run with `> /dev/null`) costs no tty check.
 */
export function isTerminal(fd: 1 | 2): boolean {
  try {
    const device = fstatSync(fd);
    if (!device.isCharacterDevice() || device.rdev === statSync("/dev/null").rdev) return false;
  } catch {
    return false;
  }
  const tty = createRequire(import.meta.url)("node:tty") as typeof import("node:tty");
  return tty.isatty(fd);
}
