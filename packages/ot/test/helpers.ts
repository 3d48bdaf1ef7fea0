import { Matrix, Rng } from '@lr/core';
import { costMatrix } from '../src/costMatrix.js';

/** n uniform points in [0,1]^d, deterministic. */
export function points(n: number, d: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const data = new Float64Array(n * d);
  for (let k = 0; k < data.length; k++) data[k] = rng.uniform();
  return new Matrix(data, n, d);
}

/** A random positive histogram of length n summing to 1. */
export function histogram(n: number, seed: number, floor = 0.1): Float64Array {
  const rng = new Rng(seed);
  const h = new Float64Array(n);
  let s = 0;
  for (let i = 0; i < n; i++) {
    h[i] = floor + rng.uniform();
    s += h[i];
  }
  for (let i = 0; i < n; i++) h[i] /= s;
  return h;
}

/** Squared-Euclidean cost between two random clouds, scaled to max 1. */
export function randomCost(n: number, m: number, seed: number): Matrix {
  const C = costMatrix(points(n, 2, seed), points(m, 2, seed + 1000));
  const d = C.toFloat64Array();
  let mx = 0;
  for (const x of d) mx = Math.max(mx, x);
  return new Matrix(
    d.map((x) => x / mx),
    n,
    m,
  );
}

export function rowSums(P: Matrix): Float64Array {
  const out = new Float64Array(P.rows);
  for (let i = 0; i < P.rows; i++) for (let j = 0; j < P.cols; j++) out[i] += P.get(i, j);
  return out;
}

export function colSums(P: Matrix): Float64Array {
  const out = new Float64Array(P.cols);
  for (let i = 0; i < P.rows; i++) for (let j = 0; j < P.cols; j++) out[j] += P.get(i, j);
  return out;
}

export function maxAbsDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i] - y[i]));
  return d;
}

/** All permutations of 0..n−1. */
export function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  const out: number[][] = [];
  for (const p of permutations(n - 1)) {
    for (let k = 0; k <= p.length; k++) out.push([...p.slice(0, k), n - 1, ...p.slice(k)]);
  }
  return out;
}
