import { describe, InvalidArgumentError, Matrix } from '@lr/core';
import type { ObservedEntries } from './observed.js';

// The low-rank-plus-bias model μ + b_i + c_j + U_i·V_j shared by every completion method.

export interface Model {
  m: number;
  n: number;
  k: number;
  /** m×k row-major. */
  U: Float64Array;
  /** n×k row-major. */
  V: Float64Array;
  mean: number;
  rowBias: Float64Array;
  colBias: Float64Array;
}

export function predictOne(md: Model, i: number, j: number): number {
  const k = md.k;
  let s = md.mean + md.rowBias[i]! + md.colBias[j]!;
  const u = i * k;
  const v = j * k;
  for (let a = 0; a < k; a++) s += md.U[u + a]! * md.V[v + a]!;
  return s;
}

/** Root-mean-square error of the model on the entries (NaN for none). */
export function modelRmse(md: Model, e: ObservedEntries): number {
  if (e.nnz === 0) return Number.NaN;
  let s = 0;
  for (let p = 0; p < e.nnz; p++) {
    const r = e.values[p]! - predictOne(md, e.row[p]!, e.col[p]!);
    s += r * r;
  }
  return Math.sqrt(s / e.nnz);
}

export function cloneModel(md: Model): Model {
  return {
    ...md,
    U: md.U.slice(),
    V: md.V.slice(),
    rowBias: md.rowBias.slice(),
    colBias: md.colBias.slice(),
  };
}

export function checkIndex(md: Model, i: number, j: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= md.m) {
    throw new InvalidArgumentError(`i: expected a row index in [0, ${md.m}), got ${describe(i)}`);
  }
  if (!Number.isInteger(j) || j < 0 || j >= md.n) {
    throw new InvalidArgumentError(
      `j: expected a column index in [0, ${md.n}), got ${describe(j)}`,
    );
  }
}

export function asMatrices(md: Model): { U: Matrix; V: Matrix } {
  return {
    U: Matrix.fromData(md.U.slice(), md.m, md.k),
    V: Matrix.fromData(md.V.slice(), md.n, md.k),
  };
}

/**
 * Fits μ and ridge-regularized biases b, c by alternating exact updates
 * (b_i = Σ_j (r − μ − c_j) / (|Ω_i| + λ), and symmetrically), as the baseline predictor of
 * Koren, Bell & Volinsky (2009). Writes into md.mean, md.rowBias, md.colBias.
 */
export function fitBiases(md: Model, e: ObservedEntries, lambda: number, sweeps: number): void {
  let mu = 0;
  for (let p = 0; p < e.nnz; p++) mu += e.values[p]!;
  md.mean = e.nnz > 0 ? mu / e.nnz : 0;
  const byR = e.byRow();
  const byC = e.byColumn();
  for (let s = 0; s < sweeps; s++) {
    for (let i = 0; i < md.m; i++) {
      let acc = 0;
      for (let q = byR.ptr[i]!; q < byR.ptr[i + 1]!; q++) {
        acc += e.values[byR.entry[q]!]! - md.mean - md.colBias[byR.other[q]!]!;
      }
      const c = byR.ptr[i + 1]! - byR.ptr[i]!;
      md.rowBias[i] = c + lambda > 0 ? acc / (c + lambda) : 0;
    }
    for (let j = 0; j < md.n; j++) {
      let acc = 0;
      for (let q = byC.ptr[j]!; q < byC.ptr[j + 1]!; q++) {
        acc += e.values[byC.entry[q]!]! - md.mean - md.rowBias[byC.other[q]!]!;
      }
      const c = byC.ptr[j + 1]! - byC.ptr[j]!;
      md.colBias[j] = c + lambda > 0 ? acc / (c + lambda) : 0;
    }
  }
}
