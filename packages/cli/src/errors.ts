import { LrError } from '@lr/core';

/**
 * An error the CLI reports as one line and exit code 2: bad usage or bad input (an
 * unknown tensor name, an existing output file, a file that is missing or malformed).
 */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

const FS_CODES: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EEXIST: 'already exists',
  ENAMETOOLONG: 'name too long',
};

/** The Node `SystemError` code (`ENOENT`, …) of an error, if it has one. */
export function fsCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('E') ? code : undefined;
}

/**
 * Rethrows `err` as a {@link CliError} whose message starts with `subject` (a file path),
 * when it is an input problem: an {@link LrError} (`subject: CODE: message`), a file-system
 * error such as ENOENT (`subject: no such file`) or a CliError. Other errors pass through.
 */
export function asInputError(subject: string, err: unknown): unknown {
  if (err instanceof CliError) return new CliError(`${subject}: ${err.message}`, err.exitCode);
  if (err instanceof LrError) return new CliError(`${subject}: ${err.code}: ${err.message}`);
  const code = fsCode(err);
  if (code && FS_CODES[code]) return new CliError(`${subject}: ${FS_CODES[code]}`);
  return err;
}

/** Runs `fn`, turning input errors into CliErrors that name `subject`. */
export function withSubject<T>(subject: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw asInputError(subject, err);
  }
}
