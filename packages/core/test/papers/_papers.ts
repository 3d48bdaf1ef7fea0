// Shared inputs for the paper tests, rebuilt identically by fixtures/make_papers.py.
import { readFileSync } from 'node:fs';
import { Matrix, Rng } from '@lr/core';

export function response(L: number, d: number, c: number): Matrix {
  const out = new Matrix(new Float64Array(L * d), L, d);
  for (let i = 0; i < L; i++)
    for (let j = 0; j < d; j++)
      out.set(i, j, Math.sin(c * (i + 1) * (j + 2) + 0.3 * j) + 0.1 * Math.cos(i - 2 * j));
  return out;
}

export interface PapersFixture {
  cases: {
    L: number;
    d: number;
    c: number;
    nuclear: number;
    l12: number;
    mnn: number;
    entropyStandardizedNormalized: number;
    entropy: number;
  }[];
}

export const fixture: PapersFixture = JSON.parse(
  readFileSync(new URL('./fixtures/papers.json', import.meta.url), 'utf8'),
);

/**
 * A B×C class-probability matrix: each row the softmax of N(0, 1) logits plus 1/temp on one
 * class drawn from the first k (k = diversity, temp = how confident the predictions are).
 */
export function softmaxPredictions(
  B: number,
  C: number,
  k: number,
  temp: number,
  seed: number,
): Matrix {
  const rng = new Rng(seed);
  const out = new Matrix(new Float64Array(B * C), B, C);
  const logits = new Float64Array(C);
  for (let i = 0; i < B; i++) {
    const c = Math.floor(rng.uniform() * k);
    for (let j = 0; j < C; j++) logits[j] = rng.normal() + (j === c ? 1 / temp : 0);
    const mx = Math.max(...logits);
    let s = 0;
    for (let j = 0; j < C; j++) s += logits[j] = Math.exp(logits[j]! - mx);
    for (let j = 0; j < C; j++) out.set(i, j, logits[j]! / s);
  }
  return out;
}

/** Spearman rank correlation (no ties expected). */
export function spearman(a: readonly number[], b: readonly number[]): number {
  const rank = (x: readonly number[]) => {
    const r = new Array<number>(x.length);
    x.map((v, i) => [v, i] as const)
      .sort((p, q) => p[0] - q[0])
      .forEach(([, i], k) => {
        r[i] = k;
      });
    return r;
  };
  const ra = rank(a);
  const rb = rank(b);
  const mid = (a.length - 1) / 2;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < a.length; i++) {
    num += (ra[i]! - mid) * (rb[i]! - mid);
    da += (ra[i]! - mid) ** 2;
    db += (rb[i]! - mid) ** 2;
  }
  return num / Math.sqrt(da * db);
}

export function fro(A: Matrix): number {
  let s = 0;
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) s += A.get(i, j) ** 2;
  return Math.sqrt(s);
}
