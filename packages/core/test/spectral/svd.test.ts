// svd / singularValues / svdReconstruct: LAPACK-style scaled residuals and orthogonality,
// agreement with numpy and with 60-digit mpmath values, edge shapes, views, hostile input.

import {
  EPS,
  eye,
  Matrix,
  matmul,
  randn,
  singularValues,
  svd,
  svdReconstruct,
  Tensor,
  zeros,
} from '@lr/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffFro, fro, hilbert, orthogonalityError, scaledResidual } from '../helpers.js';
import { CASES, load } from './_fixtures.js';

const eps = EPS.float64;
const LIMIT = 30; // LAPACK's test threshold for scaled ratios

/** U[:, :k]·diag(S)·Vt[:k, :] computed with plain loops (independent of the kernels). */
function reconstruct(U: Matrix, S: Float64Array, Vt: Matrix): Matrix {
  const out = zeros(U.rows, Vt.cols);
  for (let i = 0; i < U.rows; i++) {
    for (let j = 0; j < Vt.cols; j++) {
      let s = 0;
      for (let p = 0; p < S.length; p++) s += U.get(i, p) * S[p]! * Vt.get(p, j);
      out.set(i, j, s);
    }
  }
  return out;
}

/** Checks every property of a (thin or full) SVD of A and returns the worst ratio. */
function checkSvd(A: Matrix, full = false): number {
  const { U, S, Vt } = svd(A, { full });
  const m = A.rows;
  const n = A.cols;
  const k = Math.min(m, n);
  expect(U!.rows).toBe(m);
  expect(U!.cols).toBe(full ? m : k);
  expect(Vt!.rows).toBe(full ? n : k);
  expect(Vt!.cols).toBe(n);
  expect(S.length).toBe(k);
  for (let i = 0; i < k; i++) {
    expect(S[i]).toBeGreaterThanOrEqual(0);
    if (i > 0) expect(S[i]).toBeLessThanOrEqual(S[i - 1]!);
  }
  const ratios = [
    scaledResidual(A, reconstruct(U!, S, Vt!)),
    orthogonalityError(U!),
    orthogonalityError(Vt!.T),
  ];
  for (const r of ratios) expect(r).toBeLessThan(LIMIT);
  return Math.max(...ratios);
}

function spectralNorm(c: { svd?: number[] }): number {
  return c.svd!.length > 0 ? c.svd![0]! : 0;
}

describe('svd on the fixture zoo', () => {
  for (const c of CASES.filter((x) => x.svd)) {
    it(`${c.name} (${c.note}): residual, orthogonality, numpy values`, () => {
      const A = load(c);
      checkSvd(A);
      checkSvd(A, true);
      const { S } = svd(A);
      const n = Math.max(A.rows, A.cols);
      const ref = c.svd!;
      for (let i = 0; i < S.length; i++) {
        // every value to absolute n·ε·‖A‖₂ ...
        expect(Math.abs(S[i]! - ref[i]!)).toBeLessThanOrEqual(n * eps * spectralNorm(c));
        // ... and to relative accuracy when A is well conditioned
        if (c.wellConditioned) expect(Math.abs(S[i]! - ref[i]!) / ref[i]!).toBeLessThan(1e-13);
      }
    });
  }

  it('bidiagonal graded over 22 decades: every singular value to high relative accuracy', () => {
    // A bidiagonal input passes through the reduction exactly, so the Demmel–Kahan
    // iteration must deliver even σ ≈ 1e-22 to a few ulps (mpmath, 60 digits).
    const c = CASES.find((x) => x.name === 'bidiagonal_graded_12')!;
    const S = svd(load(c)).S;
    const ref = c.svdExact!;
    expect(ref[11]! / ref[0]!).toBeLessThan(1e-20);
    for (let i = 0; i < S.length; i++) {
      expect(Math.abs(S[i]! - ref[i]!) / ref[i]!).toBeLessThan(12 * eps);
    }
    // valuesOnly follows the same arithmetic
    expect(Array.from(singularValues(load(c)))).toEqual(Array.from(S));
  });

  it('bidiagonal with a tiny entry in the middle: σ_min ≈ 2e-18 to relative accuracy', () => {
    // Here a shifted sweep (shift ≈ 0.2) would leave σ_min with an absolute error ≈ ε·0.2,
    // i.e. a relative error near 10; the zero-shift sweep keeps it to a few ulps.
    const c = CASES.find((x) => x.name === 'bidiagonal_hidden_small_10')!;
    const S = svd(load(c)).S;
    const ref = c.svdExact!;
    expect(ref[9]!).toBeLessThan(1e-17);
    for (let i = 0; i < S.length; i++) {
      expect(Math.abs(S[i]! - ref[i]!) / ref[i]!).toBeLessThan(10 * 10 * eps);
    }
  });

  it('Kahan matrix: the tiny last singular value to relative accuracy 1e-14', () => {
    const c = CASES.find((x) => x.name === 'kahan_12')!;
    const S = svd(load(c)).S;
    const ref = c.svdExact!;
    for (let i = 0; i < S.length; i++)
      expect(Math.abs(S[i]! - ref[i]!) / ref[i]!).toBeLessThan(1e-14);
  });

  it('rank 3 of 20×15: three large values, the rest at round-off level', () => {
    const c = CASES.find((x) => x.name === 'rank3_20x15')!;
    const S = svd(load(c)).S;
    expect(S[2]! / S[0]!).toBeGreaterThan(1e-3);
    for (let i = 3; i < S.length; i++) expect(S[i]! / S[0]!).toBeLessThan(20 * eps);
  });

  it('repeated singular values: the multiplicities come out and U, V stay orthogonal', () => {
    const c = CASES.find((x) => x.name === 'repeated_16x10')!;
    const S = svd(load(c)).S;
    const want = [5, 5, 5, 2, 2, 1, 1, 1, 1, 0.5];
    for (let i = 0; i < want.length; i++)
      expect(Math.abs(S[i]! - want[i]!)).toBeLessThan(16 * 5 * eps);
  });
});

describe('svd edge shapes', () => {
  it('1×1: |a| with the sign carried by U (largest entry of U positive)', () => {
    const { U, S, Vt } = svd(Matrix.from([[-2.5]]));
    expect(Array.from(S)).toEqual([2.5]);
    expect(U!.get(0, 0)).toBe(1);
    expect(Vt!.get(0, 0)).toBe(-1);
  });

  it('0×5 and 5×0: empty S; thin factors empty, full factors identities', () => {
    for (const [m, n] of [
      [0, 5],
      [5, 0],
      [0, 0],
    ] as const) {
      const A = zeros(m, n);
      const thin = svd(A);
      expect(thin.S.length).toBe(0);
      expect([thin.U!.rows, thin.U!.cols, thin.Vt!.rows, thin.Vt!.cols]).toEqual([m, 0, 0, n]);
      const full = svd(A, { full: true });
      expect(full.U!.toArray()).toEqual(eye(m).toArray());
      expect(full.Vt!.toArray()).toEqual(eye(n).toArray());
      expect(singularValues(A).length).toBe(0);
    }
  });

  it('zero matrix: zero singular values, orthonormal factors, exact reconstruction', () => {
    for (const [m, n] of [
      [6, 4],
      [4, 6],
      [5, 5],
    ] as const) {
      const A = zeros(m, n);
      const { U, S, Vt } = svd(A, { full: true });
      expect(Array.from(S)).toEqual(new Array(Math.min(m, n)).fill(0));
      expect(orthogonalityError(U!)).toBeLessThan(LIMIT);
      expect(orthogonalityError(Vt!.T)).toBeLessThan(LIMIT);
    }
  });

  it('a single row and a single column', () => {
    const r = Matrix.from([[3, 0, -4]]);
    expect(Array.from(svd(r).S)).toEqual([5]);
    checkSvd(r, true);
    expect(Array.from(svd(r.T).S)).toEqual([5]);
    checkSvd(r.T, true);
  });

  it('exact zeros on the diagonal and in the middle of the bidiagonal', () => {
    const A = Matrix.from([
      [1, 2, 0, 0],
      [0, 0, 3, 0],
      [0, 0, 0, 4],
      [0, 0, 0, 0],
    ]);
    checkSvd(A);
    const S = svd(A).S;
    expect(S[3]).toBe(0);
    // σ² are the eigenvalues of AᵀA = diag-block [[1,2],[2,4]] ⊕ 9 ⊕ 16 → 16, 9, 5, 0
    expect(S[0]).toBeCloseTo(4, 14);
    expect(S[1]).toBeCloseTo(3, 14);
    expect(S[2]).toBeCloseTo(Math.sqrt(5), 14);
  });

  it('diagonal input gives |diagonal| sorted, exactly', () => {
    const d = [0.5, -3, 1e-300, 2, -7e10];
    const A = zeros(5, 5);
    for (const [i, v] of d.entries()) A.set(i, i, v);
    expect(Array.from(svd(A).S)).toEqual(d.map(Math.abs).sort((a, b) => b - a));
  });
});

describe('svd on views, dtypes and extreme scales', () => {
  const base = randn(9, 7, { seed: 11 });
  const ref = svd(base).S;

  it('transposed view: same singular values, valid factors', () => {
    checkSvd(base.T, true);
    const S = svd(base.T).S;
    for (let i = 0; i < S.length; i++)
      expect(Math.abs(S[i]! - ref[i]!)).toBeLessThan(10 * eps * ref[0]!);
  });

  it('sub-block of a larger matrix and a negative-stride view', () => {
    const big = randn(15, 12, { seed: 12 });
    const blk = big.block(3, 2, 9, 7);
    checkSvd(blk);
    expect(Array.from(svd(blk).S)).toEqual(Array.from(svd(blk.clone()).S));
    // rows reversed (row stride −cols): a row permutation leaves Σ unchanged
    const rev = new Matrix(base.data, 9, 7, -7, 1, 8 * 7);
    checkSvd(rev);
    const S = svd(rev).S;
    for (let i = 0; i < S.length; i++)
      expect(Math.abs(S[i]! - ref[i]!)).toBeLessThan(10 * eps * ref[0]!);
  });

  it('float32 input is computed in float64', () => {
    const A32 = base.astype('float32');
    const { U, S } = svd(A32);
    expect(S).toBeInstanceOf(Float64Array);
    expect(U!.dtype).toBe('float64');
    checkSvd(A32);
  });

  it('entries near overflow and underflow are scaled, not lost', () => {
    for (const scale of [1e300, 1e160, 1e-160, 1e-300]) {
      const A = base.clone();
      for (let i = 0; i < A.data.length; i++) A.data[i] = A.data[i]! * scale;
      const { U, S, Vt } = svd(A);
      for (let i = 0; i < S.length; i++) {
        expect(Number.isFinite(S[i]!)).toBe(true);
        expect(Math.abs(S[i]! - ref[i]! * scale) / (ref[0]! * scale)).toBeLessThan(1e-14);
      }
      expect(orthogonalityError(U!)).toBeLessThan(LIMIT);
      expect(orthogonalityError(Vt!.T)).toBeLessThan(LIMIT);
    }
  });

  it('Hilbert 12×12 (κ ≈ 1.7e16): residual and orthogonality stay at round-off', () => {
    checkSvd(hilbert(12), true);
  });
});

describe('svd properties', () => {
  it('random shapes up to 14×14: residual and orthogonality below 30 (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 14 }),
        fc.integer({ min: 1, max: 14 }),
        fc.integer(),
        fc.boolean(),
        (m, n, seed, full) => {
          checkSvd(randn(m, n, { seed }), full);
        },
      ),
      { numRuns: 60, seed: 20240501 },
    );
  });

  it('rank-deficient products with repeated rows (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer(),
        (m, n, r, seed) => {
          const A = matmul(randn(m, r, { seed }), randn(r, n, { seed: seed ^ 0x5a5a }));
          for (let j = 0; j < n; j++) A.set(m - 1, j, A.get(0, j)); // duplicate a row
          checkSvd(A);
          const S = svd(A).S;
          for (let i = r; i < S.length; i++)
            expect(S[i]!).toBeLessThanOrEqual(30 * Math.max(m, n) * eps * S[0]!);
        },
      ),
      { numRuns: 40, seed: 7 },
    );
  });

  it('valuesOnly gives bit-identical singular values', () => {
    for (const [m, n] of [
      [30, 20],
      [20, 30],
      [25, 25],
    ] as const) {
      const A = randn(m, n, { seed: m * n });
      const a = svd(A).S;
      const b = svd(A, { valuesOnly: true });
      expect(b.U).toBeNull();
      expect(b.Vt).toBeNull();
      expect(Array.from(b.S)).toEqual(Array.from(a));
      expect(Array.from(singularValues(A))).toEqual(Array.from(a));
    }
  });

  it('thin and full agree on S and on the leading vectors', () => {
    const A = randn(13, 6, { seed: 5 });
    const t = svd(A);
    const f = svd(A, { full: true });
    expect(Array.from(f.S)).toEqual(Array.from(t.S));
    expect(diffFro(f.U!.colRange(0, 6), t.U!)).toBe(0);
    expect(diffFro(f.Vt!, t.Vt!)).toBe(0);
  });

  it('sign convention: the largest-magnitude entry of every column of U is positive', () => {
    for (const [m, n] of [
      [8, 5],
      [5, 8],
    ] as const) {
      const { U } = svd(randn(m, n, { seed: 3 }), { full: true });
      for (let j = 0; j < U!.cols; j++) {
        const col = U!.colArray(j);
        let best = 0;
        for (let i = 1; i < col.length; i++) if (Math.abs(col[i]!) > Math.abs(col[best]!)) best = i;
        expect(col[best]).toBeGreaterThan(0);
      }
    }
  });

  it('does not mutate its input (contiguous or strided)', () => {
    const A = randn(10, 7, { seed: 9 });
    const before = Float64Array.from(A.data);
    svd(A, { full: true });
    svd(A.T);
    svd(A.block(1, 1, 5, 5), { valuesOnly: true });
    expect(Array.from(A.data)).toEqual(Array.from(before));
  });

  it('svd of 60×40 in the same run agrees with singular values of the transpose', () => {
    const A = randn(60, 40, { seed: 60 });
    const s1 = svd(A).S;
    const s2 = svd(A.T.clone()).S;
    for (let i = 0; i < 40; i++) expect(Math.abs(s1[i]! - s2[i]!)).toBeLessThan(60 * eps * s1[0]!);
  });
});

describe('svdReconstruct', () => {
  const A = randn(12, 9, { seed: 21 });
  const res = svd(A);

  it('gives back A to round-off, from thin or full factors', () => {
    expect(scaledResidual(A, svdReconstruct(res))).toBeLessThan(LIMIT);
    expect(scaledResidual(A, svdReconstruct(svd(A, { full: true })))).toBeLessThan(LIMIT);
    expect(scaledResidual(A.T, svdReconstruct(svd(A.T, { full: true })))).toBeLessThan(LIMIT);
  });

  it('rank r truncation has the Eckart–Young error √(Σ_{i≥r} σᵢ²)', () => {
    for (const r of [0, 1, 4, 9]) {
      const Ar = svdReconstruct(res, { rank: r });
      let tail = 0;
      for (let i = r; i < res.S.length; i++) tail += res.S[i]! ** 2;
      expect(Math.abs(diffFro(A, Ar) - Math.sqrt(tail))).toBeLessThan(100 * eps * fro(A));
    }
  });

  it('rejects results without factors, bad ranks and mismatched shapes', () => {
    const codeOf = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as { code?: string }).code;
      }
      return 'no error';
    };
    expect(codeOf(() => svdReconstruct(svd(A, { valuesOnly: true })))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => svdReconstruct(null as never))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => svdReconstruct(res, { rank: 10 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => svdReconstruct(res, { rank: -1 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => svdReconstruct(res, { rank: 1.5 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => svdReconstruct({ ...res, S: new Float64Array(10) }))).toBe(
      'SHAPE_MISMATCH',
    );
    expect(codeOf(() => svdReconstruct({ ...res, S: Float64Array.of(1, NaN) }))).toBe('NON_FINITE');
    expect(codeOf(() => svdReconstruct({ ...res, S: [1, 2] as never }))).toBe('INVALID_ARGUMENT');
  });
});

describe('svd hostile input', () => {
  const codeOf = (f: () => unknown): string | undefined => {
    try {
      f();
    } catch (e) {
      return (e as { code?: string }).code;
    }
    return 'no error';
  };

  it('NaN or ±Infinity anywhere → NON_FINITE, before any work', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const A = randn(6, 4, { seed: 1 });
      A.set(5, 3, bad);
      expect(codeOf(() => svd(A))).toBe('NON_FINITE');
      expect(codeOf(() => svd(A.T, { valuesOnly: true }))).toBe('NON_FINITE');
      expect(codeOf(() => singularValues(A))).toBe('NON_FINITE');
    }
    const A = randn(3, 3, { seed: 1 });
    A.set(1, 2, NaN);
    expect(() => svd(A)).toThrow(/A: expected finite values, found NaN at \(1, 2\)/);
  });

  it('non-matrices → INVALID_ARGUMENT, 3-d tensors → SHAPE_MISMATCH', () => {
    for (const bad of [
      null,
      undefined,
      3,
      'A',
      [[1, 2]],
      { rows: 1, cols: 1 },
      new Float64Array(4),
    ]) {
      expect(codeOf(() => svd(bad as never))).toBe('INVALID_ARGUMENT');
      expect(codeOf(() => singularValues(bad as never))).toBe('INVALID_ARGUMENT');
    }
    expect(codeOf(() => svd(new Tensor(new Float64Array(8), [2, 2, 2]) as never))).toBe(
      'SHAPE_MISMATCH',
    );
  });

  it('bad options → INVALID_ARGUMENT naming the option', () => {
    const A = randn(3, 3, { seed: 1 });
    expect(codeOf(() => svd(A, { valuesOnly: 'yes' as never }))).toBe('INVALID_ARGUMENT');
    expect(() => svd(A, { full: 1 as never })).toThrow(
      /options\.full: expected true or false, got 1/,
    );
    expect(codeOf(() => svd(A, 'full' as never))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => svd(A, null as never))).toBe('INVALID_ARGUMENT');
  });
});
