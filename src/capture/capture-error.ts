/**
 * An error the user must see. `message` is the single line to print (no stack
 * trace); `exitCode` is what the CLI exits with: 1 for bad input files, 2 for
 * live-capture problems (interface, permission, filter).
 */
export class CaptureError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'CaptureError';
    this.exitCode = exitCode;
  }
}

export function isCaptureError(e: unknown): e is CaptureError {
  return e instanceof CaptureError;
}

/** A one-line description of any thrown value, for errors that are not ours. */
export function oneLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const line = text.split('\n', 1)[0] ?? '';
  return line.trim() || 'unknown error';
}
