// Shared helpers for the format tests.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LrError, type LrErrorCode } from '@lr/core';
import { expect } from 'vitest';

/** The shared real-data folder (../shared/data from the repository root). */
export const DATA_DIR = fileURLToPath(new URL('../../../../../shared/data/', import.meta.url));

/** Absolute path of a file in the shared data folder. */
export function dataPath(rel: string): string {
  return `${DATA_DIR}${rel}`;
}

/** True if the shared data file exists (tests that need it skip otherwise). */
export function hasData(rel: string): boolean {
  return existsSync(dataPath(rel));
}

/** Reads a fixture beside the tests as bytes. */
export function fixture(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(fileURLToPath(new URL(`./fixtures/${rel}`, import.meta.url))));
}

/**
 * Runs `fn`: returns undefined if it succeeds, the LrError if it throws one, and fails the
 * test (rethrows) for any other exception.
 */
export function lrErrorOf(fn: () => unknown): LrError | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    if (e instanceof LrError) return e;
    throw new Error(
      `expected an LrError, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`,
    );
  }
}

/** Asserts `fn` throws an LrError with `code` (and a message matching `pattern`). */
export function expectLrError(
  fn: () => unknown,
  code: LrErrorCode = 'FORMAT',
  pattern?: RegExp,
): LrError {
  const err = lrErrorOf(fn);
  if (err === undefined)
    throw new Error(`expected an LrError with code ${code}, but the call succeeded`);
  expect(err.code, err.message).toBe(code);
  if (pattern) expect(err.message).toMatch(pattern);
  return err;
}

/** Same value, treating NaN as equal to NaN and distinguishing -0 from +0. */
export function sameValue(a: number, b: number): boolean {
  return Object.is(a, b);
}

/** Asserts two array-likes hold the same values (Object.is element-wise). */
export function expectSameValues(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  what = 'values',
): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      throw new Error(`${what}[${i}]: expected ${expected[i]}, got ${actual[i]}`);
    }
  }
}

/** The bytes of an ASCII / UTF-8 string. */
export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** Concatenates byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
