// Triangular solve with many right-hand sides on raw strided storage (private, the BLAS
// ?trsm "left" contract; assumes validated input and a nonzero diagonal unless `unit`).
// Blocked: each block row is first updated by a GEMM with the rows already solved, then
// solved by substitution (GvL 4th ed., §3.1.4, Alg. 3.1.1 / 3.1.2 in block form).
import type { FloatArray } from '../dtype.js';
import { axpyStrided, dotStrided } from '../kernels/blas1.js';
import { gemmStrided } from '../kernels/gemm.js';

const NB = 64;

/**
 * Solves T·X = B in place on `x` (B on entry, X on return). T is n×n at
 * `t[tOff + i·trs + j·tcs]`, lower triangular if `lower` else upper; only that triangle
 * is read, and its diagonal only when `unit` is false. X is n×k at
 * `x[xOff + i·xrs + j·xcs]`. Solve with Tᵀ by swapping trs/tcs and flipping `lower`.
 */
export function trsmStrided(
  lower: boolean,
  unit: boolean,
  n: number,
  k: number,
  t: FloatArray,
  tOff: number,
  trs: number,
  tcs: number,
  x: Float64Array,
  xOff: number,
  xrs: number,
  xcs: number,
): void {
  if (n === 0 || k === 0) return;
  if (lower) {
    for (let i0 = 0; i0 < n; i0 += NB) {
      const i1 = Math.min(i0 + NB, n);
      if (i0 > 0) {
        gemmStrided(
          i1 - i0,
          k,
          i0,
          -1,
          t,
          tOff + i0 * trs,
          trs,
          tcs,
          x,
          xOff,
          xrs,
          xcs,
          1,
          x,
          xOff + i0 * xrs,
          xrs,
          xcs,
        );
      }
      substitute(true, unit, i0, i1, k, t, tOff, trs, tcs, x, xOff, xrs, xcs);
    }
  } else {
    for (let i1 = n; i1 > 0; i1 -= NB) {
      const i0 = Math.max(0, i1 - NB);
      if (i1 < n) {
        gemmStrided(
          i1 - i0,
          k,
          n - i1,
          -1,
          t,
          tOff + i0 * trs + i1 * tcs,
          trs,
          tcs,
          x,
          xOff + i1 * xrs,
          xrs,
          xcs,
          1,
          x,
          xOff + i0 * xrs,
          xrs,
          xcs,
        );
      }
      substitute(false, unit, i0, i1, k, t, tOff, trs, tcs, x, xOff, xrs, xcs);
    }
  }
}

/** Forward / back substitution within the diagonal block rows i0 … i1−1. */
function substitute(
  lower: boolean,
  unit: boolean,
  i0: number,
  i1: number,
  k: number,
  t: FloatArray,
  tOff: number,
  trs: number,
  tcs: number,
  x: Float64Array,
  xOff: number,
  xrs: number,
  xcs: number,
): void {
  if (k < 8) {
    // few right-hand sides: one dot product per unknown
    for (let c = 0; c < k; c++) {
      const xc = xOff + c * xcs;
      if (lower) {
        for (let i = i0; i < i1; i++) {
          const row = tOff + i * trs;
          let v =
            x[xc + i * xrs]! - dotStrided(i - i0, t, row + i0 * tcs, tcs, x, xc + i0 * xrs, xrs);
          if (!unit) v /= t[row + i * tcs]!;
          x[xc + i * xrs] = v;
        }
      } else {
        for (let i = i1 - 1; i >= i0; i--) {
          const row = tOff + i * trs;
          let v =
            x[xc + i * xrs]! -
            dotStrided(i1 - i - 1, t, row + (i + 1) * tcs, tcs, x, xc + (i + 1) * xrs, xrs);
          if (!unit) v /= t[row + i * tcs]!;
          x[xc + i * xrs] = v;
        }
      }
    }
    return;
  }
  // many right-hand sides: one axpy per (row, earlier row) pair, over the k columns
  if (lower) {
    for (let i = i0; i < i1; i++) {
      const row = tOff + i * trs;
      for (let p = i0; p < i; p++) {
        axpyStrided(k, -t[row + p * tcs]!, x, xOff + p * xrs, xcs, x, xOff + i * xrs, xcs);
      }
      if (!unit) scaleRow(k, t[row + i * tcs]!, x, xOff + i * xrs, xcs);
    }
  } else {
    for (let i = i1 - 1; i >= i0; i--) {
      const row = tOff + i * trs;
      for (let p = i + 1; p < i1; p++) {
        axpyStrided(k, -t[row + p * tcs]!, x, xOff + p * xrs, xcs, x, xOff + i * xrs, xcs);
      }
      if (!unit) scaleRow(k, t[row + i * tcs]!, x, xOff + i * xrs, xcs);
    }
  }
}

function scaleRow(k: number, d: number, x: Float64Array, off: number, inc: number): void {
  for (let c = 0; c < k; c++) x[off + c * inc] /= d;
}
