// Argument checks shared by the sketch constructors (not public).
import { assertInt } from '@lr/core';

/** Validates the sketch size m and the input length n (both integers ≥ 1). */
export function checkSketchSize(m: unknown, n: unknown): void {
  assertInt('m', m, 1);
  assertInt('n', n, 1);
}
