import { describe, InvalidArgumentError } from '@lr/core';

// Private argument helpers shared by this package's public functions.

/** `value` if defined, else `fallback`. */
export function orDefault<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

/** Throws unless `value` is a boolean. */
export function assertBool(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new InvalidArgumentError(`${name}: expected a boolean, got ${describe(value)}`);
  }
  return value;
}

/** Throws unless `value` is undefined or a function. */
export function optionalFunction<T>(name: string, value: T | undefined): T | undefined {
  if (value !== undefined && typeof value !== 'function') {
    throw new InvalidArgumentError(`${name}: expected a function, got ${describe(value)}`);
  }
  return value;
}

/** Throws unless `value` is undefined or an AbortSignal-like object. */
export function optionalSignal(name: string, value: unknown): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof (value as AbortSignal).aborted !== 'boolean'
  ) {
    throw new InvalidArgumentError(`${name}: expected an AbortSignal, got ${describe(value)}`);
  }
  return value as AbortSignal;
}

/** Milliseconds from a monotonic clock where one exists (browser and Node). */
export function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
