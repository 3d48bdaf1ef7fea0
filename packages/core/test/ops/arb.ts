// Shared fast-check arbitraries for the ops / sparse / interop tests: matrices given as
// nested arrays together with a storage layout, so every function is exercised on
// contiguous, transposed, sliced, stepped and negative-stride views.

import { allocate, type DType, Matrix } from '@lr/core';
import fc from 'fast-check';

export type Layout = 'c' | 'T' | 'block' | 'step' | 'neg';
export const LAYOUTS: readonly Layout[] = ['c', 'T', 'block', 'step', 'neg'];

/** A matrix holding `vals` (m×n nested array) stored with the given layout. */
export function makeMatrix(
  vals: number[][],
  n: number,
  layout: Layout,
  dtype: DType = 'float64',
): Matrix {
  const m = vals.length;
  const at = (i: number, j: number): number => vals[i]![j]!;
  switch (layout) {
    case 'T': {
      // store Aᵀ row-major, view it transposed
      const d = allocate(dtype, m * n);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) d[j * m + i] = at(i, j);
      return new Matrix(d, n, m).T;
    }
    case 'block': {
      const R = m + 2;
      const C = n + 3;
      const d = allocate(dtype, R * C).fill(12345);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) d[(i + 1) * C + j + 2] = at(i, j);
      return new Matrix(d, R, C).block(1, 2, m, n);
    }
    case 'step': {
      const C = 2 * n + 1;
      const d = allocate(dtype, Math.max(1, 2 * m * C)).fill(-777);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) d[2 * i * C + 2 * j] = at(i, j);
      return new Matrix(d, m, n, 2 * C, 2, 0);
    }
    case 'neg': {
      if (m === 0 || n === 0) return makeMatrix(vals, n, 'c', dtype);
      const d = allocate(dtype, m * n);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) d[(m - 1 - i) * n + j] = at(i, j);
      return new Matrix(d, m, n, -n, 1, (m - 1) * n);
    }
    default: {
      const d = allocate(dtype, m * n);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) d[i * n + j] = at(i, j);
      return new Matrix(d, m, n);
    }
  }
}

/** Values that are exact in float32 (so float32 and float64 paths can be compared exactly). */
export const smallValue = fc.integer({ min: -64, max: 64 }).map((k) => k / 4);

/** A random m×n nested array (m, n in [minDim, maxDim]). */
export function arbValues(
  minDim = 1,
  maxDim = 6,
  value = smallValue,
): fc.Arbitrary<{ vals: number[][]; m: number; n: number }> {
  return fc
    .tuple(fc.integer({ min: minDim, max: maxDim }), fc.integer({ min: minDim, max: maxDim }))
    .chain(([m, n]) =>
      fc
        .array(fc.array(value, { minLength: n, maxLength: n }), { minLength: m, maxLength: m })
        .map((vals) => ({ vals, m, n })),
    );
}

export const arbLayout = fc.constantFrom(...LAYOUTS);

/** Nested arrays of a matrix (via get, so any layout). */
export function toNested(A: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < A.rows; i++) {
    const r: number[] = [];
    for (let j = 0; j < A.cols; j++) r.push(A.get(i, j));
    out.push(r);
  }
  return out;
}

/** A deterministic pseudo-random m×n nested array (for non-property tests). */
export function seededValues(m: number, n: number, seed: number): number[][] {
  let s = seed >>> 0 || 1;
  const next = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296 - 0.5;
  };
  return Array.from({ length: m }, () => Array.from({ length: n }, () => next()));
}

/** Expects `fn` to throw an lr error with `code`. */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code ?? `not an LrError: ${String(e)}`;
  }
  return undefined;
}
