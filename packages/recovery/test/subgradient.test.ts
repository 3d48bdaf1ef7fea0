import { matmul, Rng, randn } from '@lr/core';
import { expect, test } from 'vitest';
import { gaussianMeasurements, subgradientL1 } from '../src/index.js';

// #2 (Ma & Fattahi) in small: n = 20, r = 2, rank over-estimated threefold (k = 6),
// m = 400 Gaussian measurements, 30% replaced by gross outliers N(0, 10²) (≈ 100× the
// clean measurements), plus dense Gaussian noise of 1% of the clean measurement scale.
function problem(seed: number) {
  const n = 20;
  const Xs = randn(n, 2, { seed });
  const M = matmul(Xs, Xs.T);
  for (let p = 0; p < M.data.length; p++) M.data[p] = M.data[p]! / n;
  const A = gaussianMeasurements(400, n, n, { seed: seed + 100 });
  const y = A.apply(M);
  const rng = new Rng(seed + 200);
  let outliers = 0;
  for (let i = 0; i < y.length; i++) {
    y[i] = y[i]! + (0.01 * rng.normal()) / Math.sqrt(400);
    if (rng.uniform() < 0.3) {
      y[i] = 10 * rng.normal();
      outliers++;
    }
  }
  return { A, y, M, outliers };
}

test('#2: ℓ1 sub-gradient recovers under 30% gross outliers with k = 3r; small init beats large init', () => {
  const rows: string[] = [];
  for (const seed of [1, 2]) {
    const { A, y, M, outliers } = problem(seed);
    expect(outliers).toBeGreaterThan(90);
    const opts = { rank: 6, stepSize0: 0.2, decay: 0.99, iterations: 1000, truth: M };
    const small = subgradientL1(A, y, { ...opts, initScale: 1e-3 });
    const large = subgradientL1(A, y, { ...opts, initScale: 1 });
    const es = small.errorHistory.at(-1)!;
    const el = large.errorHistory.at(-1)!;
    rows.push(
      `seed ${seed}: small-init error ${es.toExponential(2)}, large-init ${el.toExponential(2)}`,
    );
    expect(es).toBeLessThan(0.02);
    expect(el).toBeGreaterThan(2 * es);
    // the loss is non-increasing in the long run (sub-gradient steps are not monotone)
    expect(small.lossHistory.at(-1)!).toBeLessThan(small.lossHistory[0]!);
  }
  console.log(`#2: ${rows.join('; ')}`);
});

test('validation and determinism', () => {
  const { A, y } = problem(3);
  expect(() => subgradientL1(A, y, { rank: 0 })).toThrow(
    expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
  );
  expect(() => subgradientL1(A, y, { rank: 2, decay: 0 })).toThrow(/decay/);
  expect(() => subgradientL1(A, y, { rank: 2, truth: randn(3, 3) })).toThrow(
    expect.objectContaining({ code: 'SHAPE_MISMATCH' }),
  );
  const a = subgradientL1(A, y, { rank: 2, iterations: 20, seed: 4 });
  const b = subgradientL1(A, y, { rank: 2, iterations: 20, seed: 4 });
  expect(a.X.data).toEqual(b.X.data);
  const ctl = new AbortController();
  ctl.abort();
  expect(() => subgradientL1(A, y, { rank: 2, signal: ctl.signal })).toThrow(
    expect.objectContaining({ code: 'ABORTED' }),
  );
});
