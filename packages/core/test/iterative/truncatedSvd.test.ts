import { type LinearOperator, Matrix, matmul, truncatedSvd } from '@lr/core';
import { describe, expect, it } from 'vitest';
import { orthogonalityError } from '../helpers.js';
import { fixtures, lowRankPlusNoise, maxDiff, withSpectrum } from './_problems.js';

function reconstructionGap(
  A: Matrix,
  r: { U: Matrix; S: Float64Array; Vt: Matrix },
  k: number,
): number {
  // ‖Uᵀ·A − diag(S)·Vt‖_max: the triplets are consistent with A
  const UtA = matmul(r.U.T, A);
  let d = 0;
  for (let i = 0; i < k; i++)
    for (let j = 0; j < A.cols; j++)
      d = Math.max(d, Math.abs(UtA.get(i, j) - r.S[i]! * r.Vt.get(i, j)));
  return d;
}

describe('truncatedSvd', () => {
  const f = fixtures.lowRank;
  const L = lowRankPlusNoise(f.seed, f.m, f.n, f.r, f.noise);

  it.each(['exact', 'lanczos', 'randomized'] as const)(
    '%s matches numpy on a low-rank + noise matrix',
    (method) => {
      const r = truncatedSvd(L, { rank: 8, method, seed: 1 });
      expect(r.method).toBe(method);
      expect(maxDiff(r.S, f.s.slice(0, 8))).toBeLessThan(1e-10);
      expect(r.U.rows).toBe(f.m);
      expect(r.U.cols).toBe(8);
      expect(r.Vt.rows).toBe(8);
      expect(r.Vt.cols).toBe(f.n);
      expect(orthogonalityError(r.U)).toBeLessThan(200);
      expect(orthogonalityError(r.Vt.T)).toBeLessThan(200);
      expect(reconstructionGap(L, r, 8)).toBeLessThan(1e-9);
      expect(r.converged).toBe(true);
    },
  );

  it('lanczos works on wide matrices and on operators, and agrees with exact singular vectors up to sign rules', () => {
    const ex = truncatedSvd(L, { rank: 5, method: 'exact' });
    const wide = truncatedSvd(L.T, { rank: 5, method: 'lanczos' });
    expect(maxDiff(wide.S, ex.S)).toBeLessThan(1e-10);
    const op: LinearOperator = {
      rows: L.rows,
      cols: L.cols,
      matvec: (x) => matmul(L, Matrix.fromData(Float64Array.from(x), L.cols, 1)).toFloat64Array(),
      rmatvec: (y) =>
        matmul(L.T, Matrix.fromData(Float64Array.from(y), L.rows, 1)).toFloat64Array(),
    };
    const lz = truncatedSvd(op, { rank: 5, method: 'lanczos' });
    expect(maxDiff(lz.S, ex.S)).toBeLessThan(1e-10);
    // same sign convention (largest |U_ij| positive), so the vectors agree directly
    expect(maxDiff(lz.U.data, ex.U.data)).toBeLessThan(1e-7);
    expect(maxDiff(lz.Vt.data, ex.Vt.data)).toBeLessThan(1e-7);
    // exact on an operator materializes it
    const eo = truncatedSvd(op, { rank: 5, method: 'exact' });
    expect(maxDiff(eo.S, ex.S)).toBeLessThan(1e-12);
  });

  it("'auto' picks exact for small inputs and lanczos for large ones with a small rank", () => {
    expect(truncatedSvd(L, { rank: 3 }).method).toBe('exact');
    const big = withSpectrum(
      280,
      260,
      Array.from({ length: 20 }, (_, i) => 2 ** -i),
      5,
    );
    const r = truncatedSvd(big, { rank: 4 });
    expect(r.method).toBe('lanczos');
    expect(maxDiff(r.S, [1, 0.5, 0.25, 0.125])).toBeLessThan(1e-10);
    expect(truncatedSvd(big, { rank: 65 }).method).toBe('exact'); // 4·rank ≥ min(m, n)
  });

  it('rank = min(m, n) is allowed for every method', () => {
    const A = withSpectrum(12, 7, [7, 6, 5, 4, 3, 2, 1], 2);
    for (const method of ['exact', 'lanczos', 'randomized'] as const) {
      const r = truncatedSvd(A, { rank: 7, method });
      expect(maxDiff(r.S, [7, 6, 5, 4, 3, 2, 1])).toBeLessThan(1e-9);
    }
  });

  it('stops with ABORTED when the signal fires during Lanczos', () => {
    const ctrl = new AbortController();
    expect(() =>
      truncatedSvd(L, {
        rank: 10,
        method: 'lanczos',
        tol: 1e-14,
        signal: ctrl.signal,
        onProgress: () => ctrl.abort(),
      }),
    ).toThrow(expect.objectContaining({ code: 'ABORTED' }));
  });
});
