/**
 * Stable error codes. Code that catches lr errors should branch on `code`, never on the
 * message text.
 */
export type LrErrorCode =
  | 'SHAPE_MISMATCH'
  | 'NON_FINITE'
  | 'INVALID_ARGUMENT'
  | 'NOT_CONVERGED'
  | 'FORMAT'
  | 'UNSUPPORTED'
  | 'ABORTED';

/** Base class of every error that lr throws on purpose. */
export class LrError extends Error {
  readonly code: LrErrorCode;
  constructor(code: LrErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Operand shapes do not fit together (`SHAPE_MISMATCH`). */
export class ShapeError extends LrError {
  constructor(message: string) {
    super('SHAPE_MISMATCH', message);
  }
}

/** An input holds NaN or ±Infinity where finite numbers are required (`NON_FINITE`). */
export class NonFiniteError extends LrError {
  constructor(message: string) {
    super('NON_FINITE', message);
  }
}

/** An argument has the wrong type or an out-of-range value (`INVALID_ARGUMENT`). */
export class InvalidArgumentError extends LrError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
  }
}

/** An iterative method reached its iteration cap before its tolerance (`NOT_CONVERGED`). */
export class NotConvergedError extends LrError {
  constructor(message: string) {
    super('NOT_CONVERGED', message);
  }
}

/** Bytes that do not follow the file format they claim (`FORMAT`). */
export class FormatError extends LrError {
  constructor(message: string) {
    super('FORMAT', message);
  }
}

/** A valid request this build or platform cannot serve (`UNSUPPORTED`). */
export class UnsupportedError extends LrError {
  constructor(message: string) {
    super('UNSUPPORTED', message);
  }
}

/** Work stopped because its `AbortSignal` fired (`ABORTED`). */
export class AbortedError extends LrError {
  constructor(message = 'the operation was aborted') {
    super('ABORTED', message);
  }
}
