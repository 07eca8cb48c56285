import { constants, closeSync, fstatSync, fsyncSync, lstatSync, openSync, readFileSync, readSync, realpathSync, renameSync, statSync, unlinkSync, writeSync, chmodSync } from "node:fs";
import { basename, dirname, join, relative, isAbsolute } from "node:path";
import { MsbError, unusable } from "./errors.js";

/** Dockerfiles larger than this are refused rather than read whole. */
export const maxInputBytes = 5 * 1024 * 1024;

export interface InputFile {
  label: string;
  text: string;
  /** `latin1` for a file that is not UTF-8: each byte one character, so writing it back the same way keeps every byte. */
  encoding: BufferEncoding;
  /** For files: what the file looked like when read, to detect a change before writing. */
  path?: string;
  mtimeMs?: number;
}

export function readInput(path: string): InputFile {
  if (path === "-") return { label: "<stdin>", ...readStdin() };
  const failure = (error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    return unusable(code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "is a directory, not a Dockerfile" : `cannot be read (${code ?? "error"})`);
  };
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw failure(error);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw unusable("is a directory, not a Dockerfile");
    if (!stat.isFile()) throw unusable("is not a regular file");
    if (stat.size > maxInputBytes) throw unusable(`is ${Math.round(stat.size / 1024 / 1024)} MB; msb reads Dockerfiles up to ${maxInputBytes / 1024 / 1024} MB`);
    let buffer: Buffer;
    try {
      buffer = readFileSync(fd);
    } catch (error) {
      throw failure(error);
    }
    return { label: path, ...decode(buffer), path, mtimeMs: stat.mtimeMs };
  } finally {
    closeSync(fd);
  }
}

function readStdin(): { text: string; encoding: BufferEncoding } {
  const chunks: Buffer[] = [];
  const chunk = Buffer.alloc(65536);
  let total = 0;
  for (;;) {
    let n: number;
    try {
      n = readSync(0, chunk, 0, chunk.length, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") continue;
      if (code === "EOF") break;
      throw unusable(`standard input cannot be read (${code ?? "error"})`);
    }
    if (n === 0) break;
    total += n;
    if (total > maxInputBytes) throw unusable(`is larger than ${maxInputBytes / 1024 / 1024} MB`);
    chunks.push(Buffer.from(chunk.subarray(0, n)));
  }
  return decode(Buffer.concat(chunks));
}

function decode(buffer: Buffer): { text: string; encoding: BufferEncoding } {
  if (buffer.includes(0)) throw unusable("is a binary file, not a Dockerfile");
  const text = buffer.toString("utf8");
  // BuildKit reads a file in another encoding (a CP1251 comment): read as Latin-1, every byte is kept and written back unchanged
  if (text.includes("\uFFFD") && !buffer.equals(Buffer.from(text, "utf8"))) return { text: buffer.toString("latin1"), encoding: "latin1" };
  return { text, encoding: "utf8" };
}

/**
 * Replaces `target` with `text` atomically: a temp file in the same directory, fsync, the original's
 * mode, then rename. On any failure the original is left byte-identical and the temp file removed.
 */
export function writeAtomically(target: string, text: string, expected?: { mtimeMs?: number }, encoding: BufferEncoding = "utf8"): void {
  let destination = target;
  try {
    if (lstatSync(target).isSymbolicLink()) {
      destination = realpathSync(target);
      const rel = relative(process.cwd(), destination);
      if (rel.startsWith("..") || isAbsolute(rel)) {
        throw new MsbError("write", `is a symbolic link to ${destination}, outside the current directory; not written`);
      }
    }
  } catch (error) {
    if (error instanceof MsbError) throw error;
  }
  let mode: number | undefined;
  try {
    const stat = statSync(destination);
    mode = stat.mode & 0o7777;
    if (expected?.mtimeMs !== undefined && stat.mtimeMs !== expected.mtimeMs) {
      throw new MsbError("write", "changed on disk since msb read it; not written");
    }
  } catch (error) {
    if (error instanceof MsbError) throw error;
  }
  const temp = join(dirname(destination), `.${basename(destination)}.msb-${process.pid}-${Date.now()}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, "wx", mode ?? 0o644);
    const data = Buffer.from(text, encoding);
    let written = 0;
    while (written < data.length) written += writeSync(fd, data, written, data.length - written);
    fsyncSync(fd);
    if (mode !== undefined && (fstatSync(fd).mode & 0o7777) !== mode) chmodSync(temp, mode);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, destination);
  } catch (error) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        /* already failing */
      }
    }
    try {
      unlinkSync(temp);
    } catch {
      /* the temp file may not exist */
    }
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    const reason = code === "ENOSPC" ? "no space left on the device" : code === "EACCES" || code === "EPERM" || code === "EROFS" ? "the directory is not writable" : code;
    throw new MsbError("write", `could not be written (${reason}); the original is unchanged`);
  }
}
