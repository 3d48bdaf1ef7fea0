// eig: scaled residual ‖A·V − V·Λ‖, eigenvalues against numpy (LAPACK dgeev) within
// their condition numbers, normalization of V, conjugate pairs, options and hostile input.
import { readFileSync } from 'node:fs';
import { EPS, eig, Matrix, randn } from '@lr/core';
import { describe, expect, it } from 'vitest';
import { _eigTuning } from '../../src/spectral/_eigFrancis.js';

const eps = EPS.float64;

interface EigCase {
  name: string;
  n: number;
  a: number[];
  re: number[];
  im: number[];
  /** eigenvalue condition numbers from numpy's V: ‖y‖‖x‖/|yᴴx| */
  cond: number[];
}

const CASES: EigCase[] = (
  JSON.parse(readFileSync(new URL('./fixtures/eig.json', import.meta.url), 'utf8')) as {
    cases: EigCase[];
  }
).cases;

function fro(A: Matrix): number {
  let s = 0;
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) s += A.get(i, j) ** 2;
  return Math.sqrt(s);
}

/** ‖A·V − V·Λ‖_F / (‖A‖_F · n · ε) for complex V and Λ, with plain loops. */
function residual(A: Matrix, r: ReturnType<typeof eig>): number {
  const n = A.rows;
  const { re: Vr, im: Vi } = r.vectors!;
  let s = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let ar = 0;
      let ai = 0;
      for (let p = 0; p < n; p++) {
        ar += A.get(i, p) * Vr.get(p, j);
        ai += A.get(i, p) * Vi.get(p, j);
      }
      const lr = r.values.re[j]!;
      const li = r.values.im[j]!;
      ar -= Vr.get(i, j) * lr - Vi.get(i, j) * li;
      ai -= Vr.get(i, j) * li + Vi.get(i, j) * lr;
      s += ar * ar + ai * ai;
    }
  }
  const a = fro(A);
  if (a === 0) return Math.sqrt(s) === 0 ? 0 : Infinity;
  return Math.sqrt(s) / (a * Math.max(n, 1) * eps);
}

/** Greedy matching: for each reference eigenvalue, the distance to the nearest unused one. */
function matchErrors(re: Float64Array, im: Float64Array, c: EigCase): number[] {
  const used = new Array<boolean>(c.n).fill(false);
  const errs: number[] = [];
  for (let k = 0; k < c.n; k++) {
    let best = Infinity;
    let bi = -1;
    for (let j = 0; j < c.n; j++) {
      if (used[j]) continue;
      const d = Math.hypot(re[j]! - c.re[k]!, im[j]! - c.im[k]!);
      if (d < best) {
        best = d;
        bi = j;
      }
    }
    used[bi] = true;
    errs.push(best);
  }
  return errs;
}

describe('eig against numpy (LAPACK dgeev)', () => {
  for (const c of CASES) {
    it(`${c.name} (n = ${c.n}): residual < 10·n·ε·‖A‖ and eigenvalues match`, () => {
      const A = Matrix.fromData(Float64Array.from(c.a), c.n, c.n);
      const r = eig(A);
      expect(r.values.re.length).toBe(c.n);
      expect(residual(A, r)).toBeLessThan(10);
      const normA = fro(A);
      const errs = matchErrors(r.values.re, r.values.im, c);
      for (let k = 0; k < c.n; k++) {
        // both solvers are backward stable: |Δλ| ≲ 2·κ(λ)·n·ε·‖A‖ to first order
        const tol = 10 * c.cond[k]! * c.n * eps * normA;
        if (c.name === 'jordan6') continue; // first order does not apply; checked below
        expect(errs[k]!).toBeLessThanOrEqual(tol);
      }
      // unit columns, largest entry real positive
      const { re: Vr, im: Vi } = r.vectors!;
      for (let j = 0; j < c.n; j++) {
        let s = 0;
        let big = -1;
        let bigRe = 0;
        let bigIm = 0;
        for (let i = 0; i < c.n; i++) {
          const m = Vr.get(i, j) ** 2 + Vi.get(i, j) ** 2;
          s += m;
          if (m > big) {
            big = m;
            bigRe = Vr.get(i, j);
            bigIm = Vi.get(i, j);
          }
        }
        expect(Math.abs(Math.sqrt(s) - 1)).toBeLessThan(1e-14);
        expect(bigRe).toBeGreaterThan(0);
        expect(Math.abs(bigIm)).toBeLessThan(1e-14);
      }
    });
  }

  it('jordan6 (defective up to 1e-9): eigenvalues near 2 with sum = trace', () => {
    const c = CASES.find((x) => x.name === 'jordan6')!;
    const A = Matrix.fromData(Float64Array.from(c.a), c.n, c.n);
    const r = eig(A, { vectors: false });
    let trace = 0;
    for (let i = 0; i < c.n; i++) trace += A.get(i, i);
    const sum = r.values.re.reduce((s, v) => s + v, 0);
    expect(Math.abs(sum - trace)).toBeLessThan(1e-12 * fro(A) * c.n);
    // a perturbation of size η splits a 6-Jordan block by about η^(1/6)
    for (let i = 0; i < c.n; i++) {
      expect(Math.hypot(r.values.re[i]! - 2, r.values.im[i]!)).toBeLessThan(0.2);
    }
    expect(Math.max(...matchErrors(r.values.re, r.values.im, c))).toBeLessThan(1e-2);
  });

  it('HiPPO-LegS 32: eigenvalues exactly −1…−32 (κ(λ) up to 1e22; isolated by the permutation)', () => {
    const c = CASES.find((x) => x.name === 'hippo32')!;
    const A = Matrix.fromData(Float64Array.from(c.a), c.n, c.n);
    const r = eig(A);
    const sorted = Array.from(r.values.re).sort((x, y) => y - x);
    for (let k = 0; k < 32; k++) expect(sorted[k]).toBe(-(k + 1));
    expect(Math.max(...r.values.im.map(Math.abs))).toBe(0);
  });
});

describe('eig structure and options', () => {
  it('0×0 and 1×1', () => {
    const r0 = eig(Matrix.fromData(new Float64Array(0), 0, 0));
    expect(r0.values.re.length).toBe(0);
    expect(r0.vectors!.re.rows).toBe(0);
    const r1 = eig(Matrix.from([[-3.5]]));
    expect(Array.from(r1.values.re)).toEqual([-3.5]);
    expect(Array.from(r1.values.im)).toEqual([0]);
    expect(r1.vectors!.re.get(0, 0)).toBe(1);
  });

  it('complex pair: positive imaginary part first, second column the conjugate', () => {
    const r = eig(
      Matrix.from([
        [0, -1],
        [1, 0],
      ]),
    );
    expect(r.values.im[0]).toBeCloseTo(1, 15);
    expect(r.values.im[1]).toBeCloseTo(-1, 15);
    const { re, im } = r.vectors!;
    for (let i = 0; i < 2; i++) {
      expect(re.get(i, 1)).toBe(re.get(i, 0));
      expect(im.get(i, 1) + im.get(i, 0)).toBe(0);
    }
    expect(re.get(0, 0)).toBeCloseTo(Math.SQRT1_2, 15);
    expect(im.get(1, 0)).toBeCloseTo(-Math.SQRT1_2, 15);
  });

  it('values-only, balance off, views and float32 agree with the default path', () => {
    const A = randn(30, 30, { seed: 7 });
    const full = eig(A);
    const vals = eig(A, { vectors: false });
    expect(vals.vectors).toBeNull();
    expect(Array.from(vals.values.re)).toEqual(Array.from(full.values.re));
    const nb = eig(A, { balance: false });
    expect(residual(A, nb)).toBeLessThan(10);
    const At = eig(A.T.T);
    expect(Array.from(At.values.re)).toEqual(Array.from(full.values.re));
    const T = eig(A.T);
    const s1 = Array.from(full.values.re).sort((x, y) => x - y);
    const s2 = Array.from(T.values.re).sort((x, y) => x - y);
    for (let i = 0; i < 30; i++) expect(s2[i]).toBeCloseTo(s1[i]!, 10);
  });

  it('random matrices of several sizes: residual < 10', () => {
    for (const n of [2, 3, 5, 17, 50, 100]) {
      const A = randn(n, n, { seed: n });
      expect(residual(A, eig(A))).toBeLessThan(10);
    }
  });

  it('extreme scales stay accurate (scaled into the safe range)', () => {
    const A = randn(12, 12, { seed: 3 });
    const base = eig(A);
    for (const s of [1e-300, 1e300]) {
      const B = Matrix.fromData(
        Float64Array.from(A.data, (v) => v * s),
        12,
        12,
      );
      const r = eig(B);
      // the residual of A with λ/s (B's squares would over/underflow in the helper)
      const values = {
        re: r.values.re.map((v) => v / s),
        im: r.values.im.map((v) => v / s),
      };
      expect(residual(A, { ...r, values })).toBeLessThan(10);
      const got = Array.from(r.values.re, (v) => v / s).sort((x, y) => x - y);
      const want = Array.from(base.values.re).sort((x, y) => x - y);
      for (let i = 0; i < 12; i++) expect(got[i]).toBeCloseTo(want[i]!, 10);
    }
  });

  it('NOT_CONVERGED when the sweep limit is too small (private knob lowered)', () => {
    const saved = _eigTuning.sweepFactor;
    _eigTuning.sweepFactor = 0;
    try {
      expect(() => eig(randn(6, 6, { seed: 2 }))).toThrow(
        expect.objectContaining({ code: 'NOT_CONVERGED' }),
      );
    } finally {
      _eigTuning.sweepFactor = saved;
    }
  });

  it('hostile input: NON_FINITE, SHAPE_MISMATCH, INVALID_ARGUMENT', () => {
    const bad = Matrix.from([
      [1, Number.NaN],
      [0, 1],
    ]);
    expect(() => eig(bad)).toThrow(expect.objectContaining({ code: 'NON_FINITE' }));
    const inf = Matrix.from([
      [1, 0],
      [Infinity, 1],
    ]);
    expect(() => eig(inf)).toThrow(expect.objectContaining({ code: 'NON_FINITE' }));
    expect(() => eig(randn(3, 4, { seed: 1 }))).toThrow(
      expect.objectContaining({ code: 'SHAPE_MISMATCH' }),
    );
    expect(() => eig([[1]] as unknown as Matrix)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => eig(Matrix.from([[1]]), { vectors: 1 as unknown as boolean })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
