// eigh: scaled residual ‖A·V − V·Λ‖, orthogonality, agreement with numpy/mpmath and with
// closed-form spectra, the uplo contract, views, extreme scales and hostile input.

import { EPS, eigh, eye, Matrix, randn, Tensor, zeros } from '@lr/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fro, hilbert, orthogonalityError } from '../helpers.js';
import { CASES, load } from './_fixtures.js';

const eps = EPS.float64;
const LIMIT = 30;

/** Full symmetric matrix from the lower triangle of A (what eigh reads by default). */
function symmetrize(A: Matrix, uplo: 'lower' | 'upper' = 'lower'): Matrix {
  const n = A.rows;
  const S = zeros(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const lower = i >= j ? A.get(i, j) : A.get(j, i);
      const upper = i <= j ? A.get(i, j) : A.get(j, i);
      S.set(i, j, uplo === 'lower' ? lower : upper);
    }
  }
  return S;
}

/** ‖A·V − V·Λ‖_F / (‖A‖_F · n · ε), with plain loops. */
function eigResidual(A: Matrix, values: Float64Array, V: Matrix): number {
  const n = A.rows;
  let s = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let av = 0;
      for (let p = 0; p < n; p++) av += A.get(i, p) * V.get(p, j);
      s += (av - V.get(i, j) * values[j]!) ** 2;
    }
  }
  const a = fro(A);
  if (a === 0) return Math.sqrt(s) === 0 ? 0 : Infinity;
  return Math.sqrt(s) / (a * Math.max(n, 1) * eps);
}

function checkEigh(A: Matrix, uplo: 'lower' | 'upper' = 'lower'): Float64Array {
  const { values, vectors } = eigh(A, { uplo });
  const S = symmetrize(A, uplo);
  const n = A.rows;
  expect(values.length).toBe(n);
  expect(vectors!.rows).toBe(n);
  expect(vectors!.cols).toBe(n);
  for (let i = 1; i < n; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]!);
  expect(eigResidual(S, values, vectors!)).toBeLessThan(LIMIT);
  expect(orthogonalityError(vectors!)).toBeLessThan(LIMIT);
  return values;
}

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return 'no error';
};

describe('eigh on the fixture zoo', () => {
  for (const c of CASES.filter((x) => x.eigh)) {
    it(`${c.name} (${c.note}): residual, orthogonality, numpy values`, () => {
      const A = load(c);
      const values = checkEigh(A);
      const ref = c.eighExact ?? c.eigh!;
      const norm2 = Math.max(...ref.map(Math.abs));
      const n = A.rows;
      for (let i = 0; i < n; i++) {
        expect(Math.abs(values[i]! - ref[i]!)).toBeLessThanOrEqual(n * eps * norm2);
      }
      // the values-only path follows the same arithmetic
      expect(Array.from(eigh(A, { valuesOnly: true }).values)).toEqual(Array.from(values));
    });
  }

  it('known spectrum Q·diag(λ)·Qᵀ: λ back, repeated values included', () => {
    const c = CASES.find((x) => x.name === 'known_spectrum_10')!;
    const values = eigh(load(c)).values;
    const want = [-3, -1, 0, 0, 1e-8, 2, 2, 2, 5, 7];
    for (let i = 0; i < 10; i++)
      expect(Math.abs(values[i]! - want[i]!)).toBeLessThan(10 * 7 * eps * 4);
  });

  it('Wilkinson W21+: the nearly equal top pair is resolved (mpmath, 60 digits)', () => {
    const c = CASES.find((x) => x.name === 'wilkinson_21')!;
    const values = eigh(load(c)).values;
    const ref = c.eighExact!;
    // the top two eigenvalues differ by about 1e-14 relative; both must be right
    expect(ref[20]! - ref[19]!).toBeLessThan(1e-12);
    for (let i = 0; i < 21; i++) expect(Math.abs(values[i]! - ref[i]!)).toBeLessThan(4 * eps * 11);
  });
});

describe('eigh on closed-form spectra', () => {
  it('tridiagonal Toeplitz (2, −1), n = 60: λ_k = 2 − 2·cos(kπ/(n+1))', () => {
    const n = 60;
    const A = zeros(n, n);
    for (let i = 0; i < n; i++) {
      A.set(i, i, 2);
      if (i > 0) A.set(i, i - 1, -1);
    }
    const values = checkEigh(A); // lower triangle only: the upper one is zero here
    for (let k = 1; k <= n; k++) {
      const want = 2 - 2 * Math.cos((k * Math.PI) / (n + 1));
      expect(Math.abs(values[k - 1]! - want)).toBeLessThan(4 * n * eps);
    }
  });

  it('diagonal input: the sorted diagonal, exactly, with a permutation matrix of vectors', () => {
    // (no entry beyond the safe range, so no scaling: a 7e200 entry would scale 1e-300 to 0,
    // as LAPACK dsyev does, which is within the ε·‖A‖ error bound but not exact)
    const d = [3, -1, 0, 1e-300, -7e100, 2];
    const A = zeros(6, 6);
    for (const [i, v] of d.entries()) A.set(i, i, v);
    const { values, vectors } = eigh(A);
    expect(Array.from(values)).toEqual([...d].sort((a, b) => a - b));
    for (let j = 0; j < 6; j++) {
      const col = vectors!.colArray(j);
      expect(Array.from(col.filter((x) => x !== 0))).toEqual([1]);
    }
  });

  it('multiples of the identity: one eigenvalue n times and an orthonormal basis', () => {
    const A = eye(7);
    for (let i = 0; i < 49; i++) A.data[i] *= 4.5;
    const { values, vectors } = eigh(A);
    expect(Array.from(values)).toEqual(new Array(7).fill(4.5));
    expect(orthogonalityError(vectors!)).toBeLessThan(LIMIT);
  });

  it('2×2 [[2, 1], [1, 2]]: λ = 1, 3 with the documented sign convention', () => {
    const { values, vectors } = eigh(
      Matrix.from([
        [2, 1],
        [1, 2],
      ]),
    );
    expect(values[0]).toBeCloseTo(1, 15);
    expect(values[1]).toBeCloseTo(3, 15);
    expect(vectors!.get(0, 1)).toBeCloseTo(Math.SQRT1_2, 15);
    expect(vectors!.get(1, 1)).toBeCloseTo(Math.SQRT1_2, 15);
    // the largest-magnitude entry of every column is positive (the first such on ties)
    expect(vectors!.get(0, 0)).toBeGreaterThan(0);
  });

  it('block diagonal with a block at 1e-160: the tiny block keeps its own relative accuracy', () => {
    // The reduction leaves the blocks uncoupled, the QL iteration splits them and scales the
    // tiny one into range (dsteqr's block scaling), so its eigenvalues match eigh of the
    // block alone, scaled.
    const S1 = symmetrize(randn(3, 3, { seed: 41 }));
    const S2 = symmetrize(randn(4, 4, { seed: 42 }));
    const A = zeros(7, 7);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) A.set(i, j, S1.get(i, j));
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) A.set(3 + i, 3 + j, S2.get(i, j) * 1e-160);
    const values = checkEigh(A);
    const tiny = Array.from(values).filter((v) => Math.abs(v) < 1e-100);
    const ref = eigh(S2).values;
    expect(tiny.length).toBe(4);
    const norm = Math.max(...Array.from(ref, Math.abs));
    for (let i = 0; i < 4; i++)
      expect(Math.abs(tiny[i]! - ref[i]! * 1e-160)).toBeLessThan(8 * eps * norm * 1e-160);
  });

  it('Hilbert 12 (κ ≈ 1.7e16) and a graded D·S·D stay at round-off', () => {
    checkEigh(hilbert(12));
    const n = 14;
    const A = randn(n, n, { seed: 4 });
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) A.set(i, j, A.get(i, j) * 10 ** (-i - j));
    checkEigh(A);
  });
});

describe('eigh contract', () => {
  it('0×0 and 1×1', () => {
    const e0 = eigh(zeros(0, 0));
    expect(e0.values.length).toBe(0);
    expect([e0.vectors!.rows, e0.vectors!.cols]).toEqual([0, 0]);
    const e1 = eigh(Matrix.from([[-4]]));
    expect(Array.from(e1.values)).toEqual([-4]);
    expect(e1.vectors!.toArray()).toEqual([[1]]);
  });

  it('reads only the uplo triangle: garbage (even NaN) in the other one is ignored', () => {
    const S = randn(8, 8, { seed: 31 });
    const A = symmetrize(S);
    const lowerOnly = A.clone();
    const upperOnly = A.clone();
    for (let i = 0; i < 8; i++) {
      for (let j = 0; j < 8; j++) {
        if (j > i) lowerOnly.set(i, j, j === i + 1 ? NaN : 1e6);
        if (j < i) upperOnly.set(i, j, -1e6);
      }
    }
    const ref = eigh(A).values;
    expect(Array.from(eigh(lowerOnly).values)).toEqual(Array.from(ref));
    const up = eigh(upperOnly, { uplo: 'upper' }).values;
    for (let i = 0; i < 8; i++) expect(Math.abs(up[i]! - ref[i]!)).toBeLessThan(8 * eps * 10);
    checkEigh(upperOnly, 'upper');
  });

  it('strided, transposed and float32 views', () => {
    const big = randn(12, 12, { seed: 8 });
    const blk = big.block(2, 3, 7, 7);
    checkEigh(blk);
    expect(Array.from(eigh(blk).values)).toEqual(Array.from(eigh(blk.clone()).values));
    // the lower triangle of Aᵀ is the upper triangle of A
    expect(Array.from(eigh(blk.T).values)).toEqual(Array.from(eigh(blk, { uplo: 'upper' }).values));
    const v32 = eigh(symmetrize(blk).astype('float32'));
    expect(v32.values).toBeInstanceOf(Float64Array);
    expect(v32.vectors!.dtype).toBe('float64');
  });

  it('entries near overflow and underflow are scaled, not lost', () => {
    const A = symmetrize(randn(9, 9, { seed: 6 }));
    const ref = eigh(A).values;
    const norm = Math.max(...Array.from(ref, Math.abs));
    for (const scale of [1e300, 1e160, 1e-160, 1e-300]) {
      const B = A.clone();
      for (let i = 0; i < B.data.length; i++) B.data[i] = B.data[i]! * scale;
      const { values, vectors } = eigh(B);
      for (let i = 0; i < 9; i++) {
        expect(Math.abs(values[i]! - ref[i]! * scale) / (norm * scale)).toBeLessThan(1e-14);
      }
      expect(orthogonalityError(vectors!)).toBeLessThan(LIMIT);
    }
  });

  it('random symmetric matrices up to 16×16 (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 16 }),
        fc.integer(),
        fc.integer({ min: -3, max: 3 }),
        (n, seed, logScale) => {
          const A = randn(n, n, { seed });
          for (let i = 0; i < A.data.length; i++) A.data[i] = A.data[i]! * 10 ** logScale;
          checkEigh(A);
          checkEigh(A, 'upper');
        },
      ),
      { numRuns: 50, seed: 99 },
    );
  });

  it('low-rank PSD matrices keep their zero eigenvalues at round-off (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 14 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer(),
        (n, r, seed) => {
          const B = randn(n, r, { seed });
          const A = zeros(n, n);
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < n; j++) {
              let s = 0;
              for (let p = 0; p < r; p++) s += B.get(i, p) * B.get(j, p);
              A.set(i, j, s);
            }
          }
          const values = checkEigh(A);
          const top = values[n - 1]!;
          for (let i = 0; i < n - r; i++)
            expect(Math.abs(values[i]!)).toBeLessThan(4 * n * eps * top);
        },
      ),
      { numRuns: 40, seed: 5 },
    );
  });

  it('does not mutate its input', () => {
    const A = randn(9, 9, { seed: 2 });
    const before = Float64Array.from(A.data);
    eigh(A);
    eigh(A, { uplo: 'upper', valuesOnly: true });
    eigh(A.T);
    expect(Array.from(A.data)).toEqual(Array.from(before));
  });
});

describe('eigh hostile input', () => {
  it('non-square → SHAPE_MISMATCH naming the shape', () => {
    expect(codeOf(() => eigh(zeros(3, 4)))).toBe('SHAPE_MISMATCH');
    expect(() => eigh(zeros(3, 4))).toThrow(/A: expected a square matrix, got shape \[3, 4\]/);
    expect(codeOf(() => eigh(new Tensor(new Float64Array(8), [2, 2, 2]) as never))).toBe(
      'SHAPE_MISMATCH',
    );
  });

  it('NaN or ±Infinity in the triangle read → NON_FINITE', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const A = symmetrize(randn(5, 5, { seed: 1 }));
      A.set(4, 1, bad);
      expect(codeOf(() => eigh(A))).toBe('NON_FINITE');
      expect(codeOf(() => eigh(A, { valuesOnly: true }))).toBe('NON_FINITE');
      expect(codeOf(() => eigh(A, { uplo: 'upper' }))).toBe('no error');
      expect(codeOf(() => eigh(A.T, { uplo: 'upper' }))).toBe('NON_FINITE');
    }
    const A = eye(3);
    A.set(2, 0, NaN);
    expect(() => eigh(A)).toThrow(/A: expected finite values, found NaN at \(2, 0\)/);
  });

  it('non-matrices and bad options → INVALID_ARGUMENT', () => {
    for (const bad of [null, undefined, 3, 'A', [[1]], { rows: 1, cols: 1 }, new Float64Array(1)]) {
      expect(codeOf(() => eigh(bad as never))).toBe('INVALID_ARGUMENT');
    }
    const A = eye(2);
    expect(codeOf(() => eigh(A, { uplo: 'L' as never }))).toBe('INVALID_ARGUMENT');
    expect(() => eigh(A, { uplo: 'L' as never })).toThrow(
      /options\.uplo: expected one of 'lower', 'upper', got "L"/,
    );
    expect(codeOf(() => eigh(A, { valuesOnly: 0 as never }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => eigh(A, 5 as never))).toBe('INVALID_ARGUMENT');
  });
});
