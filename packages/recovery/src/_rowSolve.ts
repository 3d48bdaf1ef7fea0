import { cholesky, choleskySolve, gemmStrided, gemvStrided, Matrix } from '@lr/core';
import type { EntryIndex } from './observed.js';

// Per-row ridge least-squares kernels of alternating minimization. Assume validated input.
//
// For every target row r (a row of U when the index is by row, a row of V when by column)
// both kernels solve, exactly or approximately,
//   min_x  Σ_{s ∈ slots(r)} (t[entry_s] − W[other_s, :]·x)² + λ‖x‖²,
// writing x into X[r, :]. W is nOther×d and X nTarget×d, both row-major.

/** Scratch buffers reused across rows (grown on demand). */
export interface RowWork {
  B: Float64Array;
  y: Float64Array;
  G: Float64Array;
  v1: Float64Array;
  v2: Float64Array;
  v3: Float64Array;
  v4: Float64Array;
  v5: Float64Array;
}

export function rowWork(d: number, maxCount: number): RowWork {
  return {
    B: new Float64Array(Math.max(1, maxCount * d)),
    y: new Float64Array(Math.max(1, maxCount)),
    G: new Float64Array(d * d),
    v1: new Float64Array(d),
    v2: new Float64Array(d),
    v3: new Float64Array(d),
    v4: new Float64Array(d),
    v5: new Float64Array(Math.max(1, maxCount)),
  };
}

/** Largest number of slots of any target row. */
export function maxCount(idx: EntryIndex): number {
  let m = 0;
  for (let r = 0; r + 1 < idx.ptr.length; r++) m = Math.max(m, idx.ptr[r + 1]! - idx.ptr[r]!);
  return m;
}

// Gathers the design rows W[other_s] and targets of target row r into work.B / work.y.
function gather(
  idx: EntryIndex,
  r: number,
  t: Float64Array,
  W: Float64Array,
  d: number,
  w: RowWork,
): number {
  const start = idx.ptr[r]!;
  const cnt = idx.ptr[r + 1]! - start;
  for (let q = 0; q < cnt; q++) {
    const o = idx.other[start + q]! * d;
    w.B.set(W.subarray(o, o + d), q * d);
    w.y[q] = t[idx.entry[start + q]!]!;
  }
  return cnt;
}

/**
 * Exact ridge solves: forms each d×d normal matrix BᵀB + λI with one GEMM
 * (O(|Ω_r|·d²)), then solves by Cholesky (O(d³)). Returns the flop count used.
 */
export function exactRowSolves(
  idx: EntryIndex,
  t: Float64Array,
  W: Float64Array,
  d: number,
  lambda: number,
  X: Float64Array,
  w: RowWork,
): number {
  const nTarget = idx.ptr.length - 1;
  let flops = 0;
  const G = Matrix.fromData(w.G, d, d);
  for (let r = 0; r < nTarget; r++) {
    const cnt = gather(idx, r, t, W, d, w);
    if (cnt === 0) {
      X.fill(0, r * d, (r + 1) * d);
      continue;
    }
    // G = BᵀB (B is cnt×d row-major, so Bᵀ has row stride 1 and column stride d)
    gemmStrided(d, d, cnt, 1, w.B, 0, 1, d, w.B, 0, d, 1, 0, w.G, 0, d, 1);
    gemvStrided(d, cnt, 1, w.B, 0, 1, d, w.y, 0, 1, 0, w.v1, 0, 1);
    flops += 2 * cnt * d * d + 2 * cnt * d + (d * d * d) / 3 + 2 * d * d;
    let trace = 0;
    for (let a = 0; a < d; a++) trace += w.G[a * d + a]!;
    // λ plus a relative jitter of 1e-12·tr/d keeps rows with fewer than d observations
    // solvable when λ = 0 (the minimum-norm-like choice), without visibly biasing the rest.
    let shift = lambda + 1e-12 * (trace / d) + 1e-300;
    for (let attempt = 0; ; attempt++) {
      for (let a = 0; a < d; a++) w.G[a * d + a] = w.G[a * d + a]! + shift;
      try {
        const L = cholesky(G);
        const x = choleskySolve(L, w.v1);
        X.set(x, r * d);
        break;
      } catch (e) {
        if (attempt >= 3) throw e;
        for (let a = 0; a < d; a++) w.G[a * d + a] = w.G[a * d + a]! - shift;
        shift = shift * 1e4 + 1e-8 * (trace / d);
      }
    }
  }
  return flops;
}

/**
 * Approximate ridge solves (#1's inexact update): `steps` iterations of Jacobi-
 * preconditioned conjugate gradients on (BᵀB + λI)x = Bᵀy, warm-started from the current
 * X[r, :], never forming BᵀB. Each step costs two products with B (O(|Ω_r|·d)), so a full
 * sweep costs O(|Ω|·d·steps) instead of the O(|Ω|·d²) of forming normal matrices.
 * Returns the flop count used.
 */
export function cgRowSolves(
  idx: EntryIndex,
  t: Float64Array,
  W: Float64Array,
  d: number,
  lambda: number,
  X: Float64Array,
  steps: number,
  w: RowWork,
): number {
  const nTarget = idx.ptr.length - 1;
  let flops = 0;
  const x = w.v1;
  const res = w.v2;
  const p = w.v3;
  const q = w.v4;
  const Bp = w.v5;
  const diag = w.G; // only the first d entries are used here
  for (let r = 0; r < nTarget; r++) {
    const cnt = gather(idx, r, t, W, d, w);
    if (cnt === 0) {
      X.fill(0, r * d, (r + 1) * d);
      continue;
    }
    x.set(X.subarray(r * d, (r + 1) * d));
    // Jacobi preconditioner: diag(BᵀB) + λ
    diag.fill(0, 0, d);
    for (let s = 0; s < cnt; s++) {
      const o = s * d;
      for (let a = 0; a < d; a++) {
        const b = w.B[o + a]!;
        diag[a] = diag[a]! + b * b;
      }
    }
    let dmax = 0;
    for (let a = 0; a < d; a++) dmax = Math.max(dmax, diag[a]!);
    for (let a = 0; a < d; a++) diag[a] = diag[a]! + lambda + 1e-12 * dmax + 1e-300;
    // residual = Bᵀ(y − Bx) − λx
    for (let s = 0; s < cnt; s++) Bp[s] = w.y[s]!;
    gemvStrided(cnt, d, -1, w.B, 0, d, 1, x, 0, 1, 1, Bp, 0, 1);
    gemvStrided(d, cnt, 1, w.B, 0, 1, d, Bp, 0, 1, 0, res, 0, 1);
    let rz = 0;
    for (let a = 0; a < d; a++) {
      res[a] = res[a]! - lambda * x[a]!;
      p[a] = res[a]! / diag[a]!;
      rz += res[a]! * p[a]!;
    }
    flops += 5 * cnt * d;
    for (let it = 0; it < steps && rz > 0; it++) {
      gemvStrided(cnt, d, 1, w.B, 0, d, 1, p, 0, 1, 0, Bp, 0, 1);
      gemvStrided(d, cnt, 1, w.B, 0, 1, d, Bp, 0, 1, 0, q, 0, 1);
      let pq = 0;
      for (let a = 0; a < d; a++) {
        q[a] = q[a]! + lambda * p[a]!;
        pq += p[a]! * q[a]!;
      }
      flops += 4 * cnt * d + 10 * d;
      if (!(pq > 0)) break;
      const alpha = rz / pq;
      let rzNew = 0;
      for (let a = 0; a < d; a++) {
        x[a] = x[a]! + alpha * p[a]!;
        res[a] = res[a]! - alpha * q[a]!;
        rzNew += (res[a]! * res[a]!) / diag[a]!;
      }
      const beta = rzNew / rz;
      rz = rzNew;
      for (let a = 0; a < d; a++) p[a] = res[a]! / diag[a]! + beta * p[a]!;
    }
    X.set(x, r * d);
  }
  return flops;
}
