import { Rng } from '@lr/core';
import { describe, expect, test } from 'vitest';
import { type CompletionMethod, completeMatrix, ObservedEntries } from '../src/index.js';
import { lowRank, relativeError, sampleEntries } from './_synthetic.js';

const samples = (n: number, k: number, C: number) => Math.round(C * n * k * Math.log(n));

describe('#1: exact recovery of incoherent low-rank matrices', () => {
  test.each([
    ['altmin', 120, 3],
    ['robust-altmin', 120, 3],
    ['altmin', 150, 5],
    ['robust-altmin', 150, 5],
  ] as const)(
    '%s recovers an n=%i, rank-%i matrix from 2·n·k·log n entries (rel. Frobenius error < 1e-6)',
    (method, n, k) => {
      const M = lowRank(n, n, k, 11);
      const obs = sampleEntries(M, n, n, samples(n, k, 2), 12);
      const fit = completeMatrix(obs, { rank: k, method, tol: 1e-10 });
      expect(relativeError(M, n, n, fit.predict)).toBeLessThan(1e-6);
      expect(fit.converged).toBe(true);
      expect(fit.U.rows).toBe(n);
      expect(fit.V.cols).toBe(k);
    },
  );

  test('phase transition: fails well below C·n·k·log n, succeeds above (n = 100, k = 2, 3 trials each)', () => {
    const n = 100;
    const k = 2;
    const rate = (C: number, method: CompletionMethod) => {
      let ok = 0;
      for (let t = 0; t < 3; t++) {
        const M = lowRank(n, n, k, 100 + t);
        const fit = completeMatrix(sampleEntries(M, n, n, samples(n, k, C), 200 + t), {
          rank: k,
          method,
          tol: 1e-10,
          maxIterations: 100,
        });
        if (relativeError(M, n, n, fit.predict) < 1e-6) ok++;
      }
      return ok;
    };
    expect(rate(0.3, 'altmin')).toBe(0);
    expect(rate(2, 'altmin')).toBe(3);
    expect(rate(0.3, 'robust-altmin')).toBe(0);
    expect(rate(2, 'robust-altmin')).toBe(3);
  });

  test('robust AltMin counts O(|Ω|·k) row-solve flops per iteration, exact AltMin O(|Ω|·k²)', () => {
    // same Ω for every k, so only k changes
    const n = 200;
    const obs = sampleEntries(lowRank(n, n, 2, 1), n, n, 12000, 2);
    const perIt = (method: CompletionMethod, k: number) => {
      const fit = completeMatrix(obs, { rank: k, method, maxIterations: 2, tol: 0, lambda: 1 });
      return fit.rowSolveFlops / fit.iterations;
    };
    const exact = perIt('altmin', 20) / perIt('altmin', 10);
    const robust = perIt('robust-altmin', 20) / perIt('robust-altmin', 10);
    expect(exact).toBeGreaterThan(3.4); // ≈ 4 = (20/10)²
    expect(robust).toBeGreaterThan(1.8); // ≈ 2 = 20/10
    expect(robust).toBeLessThan(2.2);
    expect(perIt('robust-altmin', 20)).toBeLessThan(perIt('altmin', 20));
  });
});

describe('baselines and options', () => {
  const n = 100;
  const k = 3;
  const M = lowRank(n, n, k, 5);
  const obs = sampleEntries(M, n, n, samples(n, k, 3), 6);

  test('SoftImpute (λ small) and SVT reach small error on an easy noiseless problem', () => {
    const si = completeMatrix(obs, {
      rank: k,
      method: 'softimpute',
      lambda: 1e-3,
      maxIterations: 60,
      tol: 1e-12,
    });
    expect(relativeError(M, n, n, si.predict)).toBeLessThan(1e-2);
    expect(si.history.trainRmse.at(-1)!).toBeLessThan(si.history.trainRmse[0]!);
    const svt = completeMatrix(obs, { rank: k + 2, method: 'svt', maxIterations: 80, tol: 1e-4 });
    const err = relativeError(M, n, n, svt.predict);
    expect(err).toBeLessThan(0.05);
    expect(svt.history.trainRmse.at(-1)!).toBeLessThan(svt.history.trainRmse[0]!);
  });

  test('SVT with a divergent step size reports NOT_CONVERGED instead of returning garbage', () => {
    expect(() =>
      completeMatrix(obs, { rank: k, method: 'svt', stepSize: 1000, maxIterations: 200 }),
    ).toThrow(expect.objectContaining({ code: 'NOT_CONVERGED' }));
  });

  test('biases: μ + b_i + c_j + rank-k is recovered exactly with biases: true', () => {
    const rng = new Rng(9);
    const b = rng.fillNormal(new Float64Array(n));
    const c = rng.fillNormal(new Float64Array(n));
    const Mb = M.map((v, p) => 3.5 + v + b[Math.floor(p / n)]! + c[p % n]!);
    const o = sampleEntries(Mb, n, n, samples(n, k, 3), 10);
    const withB = completeMatrix(o, { rank: k, biases: true, tol: 1e-11, maxIterations: 200 });
    expect(relativeError(Mb, n, n, withB.predict)).toBeLessThan(1e-6);
    expect(withB.mean).not.toBe(0);
    const without = completeMatrix(o, { rank: k, tol: 1e-11, maxIterations: 200 });
    expect(relativeError(Mb, n, n, without.predict)).toBeGreaterThan(1e-3);
  });

  test('held-out history, early stopping returns the best iterate, inputs untouched', () => {
    const rng = new Rng(3);
    const noisy = new ObservedEntries(
      obs.rows,
      obs.cols,
      obs.row,
      obs.col,
      obs.values.map((v) => v + rng.normal()),
    );
    const copy = noisy.values.slice();
    const held = sampleEntries(M, n, n, 500, 77);
    const fit = completeMatrix(noisy, {
      rank: 8,
      heldOut: held,
      earlyStopping: true,
      patience: 2,
      maxIterations: 50,
    });
    expect(noisy.values).toEqual(copy);
    expect(fit.history.heldOutRmse.length).toBe(fit.iterations);
    const best = Math.min(...fit.history.heldOutRmse);
    expect(fit.rmse(held)).toBeCloseTo(best, 12);
    if (fit.stopReason === 'earlyStopping') expect(fit.bestIteration).toBeLessThan(fit.iterations);
  });

  test('determinism, progress, abort, hostile options', () => {
    const a = completeMatrix(obs, {
      rank: k,
      method: 'robust-altmin',
      maxIterations: 3,
      init: 'random',
      seed: 4,
    });
    const b = completeMatrix(obs, {
      rank: k,
      method: 'robust-altmin',
      maxIterations: 3,
      init: 'random',
      seed: 4,
    });
    expect(a.U.data).toEqual(b.U.data);
    let calls = 0;
    completeMatrix(obs, { rank: k, maxIterations: 4, tol: 0, onProgress: () => calls++ });
    expect(calls).toBe(4);
    const ctl = new AbortController();
    ctl.abort();
    const bad: [unknown, string][] = [
      [{ rank: 0 }, 'INVALID_ARGUMENT'],
      [{ rank: n + 1 }, 'INVALID_ARGUMENT'],
      [{ rank: 1.5 }, 'INVALID_ARGUMENT'],
      [{ rank: 2, method: 'als' }, 'INVALID_ARGUMENT'],
      [{ rank: 2, lambda: -1 }, 'INVALID_ARGUMENT'],
      [{ rank: 2, lambda: Number.NaN }, 'INVALID_ARGUMENT'],
      [{ rank: 2, tol: Number.POSITIVE_INFINITY }, 'INVALID_ARGUMENT'],
      [{ rank: 2, biases: 'yes' }, 'INVALID_ARGUMENT'],
      [{ rank: 2, earlyStopping: true }, 'INVALID_ARGUMENT'],
      [{ rank: 2, heldOut: ObservedEntries.fromTriplets(3, 3, [], [], []) }, 'SHAPE_MISMATCH'],
      [{ rank: 2, signal: ctl.signal }, 'ABORTED'],
      [{ rank: 2, onProgress: 5 }, 'INVALID_ARGUMENT'],
      [undefined, 'INVALID_ARGUMENT'],
      [null, 'INVALID_ARGUMENT'],
    ];
    for (const [opts, code] of bad) {
      expect(() => completeMatrix(obs, opts as never)).toThrow(expect.objectContaining({ code }));
    }
    expect(() =>
      completeMatrix(ObservedEntries.fromTriplets(4, 4, [], [], []), { rank: 1 }),
    ).toThrow(/at least one/);
    // edge shapes: a single row, rank = min(m, n), rows and columns without observations
    const one = completeMatrix(ObservedEntries.fromTriplets(1, 4, [0, 0], [0, 2], [1, 3]), {
      rank: 1,
      maxIterations: 5,
    });
    expect(one.predict(0, 2)).toBeCloseTo(3, 6);
    for (const method of ['altmin', 'robust-altmin', 'softimpute', 'svt'] as const) {
      const sparse = ObservedEntries.fromTriplets(5, 5, [0, 1, 2], [0, 1, 1], [1, 2, 3]);
      const f = completeMatrix(sparse, {
        rank: 5,
        method,
        biases: true,
        lambda: 0.1,
        maxIterations: 5,
      });
      expect(Number.isFinite(f.predict(4, 4))).toBe(true);
    }
    expect(() => completeMatrix({} as ObservedEntries, { rank: 1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => a.predict(n, 0)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
