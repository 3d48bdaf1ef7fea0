import { Matrix } from '@lr/core';
import { describe, expect, it } from 'vitest';
import { emd } from '../src/emd.js';
import { sinkhorn } from '../src/sinkhorn.js';
import { sinkhornGrid } from '../src/sinkhornGrid.js';
import { histogram, maxAbsDiff } from './helpers.js';

function denseGridCost(h: number, w: number, s: number, p: number): Matrix {
  const hw = h * w;
  const M = new Matrix(new Float64Array(hw * hw), hw, hw);
  for (let i = 0; i < h; i++)
    for (let j = 0; j < w; j++)
      for (let k = 0; k < h; k++)
        for (let l = 0; l < w; l++)
          M.set(i * w + j, k * w + l, (Math.abs(i - k) * s) ** p + (Math.abs(j - l) * s) ** p);
  return M;
}

describe('sinkhornGrid', () => {
  const h = 4;
  const w = 5;
  const a = new Matrix(histogram(h * w, 1), h, w);
  const b = new Matrix(histogram(h * w, 2), h, w);

  it.each(['sinkhorn', 'log'] as const)('%s: equals dense Sinkhorn on a small image', (method) => {
    const reg = 0.05;
    const g = sinkhornGrid(a, b, { reg, method, stopThr: 1e-12, numItermax: 5000 });
    const M = denseGridCost(h, w, 1 / 4, 2);
    const d = sinkhorn(a.toFloat64Array(), b.toFloat64Array(), M, {
      reg,
      stopThr: 1e-12,
      numItermax: 5000,
    });
    expect(g.converged).toBe(true);
    expect(g.iterations).toBe(d.iterations);
    expect(g.plan).not.toBeNull();
    expect(maxAbsDiff(g.plan!.toFloat64Array(), d.plan.toFloat64Array())).toBeLessThan(1e-12);
    expect(g.cost).toBeCloseTo(d.cost, 12);
    // potentials agree up to the gauge f + c, g − c
    const gf = g.f.toFloat64Array();
    expect(
      maxAbsDiff(
        gf.map((x) => x - gf[0]),
        d.f.map((x) => x - d.f[0]),
      ),
    ).toBeLessThan(1e-9);
    expect(g.planEntry(1, 2, 3, 4)).toBeCloseTo(d.plan.get(7, 19), 14);
  });

  it('p = 1 (W1 cost) also matches the dense problem', () => {
    const g = sinkhornGrid(a, b, { reg: 0.05, p: 1, spacing: 0.5, stopThr: 1e-12 });
    const d = sinkhorn(a.toFloat64Array(), b.toFloat64Array(), denseGridCost(h, w, 0.5, 1), {
      reg: 0.05,
      stopThr: 1e-12,
    });
    expect(g.cost).toBeCloseTo(d.cost, 12);
  });

  it('log domain at small reg approaches the exact W2² where plain fails', () => {
    // a blob and its translate by one pixel: W2² = spacing² exactly
    const n = 7;
    const A = new Matrix(new Float64Array(n * n), n, n);
    const B = new Matrix(new Float64Array(n * n), n, n);
    const blob = histogram(9, 3);
    for (let q = 0; q < 9; q++) {
      A.set(2 + Math.floor(q / 3), 1 + (q % 3), blob[q]);
      B.set(2 + Math.floor(q / 3), 2 + (q % 3), blob[q]);
    }
    const s = 1 / 6;
    const plain = sinkhornGrid(A, B, { reg: 1e-4 });
    expect(plain.converged).toBe(false);
    expect(plain.status).toBe('numerical-error');
    // Sinkhorn is slow on this nearly deterministic problem (the error falls ~1e-4 per
    // iteration at the end), so check the iterates rather than the 1e-9 stopping rule
    const r = sinkhornGrid(A, B, { reg: 2e-3, method: 'log', numItermax: 20000 });
    expect(r.status).toBe('max-iterations');
    expect(r.history.every(Number.isFinite)).toBe(true);
    for (let k = 1; k < r.history.length; k++)
      expect(r.history[k]).toBeLessThanOrEqual(r.history[k - 1] * (1 + 1e-12));
    expect(r.history[r.history.length - 1]).toBeLessThan(5e-5); // measured 1.94e-5
    const rows = new Float64Array(n * n);
    const P = r.plan!;
    for (let i = 0; i < n * n; i++) for (let j = 0; j < n * n; j++) rows[i] += P.get(i, j);
    expect(maxAbsDiff(rows, A.toFloat64Array())).toBeLessThan(1e-12);
    const exact = emd(A.toFloat64Array(), B.toFloat64Array(), denseGridCost(n, n, s, 2)).cost;
    expect(exact).toBeCloseTo(s * s, 12);
    expect(Math.abs(r.cost - exact)).toBeLessThan(1e-3 * exact);
  });

  it('never forms the dense plan above the limit', () => {
    const r = sinkhornGrid(a, b, { reg: 0.05, densePlanLimit: 100 });
    expect(r.plan).toBeNull();
  });
});
