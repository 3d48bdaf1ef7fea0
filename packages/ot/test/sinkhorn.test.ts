import { Matrix } from '@lr/core';
import { describe, expect, it } from 'vitest';
import { emd } from '../src/emd.js';
import { type SinkhornMethod, sinkhorn } from '../src/sinkhorn.js';
import { colSums, histogram, maxAbsDiff, randomCost, rowSums } from './helpers.js';

const methods: SinkhornMethod[] = ['sinkhorn', 'log', 'stabilized'];

describe('sinkhorn', () => {
  const n = 25;
  const m = 18;
  const a = histogram(n, 1);
  const b = histogram(m, 2);
  const M = randomCost(n, m, 3);

  it.each(methods)('%s: marginals hold at convergence', (method) => {
    const r = sinkhorn(a, b, M, { reg: 0.05, method, numItermax: 5000 });
    expect(r.converged).toBe(true);
    expect(r.status).toBe('converged');
    expect(r.history[r.history.length - 1]).toBeLessThan(1e-9);
    expect(maxAbsDiff(colSums(r.plan), b)).toBeLessThan(1e-9);
    expect(maxAbsDiff(rowSums(r.plan), a)).toBeLessThan(1e-12);
    // the plan is diag(u) K diag(v) and the cost is ⟨P, M⟩
    let cost = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < m; j++) {
        const pij = r.u[i] * Math.exp(-M.get(i, j) / 0.05) * r.v[j];
        expect(Math.abs(r.plan.get(i, j) - pij)).toBeLessThan(1e-12 * Math.max(1, pij));
        cost += pij * M.get(i, j);
      }
    expect(r.cost).toBeCloseTo(cost, 12);
  });

  it('log and stabilized agree with plain where plain does not underflow', () => {
    const opts = { reg: 0.02, numItermax: 20000, stopThr: 1e-11 };
    const plain = sinkhorn(a, b, M, opts);
    for (const method of ['log', 'stabilized'] as const) {
      const r = sinkhorn(a, b, M, { ...opts, method });
      expect(r.converged).toBe(true);
      expect(Math.abs(r.iterations - plain.iterations)).toBeLessThanOrEqual(10);
      expect(maxAbsDiff(r.plan.toFloat64Array(), plain.plan.toFloat64Array())).toBeLessThan(1e-10);
      expect(r.cost).toBeCloseTo(plain.cost, 10);
    }
  });

  it('the iterates are identical: the same history for every method', () => {
    const opts = { reg: 0.05, numItermax: 200, stopThr: 0, checkEvery: 1 };
    const h0 = sinkhorn(a, b, M, opts).history;
    for (const method of ['log', 'stabilized'] as const) {
      const h = sinkhorn(a, b, M, { ...opts, method }).history;
      expect(h.length).toBe(200);
      for (let k = 0; k < 60; k++)
        expect(Math.abs(h[k] - h0[k])).toBeLessThan(1e-12 + 1e-9 * h0[k]);
    }
  });

  it('tiny reg: plain reports a numerical error, log and stabilized converge', () => {
    // point 0 of a lies ≥ 8 away from every target: its row of exp(−M/reg) underflows to
    // 0 at reg = 0.01 (8/0.01 > 745); the OT problem itself is harmless
    const C = new Matrix(
      randomCost(12, 12, 9)
        .toFloat64Array()
        .map((x, k) => x + (k < 12 ? 8 : 0)),
      12,
      12,
    );
    const w = new Float64Array(12).fill(1 / 12);
    const reg = 0.01;
    const plain = sinkhorn(w, w, C, { reg, numItermax: 20000 });
    expect(plain.converged).toBe(false);
    expect(plain.status).toBe('numerical-error');
    expect(() => sinkhorn(w, w, C, { reg, throwOnNotConverged: true })).toThrow(
      expect.objectContaining({ code: 'NOT_CONVERGED' }),
    );
    const exact = emd(w, w, C).cost;
    for (const method of ['log', 'stabilized'] as const) {
      const r = sinkhorn(w, w, C, { reg, method, numItermax: 20000 });
      expect(r.converged).toBe(true);
      expect(r.plan.toFloat64Array().every(Number.isFinite)).toBe(true);
      expect(maxAbsDiff(colSums(r.plan), w)).toBeLessThan(1e-9);
      expect(maxAbsDiff(rowSums(r.plan), w)).toBeLessThan(1e-9);
      expect(r.cost).toBeGreaterThanOrEqual(exact - 1e-9);
      expect(r.cost - exact).toBeLessThan(0.05 * exact);
    }
  });

  it('entropic cost → exact cost as reg → 0 (gap shrinks monotonically, ≈ linearly)', () => {
    const exact = emd(a, b, M).cost;
    const gaps: number[] = [];
    for (const reg of [0.1, 0.03, 0.01, 0.003, 0.001]) {
      const r = sinkhorn(a, b, M, { reg, method: 'log', numItermax: 100000, stopThr: 1e-10 });
      expect(r.converged).toBe(true);
      expect(r.cost).toBeGreaterThanOrEqual(exact - 1e-9);
      gaps.push(r.cost - exact);
    }
    for (let k = 1; k < gaps.length; k++) expect(gaps[k]).toBeLessThan(gaps[k - 1]);
    expect(gaps[gaps.length - 1]).toBeLessThan(3e-3 * exact + 1e-4);
  });

  it('the dual objective equals the primal at convergence', () => {
    const reg = 0.05;
    const r = sinkhorn(a, b, M, { reg, method: 'log', stopThr: 1e-12, numItermax: 10000 });
    // primal ⟨P, M⟩ + reg·Σ P(log P − 1) = dual ⟨a, f⟩ + ⟨b, g⟩ − reg·Σ P
    let primal = r.cost;
    let mass = 0;
    for (const p of r.plan.toFloat64Array()) {
      primal += reg * p * (Math.log(p) - 1);
      mass += p;
    }
    let dual = -reg * mass;
    for (let i = 0; i < n; i++) dual += a[i] * r.f[i];
    for (let j = 0; j < m; j++) dual += b[j] * r.g[j];
    expect(Math.abs(primal - dual)).toBeLessThan(1e-10);
  });

  it('empty a, b mean uniform; warm start from a solution converges at once', () => {
    const r = sinkhorn([], [], M, { reg: 0.05 });
    expect(maxAbsDiff(rowSums(r.plan), new Float64Array(n).fill(1 / n))).toBeLessThan(1e-12);
    const w = sinkhorn([], [], M, { reg: 0.05, warmstart: { f: r.f, g: r.g } });
    expect(w.iterations).toBe(1);
    expect(w.converged).toBe(true);
  });

  it('respects numItermax and reports converged: false', () => {
    const r = sinkhorn(a, b, M, { reg: 0.001, numItermax: 15 });
    expect(r.iterations).toBe(15);
    expect(r.converged).toBe(false);
    expect(r.status).toBe('max-iterations');
    expect(r.history.length).toBe(2); // checks at iterations 1 and 11
  });

  it('does not mutate its inputs', () => {
    const a2 = Float64Array.from(a);
    const Md = M.toFloat64Array();
    sinkhorn(a2, b, M, { reg: 0.05, method: 'stabilized' });
    expect(Array.from(a2)).toEqual(Array.from(a));
    expect(Array.from(M.toFloat64Array())).toEqual(Array.from(Md));
  });

  it('documents the example', () => {
    const r = sinkhorn(
      [0.5, 0.5],
      [0.5, 0.5],
      Matrix.from([
        [0, 1],
        [1, 0],
      ]),
      { reg: 0.1 },
    );
    expect(r.plan.get(0, 0)).toBeCloseTo(0.5 / (1 + Math.exp(-10)), 9);
  });
});
