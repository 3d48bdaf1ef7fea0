import { gemv, LrError, Matrix, matmul, Rng, randn } from '@lr/core';
import { describe, expect, it } from 'vitest';
import {
  leverageScores,
  lewisWeights,
  lpSensitivities,
  ridgeLeverageScores,
  sampleRows,
  sensitivitySample,
  sensitivitySampleSize,
} from '../src/index.js';
import { heavyRows } from './_fixtures.js';

function sumOf(v: Float64Array): number {
  let s = 0;
  for (const x of v) s += x;
  return s;
}

function pnorm(v: Float64Array, p: number): number {
  let s = 0;
  for (const x of v) s += Math.abs(x) ** p;
  return s ** (1 / p);
}

describe('leverage scores', () => {
  const A = heavyRows(600, 6, 1);
  const exact = leverageScores(A);

  it('exact scores are aᵢᵀ(AᵀA)⁻¹aᵢ, in [0, 1], and sum to d', () => {
    expect(exact.total).toBeCloseTo(6, 10);
    const G = matmul(A.T, A);
    // check three rows against the normal-equations formula
    for (const i of [0, 17, 599]) {
      const ai = A.rowArray(i);
      // solve G·y = aᵢ by Cramer-free Gaussian elimination through lstsq-free normal solve
      const y = solveSpd(G, ai);
      let v = 0;
      for (let j = 0; j < 6; j++) v += ai[j]! * y[j]!;
      expect(exact.scores[i]).toBeCloseTo(v, 10);
    }
    for (const s of exact.scores) {
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1 + 1e-12);
    }
  });

  it('are invariant to a change of basis A → A·T', () => {
    const T = randn(6, 6, { seed: 2 });
    const other = leverageScores(matmul(A, T)).scores;
    for (let i = 0; i < 600; i++) expect(other[i]).toBeCloseTo(exact.scores[i]!, 8);
  });

  it('approximate scores (Drineas et al. 2012) are within a constant factor, (1 ± ε) with larger sketches', () => {
    const ratios = (o: object) => {
      const approx = leverageScores(A, { method: 'approximate', seed: 3, ...o });
      expect(approx.method).toBe('approximate');
      return Array.from(approx.scores, (s, i) => s / exact.scores[i]!).sort((x, y) => x - y);
    };
    // defaults (r₁ = 8d SRHT rows, r₂ = 52 JL columns): a constant factor for 95% of rows.
    // R from a sketch with r₁ rows inflates scores by ≈ r₁/(r₁ − d) on average (48/42 here).
    const r = ratios({});
    expect(r[15]!).toBeGreaterThan(0.5);
    expect(r[585]!).toBeLessThan(2);
    // r₁ = 32d and r₂ = 400 (DMMW's ε-regime): median within 10%, 95% within ±25%
    const t = ratios({ sketchRows: 192, jlDimension: 400 });
    expect(Math.abs(t[300]! - 1)).toBeLessThan(0.1);
    expect(t[15]!).toBeGreaterThan(0.75);
    expect(t[585]!).toBeLessThan(1.25);
  });

  it('ridge scores sum to the effective dimension and tend to leverage scores as λ → 0', () => {
    const B = randn(80, 5, { seed: 4 });
    const lambda = 30;
    const r = ridgeLeverageScores(B, { lambda });
    const ev = eigenvaluesOfGram(B);
    const deff = ev.reduce((s, e) => s + e / (e + lambda), 0);
    expect(r.total).toBeCloseTo(deff, 8);
    const r0 = ridgeLeverageScores(B, { lambda: 1e-12 }).scores;
    const lev = leverageScores(B).scores;
    for (let i = 0; i < 80; i++) expect(r0[i]).toBeCloseTo(lev[i]!, 8);
    expect(() => ridgeLeverageScores(B, { lambda: -1 })).toThrow(LrError);
  });

  it('reject wide matrices, bad methods and non-finite input', () => {
    expect(() => leverageScores(randn(3, 5))).toThrow(LrError);
    expect(() => leverageScores(A, { method: 'fast' as never })).toThrow(LrError);
    const bad = randn(10, 2);
    bad.set(1, 1, Number.NaN);
    expect(() => leverageScores(bad)).toThrow(LrError);
  });
});

describe('Lewis weights (Cohen–Peng fixed point)', () => {
  const A = heavyRows(400, 5, 5);
  it.each([1, 1.5, 3])('p = %s: converge, sum to d, and satisfy the fixed-point equation', (p) => {
    const r = lewisWeights(A, { p });
    expect(r.converged).toBe(true);
    expect(r.iterations).toBeLessThan(100);
    expect(sumOf(r.weights)).toBeCloseTo(5, 6);
    // wᵢ = (aᵢᵀ(AᵀW^{1−2/p}A)⁻¹aᵢ)^{p/2}, checked directly from the normal matrix
    const M = new Matrix(new Float64Array(25), 5, 5);
    for (let i = 0; i < 400; i++) {
      const f = r.weights[i]! ** (1 - 2 / p);
      for (let a = 0; a < 5; a++)
        for (let b = 0; b < 5; b++) M.set(a, b, M.get(a, b) + f * A.get(i, a) * A.get(i, b));
    }
    for (const i of [0, 50, 399]) {
      const ai = A.rowArray(i);
      const y = solveSpd(M, ai);
      let q = 0;
      for (let j = 0; j < 5; j++) q += ai[j]! * y[j]!;
      expect(r.weights[i]! / q ** (p / 2)).toBeCloseTo(1, 7);
    }
  });
  it('p = 2 gives the leverage scores; p ≥ 4 is unsupported', () => {
    const w = lewisWeights(A, { p: 2 }).weights;
    const lev = leverageScores(A).scores;
    for (let i = 0; i < 400; i++) expect(w[i]).toBeCloseTo(lev[i]!, 10);
    expect(() => lewisWeights(A, { p: 4 })).toThrow(LrError);
    let calls = 0;
    lewisWeights(A, { p: 1, onProgress: () => calls++, iterations: 3, tol: 0 });
    expect(calls).toBe(3);
  });
});

describe('ℓp sensitivities', () => {
  const A = heavyRows(300, 4, 2);
  it.each([1, 3])('p = %s: the Lewis-weight upper bounds dominate certified lower bounds', (p) => {
    const r = lpSensitivities(A, { p, lowerBounds: true });
    let violations = 0;
    for (let i = 0; i < 300; i++) {
      if (r.lower![i]! > r.scores[i]! * (1 + 1e-9)) violations++;
      expect(r.scores[i]).toBeLessThanOrEqual(1);
    }
    expect(violations).toBe(0);
    // total sensitivity bounds: 𝔖 ≤ d for p ≤ 2, ≤ d^{p/2} for p > 2
    expect(r.total).toBeLessThanOrEqual((p <= 2 ? 4 : 4 ** (p / 2)) + 1e-9);
    expect(sumOf(r.lower!)).toBeGreaterThan(1);
    // spot-check one lower bound against random directions: sᵢ ≥ |aᵢᵀx|^p/‖Ax‖_p^p for all x
    const rng = new Rng(1);
    for (let t = 0; t < 50; t++) {
      const x = new Float64Array(4).map(() => rng.normal());
      const Ax = gemv(A, x);
      const i = rng.int(300);
      expect(Math.abs(Ax[i]!) ** p / pnorm(Ax, p) ** p).toBeLessThanOrEqual(r.scores[i]! + 1e-12);
    }
  });
  it('p = 2 is exact: the leverage scores', () => {
    const r = lpSensitivities(A, { p: 2, lowerBounds: true });
    const lev = leverageScores(A).scores;
    for (let i = 0; i < 300; i++) {
      expect(r.scores[i]).toBeCloseTo(lev[i]!, 10);
      expect(r.lower![i]).toBeCloseTo(lev[i]!, 8);
    }
  });
});

describe('sensitivitySample', () => {
  const A = heavyRows(500, 4, 8);
  it('weights make ‖SAx‖_p^p unbiased (mean over seeds) and q sums to 1', () => {
    const x = new Float64Array([1, -2, 0.5, 1]);
    const truth = pnorm(gemv(A, x), 1);
    const scores = lpSensitivities(A, { p: 1 }).scores;
    const T = 300;
    const vals: number[] = [];
    for (let s = 0; s < T; s++) {
      const smp = sensitivitySample(A, { p: 1, samples: 20, seed: s, scores });
      vals.push(pnorm(gemv(sampleRows(A, smp), x), 1));
      expect(smp.rows.length).toBe(20);
    }
    const mean = vals.reduce((a, b) => a + b, 0) / T;
    const sd = Math.sqrt(vals.reduce((a, b) => a + (b - mean) ** 2, 0) / (T - 1));
    expect(Math.abs(mean - truth)).toBeLessThan((4 * sd) / Math.sqrt(T));
    const smp = sensitivitySample(A, { p: 1, samples: 5, method: 'uniform' });
    expect(sumOf(smp.probabilities)).toBeCloseTo(1, 12);
    for (const w of smp.weights) expect(w).toBeCloseTo(500 / 5, 9);
  });
  it('never samples a zero-score row and validates its options', () => {
    const scores = new Float64Array(500);
    scores[7] = 1;
    scores[300] = 3;
    const smp = sensitivitySample(A, { samples: 200, scores, seed: 1 });
    for (const r of smp.rows) expect(r === 7 || r === 300).toBe(true);
    expect(() => sensitivitySample(A, { samples: 0 })).toThrow(LrError);
    expect(() => sensitivitySample(A, { samples: 3, scores: new Float64Array(500) })).toThrow(
      LrError,
    );
    expect(() => sensitivitySample(A, { samples: 3, scores: new Float64Array(4) })).toThrow(
      LrError,
    );
    expect(() => sensitivitySample(A, { samples: 3, method: 'magic' as never })).toThrow(LrError);
  });
  it('sensitivitySampleSize follows paper #4 exponents', () => {
    expect(sensitivitySampleSize(10, { p: 1, epsilon: 0.5 })).toBe(400);
    expect(sensitivitySampleSize(10, { p: 3, epsilon: 1 })).toBe(Math.ceil(10 ** (4 / 3)));
    expect(sensitivitySampleSize(10, { p: 2, epsilon: 1 })).toBe(10);
    expect(() => sensitivitySampleSize(0)).toThrow(LrError);
  });
});

describe('claim #4 (Woodruff–Yasuda 2023): ℓp subspace embedding at the paper’s sample counts', () => {
  // n = 2000 rows with log-normal row scales (non-uniform sensitivities), d = 6.
  const n = 2000;
  const d = 6;
  const A = heavyRows(n, d, 1);
  const rng = new Rng(5);
  const xs = Array.from({ length: 150 }, () => new Float64Array(d).map(() => rng.normal()));
  const worst = (SA: Matrix, p: number) => {
    let w = 0;
    for (const x of xs) w = Math.max(w, Math.abs(pnorm(gemv(SA, x), p) / pnorm(gemv(A, x), p) - 1));
    return w;
  };
  it.each([1, 3])('p = %s: ‖SAx‖p ∈ (1 ± 0.5)‖Ax‖p with k = 𝔖^{2/p or 2−2/p}/ε² samples', (p) => {
    const sens = lpSensitivities(A, { p });
    const tau = leverageScores(A).scores;
    const k = sensitivitySampleSize(sens.total, { p, epsilon: 0.5 });
    const mixScores =
      p < 2
        ? tau.map(Math.sqrt) // root-leverage sampling (p < 2)
        : tau.map((t, i) => (0.5 * t) / d + (0.5 * sens.scores[i]!) / sens.total); // the mix (p > 2)
    const eps: Record<string, number[]> = { sensitivity: [], mix: [], uniform: [] };
    for (let seed = 0; seed < 5; seed++) {
      const S1 = sensitivitySample(A, { p, samples: k, seed, scores: sens.scores });
      eps.sensitivity!.push(worst(sampleRows(A, S1), p));
      const S2 = sensitivitySample(A, { p, samples: k, seed, scores: mixScores });
      eps.mix!.push(worst(sampleRows(A, S2), p));
      const S3 = sensitivitySample(A, { p, samples: k, seed, method: 'uniform' });
      eps.uniform!.push(worst(sampleRows(A, S3), p));
    }
    // every draw of the paper's schemes meets ε = 0.5 over the 150 directions …
    expect(Math.max(...eps.sensitivity!)).toBeLessThan(0.5);
    expect(Math.max(...eps.mix!)).toBeLessThan(0.5);
    // … while uniform sampling of the same size does not, on the median draw
    const med = [...eps.uniform!].sort((a, b) => a - b)[2]!;
    expect(med).toBeGreaterThan(Math.max(...eps.sensitivity!));
  });
});

/** Solves the SPD system G·y = r by Cholesky-free Gauss elimination (test reference). */
function solveSpd(G: Matrix, r: Float64Array): Float64Array {
  const n = G.rows;
  const M = G.toArray().map((row, i) => [...row, r[i]!]);
  for (let c = 0; c < n; c++) {
    for (let i = c + 1; i < n; i++) {
      const f = M[i]![c]! / M[c]![c]!;
      for (let j = c; j <= n; j++) M[i]![j]! -= f * M[c]![j]!;
    }
  }
  const y = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = M[i]![n]!;
    for (let j = i + 1; j < n; j++) s -= M[i]![j]! * y[j]!;
    y[i] = s / M[i]![i]!;
  }
  return y;
}

/** Eigenvalues of BᵀB by Jacobi rotations (test reference, small sizes). */
function eigenvaluesOfGram(B: Matrix): number[] {
  const G = matmul(B.T, B).toArray();
  const n = G.length;
  for (let sweep = 0; sweep < 50; sweep++) {
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = G[p]![q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (G[q]![q]! - G[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const gkp = G[k]![p]!;
          const gkq = G[k]![q]!;
          G[k]![p] = c * gkp - s * gkq;
          G[k]![q] = s * gkp + c * gkq;
        }
        for (let k = 0; k < n; k++) {
          const gpk = G[p]![k]!;
          const gqk = G[q]![k]!;
          G[p]![k] = c * gpk - s * gqk;
          G[q]![k] = s * gpk + c * gqk;
        }
      }
  }
  return G.map((row, i) => row[i]!);
}
