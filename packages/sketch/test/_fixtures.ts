// Test problem generators (deterministic).
import { Matrix, matmul, qr, Rng, randn } from '@lr/core';

/** n×d matrix U·diag(σ)·Vᵀ with σ log-spaced from 1 down to 1/cond. */
export function illConditioned(n: number, d: number, cond: number, seed: number): Matrix {
  const U = qr(randn(n, d, { seed })).Q!;
  const V = qr(randn(d, d, { seed: seed + 1 })).Q!;
  const US = U.clone();
  for (let j = 0; j < d; j++) {
    const s = cond ** (-j / (d - 1));
    for (let i = 0; i < n; i++) US.set(i, j, US.get(i, j) * s);
  }
  return matmul(US, V.T);
}

export function vec(n: number, seed: number): Float64Array {
  return randn(n, 1, { seed }).data as Float64Array;
}

/** n×d rows of a Gaussian, each row scaled by a log-normal factor exp(1.5·N(0,1)). */
export function heavyRows(n: number, d: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const A = new Matrix(new Float64Array(n * d), n, d);
  for (let i = 0; i < n; i++) {
    const s = Math.exp(1.5 * rng.normal());
    for (let j = 0; j < d; j++) A.set(i, j, s * rng.normal());
  }
  return A;
}
