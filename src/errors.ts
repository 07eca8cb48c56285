/** Exit codes are part of the CLI contract; the README documents each one. */
export const ExitCode = {
  ok: 0,
  wouldChange: 1,
  unusable: 2,
  unsupported: 3,
  writeFailed: 4,
  internal: 70,
} as const;

export type ErrorKind = "usage" | "unusable" | "unsupported" | "write";

const exitCodeByKind: Record<ErrorKind, number> = {
  usage: ExitCode.unusable,
  unusable: ExitCode.unusable,
  unsupported: ExitCode.unsupported,
  write: ExitCode.writeFailed,
};

/** An expected, user-facing failure: one line, no stack trace. */
export class MsbError extends Error {
  readonly kind: ErrorKind;
  readonly exitCode: number;
  constructor(kind: ErrorKind, message: string) {
    // an expected outcome, not a bug: no stack trace to capture (check meets thousands of these)
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = "MsbError";
    this.kind = kind;
    this.exitCode = exitCodeByKind[kind];
  }
}

export const unusable = (message: string) => new MsbError("unusable", message);
export const unsupported = (message: string) => new MsbError("unsupported", message);
