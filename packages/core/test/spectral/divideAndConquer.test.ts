// The fast paths of eigh and svd: blocked tridiagonal/bidiagonal reductions, compact-WY
// application of Q and P, QR-first for tall inputs, and Cuppen / Gu–Eisenstat divide and
// conquer. The crossovers are lowered through the private tuning object so that every
// path runs at small sizes (blocks of 8, leaves of 4 to 8), and the clustered spectra that
// break a naive divide and conquer (orthogonality of the vectors of close eigenvalues,
// many deflations) are thrown at it. Ratios are LAPACK's: error / (‖A‖·n·ε) < 30.

import { EPS, eigh, getBackend, Matrix, matmul, qr, randn, setBackend, svd, zeros } from '@lr/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { _bidiagonalDC } from '../../src/spectral/_bidiagonalDC.js';
import { _bidiagonalSvd } from '../../src/spectral/_bidiagonalSvd.js';
import { _applyReflectorsLeft } from '../../src/spectral/_blockReflector.js';
import { _secularRoot } from '../../src/spectral/_secular.js';
import { _tridiagonalDC } from '../../src/spectral/_tridiagonalDC.js';
import { _tridiagonalEigen } from '../../src/spectral/_tridiagonalEigen.js';
import {
  _applyTridiagonalQ,
  _symvUpper,
  _tridiagonalizeBlocked,
} from '../../src/spectral/_tridiagonalize.js';
import { _spectralTuning } from '../../src/spectral/_tuning.js';
import { fro, naiveMatmul, orthogonalityError, scaledResidual } from '../helpers.js';

const eps = EPS.float64;
const LIMIT = 30;
const DEFAULTS = { ..._spectralTuning };

/** Runs `f` with the crossovers lowered so that blocking and divide and conquer kick in. */
function small(f: () => void, leaf = 4): void {
  Object.assign(_spectralTuning, { nb: 8, blockMin: 16, applyNb: 8, dcMin: leaf });
  try {
    f();
  } finally {
    Object.assign(_spectralTuning, DEFAULTS);
  }
}

/** Symmetric tridiagonal (as a dense matrix) with diagonal d and off-diagonal e. */
function tridiagonal(d: ArrayLike<number>, e: ArrayLike<number>): Matrix {
  const n = d.length;
  const T = zeros(n, n);
  for (let i = 0; i < n; i++) {
    T.set(i, i, d[i]!);
    if (i + 1 < n) {
      T.set(i + 1, i, e[i]!);
      T.set(i, i + 1, e[i]!);
    }
  }
  return T;
}

/** Wilkinson's W⁺_n (n odd): diagonal |(n−1)/2 − i|, off-diagonal 1. */
function wilkinson(n: number): { d: number[]; e: number[] } {
  const m = (n - 1) / 2;
  return {
    d: Array.from({ length: n }, (_, i) => Math.abs(m - i)),
    e: new Array(n - 1).fill(1),
  };
}

/** `copies` copies of W⁺₂₁ glued by off-diagonal entries `glue` (a classic D&C stress test). */
function gluedWilkinson(copies: number, glue: number): { d: number[]; e: number[] } {
  const w = wilkinson(21);
  const d: number[] = [];
  const e: number[] = [];
  for (let c = 0; c < copies; c++) {
    d.push(...w.d);
    e.push(...w.e);
    if (c + 1 < copies) e.push(glue);
  }
  return { d, e };
}

/** Q·diag(λ)·Qᵀ with Q the orthogonal factor of a seeded Gaussian matrix. */
function withSpectrum(lambda: number[], seed: number): Matrix {
  const n = lambda.length;
  const Q = qr(randn(n, n, { seed })).Q!;
  const QL = Q.clone();
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) QL.set(i, j, Q.get(i, j) * lambda[j]!);
  return matmul(QL, Q.T);
}

/** U·diag(σ)·Vᵀ for an m×n matrix with the given singular values. */
function withSingularValues(m: number, n: number, sigma: number[], seed: number): Matrix {
  const k = sigma.length;
  const U = qr(randn(m, k, { seed })).Q!;
  const V = qr(randn(n, k, { seed: seed + 1 })).Q!;
  const US = U.clone();
  for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) US.set(i, j, U.get(i, j) * sigma[j]!);
  return matmul(US, V.T);
}

function symmetric(n: number, seed: number): Matrix {
  const A = randn(n, n, { seed });
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) A.set(j, i, A.get(i, j));
  return A;
}

/** Row-major copy of a matrix view (plain loops, independent of the kernels). */
function dense(A: Matrix): Float64Array {
  const out = new Float64Array(A.rows * A.cols);
  for (let i = 0; i < A.rows; i++)
    for (let j = 0; j < A.cols; j++) out[i * A.cols + j] = A.get(i, j);
  return out;
}

/** ‖A·V − V·diag(λ)‖_F / (‖A‖_F·n·ε) with plain loops on row-major copies. */
function eigResidual(A: Matrix, values: Float64Array, V: Matrix): number {
  const n = A.rows;
  const a = dense(A);
  const v = dense(V);
  let s = 0;
  let an = 0;
  for (let i = 0; i < n * n; i++) an += a[i]! * a[i]!;
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    row.fill(0);
    for (let p = 0; p < n; p++) {
      const aip = a[i * n + p]!;
      for (let j = 0; j < n; j++) row[j] += aip * v[p * n + j]!;
    }
    for (let j = 0; j < n; j++) s += (row[j]! - v[i * n + j]! * values[j]!) ** 2;
  }
  if (an === 0) return s === 0 ? 0 : Infinity;
  return Math.sqrt(s) / (Math.sqrt(an) * n * eps);
}

/** ‖QᵀQ − I‖_F / (rows·ε) for the columns of Q, with plain loops on a row-major copy. */
function orthogonality(Q: Matrix): number {
  const m = Q.rows;
  const k = Q.cols;
  const q = dense(Q);
  const g = new Float64Array(k * k);
  for (let i = 0; i < m; i++) {
    for (let a = 0; a < k; a++) {
      const x = q[i * k + a]!;
      for (let b = 0; b < k; b++) g[a * k + b] += x * q[i * k + b]!;
    }
  }
  let s = 0;
  for (let a = 0; a < k; a++)
    for (let b = 0; b < k; b++) s += (g[a * k + b]! - (a === b ? 1 : 0)) ** 2;
  return Math.sqrt(s) / (Math.max(m, 1) * eps);
}

/** Checks residual, orthogonality and ordering of eigh(A); returns the eigenvalues. */
function checkEigh(A: Matrix): Float64Array {
  const { values, vectors } = eigh(A);
  const V = vectors!;
  const n = A.rows;
  for (let i = 1; i < n; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]!);
  expect(eigResidual(A, values, V)).toBeLessThan(LIMIT);
  expect(orthogonality(V)).toBeLessThan(LIMIT);
  // the documented sign convention: each column's largest entry (the first such) positive
  for (let j = 0; j < n; j++) {
    let best = 0;
    for (let i = 1; i < n; i++) if (Math.abs(V.get(i, j)) > Math.abs(V.get(best, j))) best = i;
    expect(V.get(best, j)).toBeGreaterThan(0);
  }
  return values;
}

/** Eigenvalues by the reference path (unblocked reduction and QL/QR, no vectors). */
function referenceEigenvalues(A: Matrix): Float64Array {
  let values: Float64Array = new Float64Array(0);
  Object.assign(_spectralTuning, { blockMin: 1e9 });
  try {
    values = eigh(A, { valuesOnly: true }).values;
  } finally {
    Object.assign(_spectralTuning, DEFAULTS);
  }
  return values;
}

function expectValuesClose(got: Float64Array, want: ArrayLike<number>, scale: number): void {
  const n = got.length;
  let worst = 0;
  for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
  expect(worst / (Math.max(n, 1) * eps * scale)).toBeLessThan(LIMIT);
}

function checkSvd(A: Matrix, full: boolean): { S: Float64Array; U: Matrix; Vt: Matrix } {
  const { U, S, Vt } = svd(A, { full });
  const m = A.rows;
  const n = A.cols;
  const k = Math.min(m, n);
  expect([U!.rows, U!.cols, Vt!.rows, Vt!.cols]).toEqual([m, full ? m : k, full ? n : k, n]);
  for (let i = 1; i < k; i++) expect(S[i]).toBeLessThanOrEqual(S[i - 1]!);
  const US = zeros(m, k);
  for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) US.set(i, j, U!.get(i, j) * S[j]!);
  expect(scaledResidual(A, naiveMatmul(US, Vt!.rowRange(0, k)))).toBeLessThan(LIMIT);
  expect(orthogonality(U!)).toBeLessThan(LIMIT);
  expect(orthogonality(Vt!.T)).toBeLessThan(LIMIT);
  return { S, U: U!, Vt: Vt! };
}

describe('blocked tridiagonal reduction and compact-WY Q', () => {
  beforeEach(() => Object.assign(_spectralTuning, { nb: 8, blockMin: 16, applyNb: 5 }));
  afterEach(() => Object.assign(_spectralTuning, DEFAULTS));

  it('_symvUpper reads one triangle and matches the full product (odd sizes, offsets)', () => {
    for (const r of [1, 3, 4, 7, 13]) {
      const ld = r + 3;
      const a = randn(1, 2 + r * ld, { seed: r }).data as Float64Array;
      const v = randn(1, r + 1, { seed: r + 50 }).data as Float64Array;
      const y = new Float64Array(r + 2).fill(Number.NaN);
      _symvUpper(r, a, 2, ld, v, 1, y, 2);
      for (let i = 0; i < r; i++) {
        let s = 0;
        for (let j = 0; j < r; j++) s += a[2 + Math.min(i, j) * ld + Math.max(i, j)]! * v[1 + j]!;
        expect(Math.abs(y[2 + i]! - s)).toBeLessThan(16 * r * eps);
      }
    }
  });

  it('QᵀAQ = T to round-off, Q orthogonal (n = 70, panels of 8, WY blocks of 5)', () => {
    const n = 70;
    const A = symmetric(n, 7);
    const w = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) w[i * n + j] = A.get(i, j);
    const d = new Float64Array(n);
    const e = new Float64Array(n - 1);
    const tau = new Float64Array(n - 1);
    _tridiagonalizeBlocked(w, n, d, e, tau);
    const Q = new Float64Array(n * n);
    for (let i = 0; i < n; i++) Q[i * n + i] = 1;
    _applyTridiagonalQ(w, n, tau, Q, n, n);
    const Qm = new Matrix(Q, n, n);
    expect(orthogonalityError(Qm)).toBeLessThan(LIMIT);
    const T = naiveMatmul(naiveMatmul(Qm.T, A), Qm);
    expect(scaledResidual(T, tridiagonal(d, e))).toBeLessThan(LIMIT);
  });

  it('Qᵀ·(Q·C) = C: the transposed application undoes the plain one', () => {
    const N = 23;
    const r = 17;
    const w = randn(r, N, { seed: 3 }).data as Float64Array;
    const tau = new Float64Array(r);
    for (let j = 0; j < r; j++) {
      let s = 1;
      for (let t = j + 2; t < N; t++) s += w[j * N + t]! ** 2;
      tau[j] = 2 / s; // makes each H_j = I − τ·v·vᵀ orthogonal (v₀ = 1 at coordinate j + 1)
    }
    const C = randn(N, 6, { seed: 4 });
    const c = Float64Array.from(C.data);
    _applyReflectorsLeft(false, r, N, 1, w, 0, N, 1, tau, c, 6, 6, 4);
    expect(scaledResidual(C, new Matrix(Float64Array.from(c), N, 6))).toBeGreaterThan(1e6);
    _applyReflectorsLeft(true, r, N, 1, w, 0, N, 1, tau, c, 6, 6, 4);
    expect(scaledResidual(C, new Matrix(c, N, 6))).toBeLessThan(LIMIT);
  });
});

describe('_secularRoot (Li middle way, bracketed)', () => {
  /** Roots of 1/ρ + Σ zⱼ²/(dⱼ − λ) with their deltas, checked against interlacing and f = 0. */
  function roots(d: number[], z: number[], rho: number): number[] {
    const K = d.length;
    const nz = Math.hypot(...z);
    const dd = Float64Array.from(d);
    const zz = Float64Array.from(z, (x) => x / nz);
    const delta = new Float64Array(K * K);
    const out: number[] = [];
    for (let k = 0; k < K; k++) {
      const lam = _secularRoot(K, dd, zz, rho, k, delta, k * K, new Float64Array(K));
      out.push(lam);
      // λ may round onto a pole; the deltas, measured from the nearer pole, may not
      expect(lam).toBeGreaterThanOrEqual(d[k]!);
      expect(delta[k * K + k]).toBeLessThan(0);
      if (k + 1 < K) {
        expect(lam).toBeLessThanOrEqual(d[k + 1]!);
        expect(delta[k * K + k + 1]).toBeGreaterThan(0);
      } else expect(lam).toBeLessThanOrEqual(d[K - 1]! + rho);
      // f(λ) = 0 to the rounding error of its terms
      let f = 1 / rho;
      let terms = 1 / rho;
      for (let j = 0; j < K; j++) {
        f += (zz[j]! * zz[j]!) / delta[k * K + j]!;
        terms += Math.abs((zz[j]! * zz[j]!) / delta[k * K + j]!);
      }
      expect(Math.abs(f)).toBeLessThanOrEqual(16 * K * eps * terms);
      // deltas are dⱼ − λ to a few ulps of |dⱼ − λ|, even next to a pole
      for (let j = 0; j < K; j++) {
        const exact = d[j]! - lam;
        expect(Math.abs(delta[k * K + j]! - exact)).toBeLessThanOrEqual(
          4 * eps * (Math.abs(d[j]!) + Math.abs(lam)),
        );
      }
    }
    return out;
  }

  it('K = 1 and K = 2 are exact (closed forms)', () => {
    expect(roots([2], [1], 3)[0]).toBe(5);
    // D + ρzzᵀ = [[1 + 1, 1], [1, 2 + 1]] with z = (1, 1)/√2·√2, ρ = 1: eigenvalues (5 ± √5)/2
    const r = roots([1, 2], [1, 1], 2);
    expect(Math.abs(r[0]! - (5 - Math.sqrt(5)) / 2)).toBeLessThan(4 * eps);
    expect(Math.abs(r[1]! - (5 + Math.sqrt(5)) / 2)).toBeLessThan(8 * eps);
  });

  it('poles 1e-13 apart, a weight of 1e-10 and ρ from 1e-8 to 1e3: all roots interlace', () => {
    const d = [-1, 0, 1e-13, 2e-13, 0.5, 0.5 + 1e-9, 3];
    const z = [1, 1e-10, 1, 1, 1e-5, 1, 1];
    for (const rho of [1e-8, 1e-2, 1, 1e3]) roots(d, z, rho);
  });
});

describe('eigh: blocked reduction + divide and conquer', () => {
  it('random symmetric 96×96 with every path forced small: residual, orthogonality, values', () => {
    const A = symmetric(96, 11);
    const ref = referenceEigenvalues(A);
    small(() => {
      const values = checkEigh(A);
      expectValuesClose(values, ref, Math.max(Math.abs(ref[0]!), Math.abs(ref[95]!)));
    });
  });

  it('default crossovers at n = 150 and 257 (blocked, D&C leaves of 25)', () => {
    for (const n of [150, 257]) {
      const A = symmetric(n, n);
      const values = checkEigh(A);
      const ref = referenceEigenvalues(A);
      expectValuesClose(values, ref, Math.max(Math.abs(ref[0]!), Math.abs(ref[n - 1]!)));
    }
  });

  it('Wilkinson W⁺₂₁ and W⁺₁₀₁: the nearly equal pairs get orthogonal vectors', () => {
    for (const n of [21, 101]) {
      const { d, e } = wilkinson(n);
      const T = tridiagonal(d, e);
      const qd = Float64Array.from(d);
      _tridiagonalEigen(n, qd, Float64Array.from(e), null, n, n);
      small(() => expectValuesClose(checkEigh(T), qd, n / 2));
    }
  });

  it('glued Wilkinson matrices (15 × W⁺₂₁, glue 1e-14 and 1e-8): clusters of 15 eigenvalues', () => {
    for (const glue of [1e-14, 1e-8]) {
      const { d, e } = gluedWilkinson(15, glue);
      const n = d.length;
      const T = tridiagonal(d, e);
      const qd = Float64Array.from(d);
      _tridiagonalEigen(n, qd, Float64Array.from(e), null, n, n);
      const values = checkEigh(T); // default leaves of 25
      expectValuesClose(values, qd, 11);
      small(() => expectValuesClose(checkEigh(T), qd, 11), 8);
    }
  });

  it('eigenvalue 1 repeated 117 times (plus 2, 3, −1): deflation everywhere', () => {
    const lambda = [...new Array(117).fill(1), 2, 3, -1];
    const A = withSpectrum(lambda, 5);
    const want = [...lambda].sort((a, b) => a - b);
    expectValuesClose(checkEigh(A), want, 3);
    small(() => expectValuesClose(checkEigh(A), want, 3));
  });

  it('a tridiagonal Toeplitz matrix (−1, 2, −1), n = 200: closed-form eigenvalues', () => {
    const n = 200;
    const T = tridiagonal(new Array(n).fill(2), new Array(n - 1).fill(-1));
    const want = Array.from(
      { length: n },
      (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1)),
    );
    small(() => expectValuesClose(checkEigh(T), want, 4), 6);
  });

  it('graded, split and zero spectra keep their accuracy', () => {
    // graded over 30 decades: absolute accuracy ε·‖A‖ (D&C's guarantee, as dstedc)
    const n = 80;
    const d = Array.from({ length: n }, (_, i) => 10 ** (-i / 2.6));
    const e = Array.from({ length: n - 1 }, (_, i) => 0.3 * 10 ** (-i / 2.6));
    const T = tridiagonal(d, e);
    const qd = Float64Array.from(d);
    _tridiagonalEigen(n, qd, Float64Array.from(e), null, n, n);
    small(() => expectValuesClose(checkEigh(T), [...qd], 1.3));
    // a zero off-diagonal in the middle splits the problem; the zero matrix is exact
    const e2 = e.slice();
    e2[40] = 0;
    small(() => checkEigh(tridiagonal(d, e2)));
    small(() => {
      const { values, vectors } = eigh(zeros(40, 40));
      expect(Array.from(values)).toEqual(new Array(40).fill(0));
      expect(orthogonalityError(vectors!)).toBeLessThan(LIMIT);
    });
  });

  it('entries near overflow and underflow, and the upper triangle, on the fast path', () => {
    const A = symmetric(60, 21);
    const ref = referenceEigenvalues(A);
    const norm = Math.max(Math.abs(ref[0]!), Math.abs(ref[59]!));
    small(() => {
      for (const scale of [1e300, 1e-300]) {
        const B = A.clone();
        for (let i = 0; i < B.data.length; i++) B.data[i] = B.data[i]! * scale;
        const { values, vectors } = eigh(B);
        for (let i = 0; i < 60; i++) {
          expect(Math.abs(values[i]! - ref[i]! * scale) / (norm * scale)).toBeLessThan(1e-13);
        }
        expect(orthogonality(vectors!)).toBeLessThan(LIMIT);
      }
      // garbage below the diagonal is ignored with uplo = 'upper'
      const U = A.clone();
      for (let i = 0; i < 60; i++) for (let j = 0; j < i; j++) U.set(i, j, -1e6);
      const up = eigh(U, { uplo: 'upper' });
      expectValuesClose(up.values, ref, norm);
      expect(eigResidual(A, up.values, up.vectors!)).toBeLessThan(LIMIT);
    });
  });

  it('_tridiagonalDC directly: a block split by exact zeros is solved block by block and sorted', () => {
    const n = 60;
    const d = Float64Array.from({ length: n }, (_, i) => ((i * 37) % n) - n / 2);
    const e = new Float64Array(n - 1).fill(0.5);
    e[9] = 0;
    e[44] = 0;
    const z = new Float64Array(n * n);
    const d0 = d.slice();
    const e0 = e.slice();
    small(() => _tridiagonalDC(n, d, e, z, n), 5);
    for (let i = 1; i < n; i++) expect(d[i]).toBeGreaterThanOrEqual(d[i - 1]!);
    const Z = new Matrix(z, n, n);
    expect(orthogonalityError(Z)).toBeLessThan(LIMIT);
    const T = tridiagonal(d0, e0);
    const TZ = naiveMatmul(T, Z);
    const ZL = Z.clone();
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) ZL.set(i, j, Z.get(i, j) * d[j]!);
    expect(scaledResidual(TZ, ZL) * (fro(TZ) / fro(T))).toBeLessThan(LIMIT);
  });
});

describe('svd: blocked bidiagonalization, QR first, bidiagonal divide and conquer', () => {
  it('every shape with every path forced small: thin and full, S equal to valuesOnly', () => {
    small(() => {
      for (const [m, n] of [
        [60, 60],
        [61, 40],
        [40, 61],
        [150, 60], // QR first (m ≥ 11n/6)
        [60, 150],
        [97, 96],
      ] as const) {
        const A = randn(m, n, { seed: m * 1000 + n });
        const thin = checkSvd(A, false);
        const full = checkSvd(A, true);
        expect(Array.from(full.S)).toEqual(Array.from(thin.S));
        expect(Array.from(svd(A, { valuesOnly: true }).S)).toEqual(Array.from(thin.S));
        const k = Math.min(m, n);
        expect(Array.from(full.U.colRange(0, k).clone().data)).toEqual(Array.from(thin.U.data));
        expect(Array.from(full.Vt.rowRange(0, k).clone().data)).toEqual(Array.from(thin.Vt.data));
      }
    });
  });

  it('default crossovers: 120×100, 300×110 (QR first) and 100×300', () => {
    for (const [m, n] of [
      [120, 100],
      [300, 110],
      [100, 300],
    ] as const) {
      const A = randn(m, n, { seed: m + n });
      const { S } = checkSvd(A, false);
      expect(Array.from(svd(A, { valuesOnly: true }).S)).toEqual(Array.from(S));
    }
  });

  it('repeated and clustered singular values: 1 (×50), 1 + 1e-12·i (×20), rank deficiency', () => {
    const sigma = [
      ...new Array(50).fill(1),
      ...Array.from({ length: 20 }, (_, i) => 2 + 1e-12 * i),
      ...new Array(10).fill(0),
    ];
    const A = withSingularValues(90, 80, sigma, 9);
    const want = [...sigma].sort((a, b) => b - a);
    for (const leaf of [4, 25]) {
      small(() => {
        const { S } = checkSvd(A, false);
        for (let i = 0; i < 80; i++)
          expect(Math.abs(S[i]! - want[i]!)).toBeLessThan(90 * 2 * eps * 30);
      }, leaf);
    }
  });

  it('entries near overflow and underflow on the fast path (70×50 and 50×70)', () => {
    small(() => {
      for (const [m, n] of [
        [70, 50],
        [50, 70],
      ] as const) {
        const A = randn(m, n, { seed: 31 });
        const ref = svd(A).S;
        for (const scale of [1e300, 1e-300]) {
          const B = A.clone();
          for (let i = 0; i < B.data.length; i++) B.data[i] = B.data[i]! * scale;
          const { U, S, Vt } = svd(B);
          for (let i = 0; i < S.length; i++) {
            expect(Math.abs(S[i]! - ref[i]! * scale) / (ref[0]! * scale)).toBeLessThan(1e-13);
          }
          expect(orthogonality(U!)).toBeLessThan(LIMIT);
          expect(orthogonality(Vt!.T)).toBeLessThan(LIMIT);
        }
      }
    });
  });

  it('graded bidiagonal (k = 60, 36 decades): singular values keep high relative accuracy', () => {
    // A bidiagonal input passes through the reduction exactly; the values must be the
    // Demmel–Kahan ones (relative accuracy), the vectors come from divide and conquer.
    const n = 60;
    const A = zeros(n, n);
    for (let i = 0; i < n; i++) {
      A.set(i, i, 10 ** (-i * 0.6));
      if (i + 1 < n) A.set(i, i + 1, 0.7 * 10 ** (-i * 0.6));
    }
    const d = new Float64Array(n);
    const e = new Float64Array(n - 1);
    for (let i = 0; i < n; i++) d[i] = A.get(i, i);
    for (let i = 0; i < n - 1; i++) e[i] = A.get(i, i + 1);
    _bidiagonalSvd(n, d, e, null, 0, 0, null, 0, 0);
    small(() => {
      const { S } = checkSvd(A, false);
      expect(S[n - 1]! / S[0]!).toBeLessThan(1e-30);
      expect(Array.from(S)).toEqual(Array.from(d));
    });
  });

  it('_bidiagonalDC directly: zeros on both diagonals, tiny entries, the zero matrix', () => {
    const n = 70;
    const cases: [string, Float64Array, Float64Array][] = [];
    const d1 = randn(1, n, { seed: 1 }).data as Float64Array;
    const e1 = randn(1, n - 1, { seed: 2 }).data as Float64Array;
    d1[10] = 0;
    d1[35] = 0;
    e1[50] = 0;
    cases.push(['zeros', d1, e1]);
    const d2 = Float64Array.from(d1, (x, i) => (i % 3 === 0 ? 1e-200 : x + 1));
    cases.push(['tiny', d2, e1]);
    cases.push(['ones', new Float64Array(n).fill(1), new Float64Array(n - 1).fill(1)]);
    cases.push(['zero', new Float64Array(n), new Float64Array(n - 1)]);
    for (const [name, d0, e0] of cases) {
      const d = d0.slice();
      const e = e0.slice();
      const U = new Float64Array(n * n);
      const V = new Float64Array(n * n);
      small(() => _bidiagonalDC(n, d, e, U, n, V, n), 5);
      const Um = new Matrix(U, n, n);
      const Vm = new Matrix(V, n, n);
      expect(orthogonalityError(Um), name).toBeLessThan(LIMIT);
      expect(orthogonalityError(Vm), name).toBeLessThan(LIMIT);
      const B = zeros(n, n);
      for (let i = 0; i < n; i++) {
        B.set(i, i, d0[i]!);
        if (i + 1 < n) B.set(i, i + 1, e0[i]!);
      }
      const US = Um.clone();
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) US.set(i, j, U[i * n + j]! * d[j]!);
      const res = fro(B) === 0 ? fro(US) : scaledResidual(B, naiveMatmul(US, Vm.T));
      expect(res, name).toBeLessThan(LIMIT);
      for (let i = 1; i < n; i++) expect(d[i]!, name).toBeLessThanOrEqual(d[i - 1]!);
      expect(d[n - 1]!, name).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('the TypeScript kernels behind the fast paths', () => {
  it('eigh and svd with setBackend("ts"): same accuracy as the default backend', () => {
    const before = getBackend().backend;
    setBackend('ts');
    try {
      small(() => {
        const A = symmetric(70, 41);
        expectValuesClose(checkEigh(A), referenceEigenvalues(A), 20);
        for (const [m, n] of [
          [90, 40],
          [50, 64],
        ] as const) {
          const B = randn(m, n, { seed: m + n });
          const { S } = checkSvd(B, true);
          expect(Array.from(svd(B, { valuesOnly: true }).S)).toEqual(Array.from(S));
        }
      });
    } finally {
      setBackend(before);
    }
  });
});
