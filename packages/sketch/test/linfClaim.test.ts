import { gemv, lstsq, Matrix, Rng, singularValues } from '@lr/core';
import { describe, expect, it } from 'vitest';
import {
  countSketch,
  gaussianSketch,
  linfSketch,
  type SketchOperator,
  sketchedLeastSquares,
} from '../src/index.js';

/**
 * Hard instance for sparse sketches: d rows equal to the identity (leverage ≈ 1), the other
 * rows small Gaussians, and a residual made of a few large spikes on low-leverage rows.
 * A CountSketch that hashes a spike into the bucket of an identity row moves that
 * coordinate of x̃ by the whole spike; a dense sketch spreads every spike over all rows.
 */
function hardInstance(n: number, d: number, spikes: number, seed: number) {
  const rng = new Rng(seed);
  const A = new Matrix(new Float64Array(n * d), n, d);
  for (let j = 0; j < d; j++) A.set(j, j, 1);
  for (let i = d; i < n; i++)
    for (let j = 0; j < d; j++) A.set(i, j, (0.3 / Math.sqrt(n)) * rng.normal());
  const x0 = new Float64Array(d).map(() => rng.normal());
  const b = gemv(A, x0);
  for (let i = 0; i < n; i++) b[i]! += 0.01 * rng.normal();
  for (let s = 0; s < spikes; s++) b[d + rng.int(n - d)]! += 100 * rng.sign();
  return { A, b };
}

describe('claim #3 (Song–Ye–Yin–Zhang 2023): dense sketches meet the ℓ∞ guarantee, CountSketch does not', () => {
  // Bound tested (the paper's, with ε = 1): ‖x̃ − x*‖∞ ≤ (ε/√d)·‖Ax* − b‖₂·‖A†‖₂.
  const n = 2048;
  const d = 16;
  const m = 256;
  const trials = 30;
  const { A, b } = hardInstance(n, d, 6, 1);
  const xStar = lstsq(A, b).x;
  const sv = singularValues(A);
  const pinvNorm = 1 / sv[sv.length - 1]!;
  const Ax = gemv(A, xStar);
  let rr = 0;
  for (let i = 0; i < n; i++) rr += (Ax[i]! - b[i]!) ** 2;
  const bound = (Math.sqrt(rr) * pinvNorm) / Math.sqrt(d); // ε = 1
  const epsAchieved = (make: (seed: number) => SketchOperator) =>
    Array.from({ length: trials }, (_, seed) => {
      const r = sketchedLeastSquares(A, b, {
        sketch: make(seed),
        xTrue: xStar,
        compareExact: false,
      });
      return r.lInfError! / bound;
    });
  const summary = (v: number[]) => {
    const s = [...v].sort((x, y) => x - y);
    return { median: s[trials >> 1]!, failures: v.filter((e) => e > 1).length };
  };

  it('SRHT (the fast dense construction) and Gaussian meet ε = 1 in ≥ 28 of 30 draws; CountSketch fails in ≥ 8', () => {
    const srhtEps = summary(epsAchieved((seed) => linfSketch(m, n, { seed })));
    const gaussEps = summary(epsAchieved((seed) => gaussianSketch(m, n, { seed })));
    const countEps = summary(epsAchieved((seed) => countSketch(m, n, { seed })));
    expect(srhtEps.failures).toBeLessThanOrEqual(2);
    expect(gaussEps.failures).toBeLessThanOrEqual(2);
    expect(countEps.failures).toBeGreaterThanOrEqual(8);
    expect(srhtEps.median).toBeLessThan(1);
    expect(gaussEps.median).toBeLessThan(1);
  });

  it('sketchedLeastSquares reports the same ε when it computes x* and ‖A†‖ itself', () => {
    const S = linfSketch(m, n, { seed: 0 });
    const r = sketchedLeastSquares(A, b, { sketch: S });
    const mine = sketchedLeastSquares(A, b, { sketch: S, xTrue: xStar, compareExact: false });
    expect(r.linfEpsilon!).toBeCloseTo(mine.lInfError! / bound, 6);
  });
});
