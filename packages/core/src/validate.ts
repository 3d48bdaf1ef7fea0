import type { FloatArray } from './dtype.js';
import { AbortedError, InvalidArgumentError, NonFiniteError, ShapeError } from './errors.js';

/** Describes a value for an error message without dumping large objects. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value))
    return `a ${value.constructor.name} of length ${(value as FloatArray).length}`;
  if (typeof value === 'object') {
    const ctor = (value as object).constructor?.name;
    return ctor && ctor !== 'Object' ? `a ${ctor}` : 'an object';
  }
  return typeof value;
}

/** Throws unless `value` is a non-negative safe integer (or ≥ `min`). */
export function assertInt(
  name: string,
  value: unknown,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    const range =
      max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`;
    throw new InvalidArgumentError(`${name}: expected ${range}, got ${describe(value)}`);
  }
  return value;
}

/** Throws unless `value` is a finite number in [min, max]. */
export function assertNumber(
  name: string,
  value: unknown,
  min = -Infinity,
  max = Infinity,
): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    const range =
      min === -Infinity && max === Infinity
        ? 'a finite number'
        : `a finite number in [${min}, ${max}]`;
    throw new InvalidArgumentError(`${name}: expected ${range}, got ${describe(value)}`);
  }
  return value;
}

/** Throws unless `value` is one of `choices`. */
export function assertOneOf<T extends string>(
  name: string,
  value: unknown,
  choices: readonly T[],
): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(
      `${name}: expected one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${describe(value)}`,
    );
  }
  return value as T;
}

/** Throws `NON_FINITE` if any element of `data` is NaN or infinite. */
export function assertFiniteArray(name: string, data: ArrayLike<number>): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v - v !== 0) {
      throw new NonFiniteError(`${name}: expected finite values, found ${v} at index ${i}`);
    }
  }
}

/** Throws `SHAPE_MISMATCH` with a message naming both shapes. */
export function shapeMismatch(what: string, expected: string, got: readonly number[]): never {
  throw new ShapeError(`${what}: expected ${expected}, got shape [${got.join(', ')}]`);
}

/** Throws `ABORTED` if the signal has fired. Call between iterations of long work. */
export function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortedError();
}

/** Validates an options argument: undefined becomes `{}`, anything non-object throws. */
export function optionsObject<T extends object>(name: string, value: T | undefined): T {
  if (value === undefined) return {} as T;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidArgumentError(`${name}: expected an options object, got ${describe(value)}`);
  }
  return value;
}
