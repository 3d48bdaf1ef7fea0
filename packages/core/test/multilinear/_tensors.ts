// Test helpers for the multilinear tests: random tensors of known multilinear rank and
// a naive element-wise mode product.
import { type Matrix, qr, Rng, randn, Tensor, tensorRandn } from '@lr/core';

/** A random I×R matrix with orthonormal columns. */
export function orthonormal(I: number, R: number, seed: number): Matrix {
  return qr(randn(I, R, { seed })).Q!;
}

/** G ×_0 U_0 … with random core and random orthonormal factors: multilinear rank ≤ ranks. */
export function lowRankTensor(
  shape: number[],
  ranks: number[],
  seed: number,
): { X: Tensor; core: Tensor; factors: Matrix[] } {
  const core = tensorRandn(ranks, { seed });
  const factors = shape.map((I, n) => orthonormal(I, ranks[n]!, seed + 17 * (n + 1)));
  return { X: naiveReconstruct(core, factors), core, factors };
}

/** Y = X ×_n M element by element from the definition (Kolda & Bader 2009, §2.5). */
export function naiveModeProduct(X: Tensor, M: Matrix, n: number): Tensor {
  const shape = [...X.shape];
  shape[n] = M.rows;
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(size);
  const idx = new Array<number>(shape.length).fill(0);
  for (let q = 0; q < size; q++) {
    let s = 0;
    const src = [...idx];
    for (let i = 0; i < X.shape[n]!; i++) {
      src[n] = i;
      s += X.at(...src) * M.get(idx[n]!, i);
    }
    out[q] = s;
    for (let k = shape.length - 1; k >= 0; k--) {
      if (++idx[k]! < shape[k]!) break;
      idx[k] = 0;
    }
  }
  return new Tensor(out, shape);
}

export function naiveReconstruct(core: Tensor, factors: Matrix[]): Tensor {
  let y = core;
  factors.forEach((U, n) => {
    y = naiveModeProduct(y, U, n);
  });
  return y;
}

/** Frobenius norm of a tensor (any strides). */
export function tnorm(X: Tensor): number {
  const d = X.toFloat64Array();
  let s = 0;
  for (const v of d) s += v * v;
  return Math.sqrt(s);
}

/** ‖X − Y‖_F for tensors of equal shape. */
export function tdiff(X: Tensor, Y: Tensor): number {
  if (X.shape.join() !== Y.shape.join()) throw new Error(`shape [${X.shape}] vs [${Y.shape}]`);
  const a = X.toFloat64Array();
  const b = Y.toFloat64Array();
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
}

/** X + σ·noise with i.i.d. N(0,1) noise. */
export function addNoise(X: Tensor, sigma: number, seed: number): Tensor {
  const d = X.toFloat64Array();
  const rng = new Rng(seed);
  for (let i = 0; i < d.length; i++) d[i]! += sigma * rng.normal();
  return new Tensor(d, X.shape);
}
