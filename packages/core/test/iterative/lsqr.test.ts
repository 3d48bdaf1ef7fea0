import { diag, type LinearOperator, lsqr, lstsq, Matrix, randn, zeros } from '@lr/core';
import { describe, expect, it } from 'vitest';
import { fixtures, hilbertRect, mat, maxDiff, minstd, mv, nrm } from './_problems.js';

type LsqrCase = (typeof fixtures.lsqr)['over'];

// `rel`: relative tolerance on x and the norms. Well-conditioned problems agree to
// rounding; on the Hilbert matrix (cond ≈ 1e10) the iterates amplify the different
// summation order of the two BLAS, so only istop/itn and ~1e-4 agreement are expected
// (and arnorm, a small quantity formed with cancellation, only to its order of magnitude).
function expectMatchesScipy(res: ReturnType<typeof lsqr>, f: LsqrCase, rel = 1e-10): void {
  expect(res.istop).toBe(f.istop);
  expect(res.iterations).toBe(f.itn);
  expect(maxDiff(res.x, f.x)).toBeLessThan(rel * Math.max(1, nrm(f.x)));
  for (const key of ['r1norm', 'r2norm', 'anorm', 'acond', 'xnorm'] as const) {
    expect(Math.abs(res[key] - f[key])).toBeLessThanOrEqual(rel * Math.abs(f[key]) + 1e-14);
  }
  if (rel <= 1e-10) {
    expect(Math.abs(res.arnorm - f.arnorm)).toBeLessThanOrEqual(rel * f.arnorm + 1e-14);
  } else {
    expect(res.arnorm / f.arnorm).toBeGreaterThan(0.5);
    expect(res.arnorm / f.arnorm).toBeLessThan(2);
  }
}

describe('lsqr', () => {
  const A1 = mat(11, 30, 8);
  const b1 = minstd(12, 30);

  it('matches scipy.sparse.linalg.lsqr (defaults) on a fixed over-determined problem, istop included', () => {
    expectMatchesScipy(lsqr(A1, b1), fixtures.lsqr.over);
    expectMatchesScipy(lsqr(A1, b1, { atol: 1e-12, btol: 1e-12 }), fixtures.lsqr.overTight);
  });

  it('matches scipy on under-determined, damped, iteration-capped and conlim-stopped problems', () => {
    expectMatchesScipy(
      lsqr(mat(13, 6, 15), minstd(14, 6), { atol: 1e-12, btol: 1e-12 }),
      fixtures.lsqr.under,
    );
    expectMatchesScipy(lsqr(A1, b1, { damp: 0.7, atol: 1e-12, btol: 1e-12 }), fixtures.lsqr.damped);
    const capped = lsqr(A1, b1, { maxIterations: 3 });
    expectMatchesScipy(capped, fixtures.lsqr.capped);
    expect(capped.converged).toBe(false); // istop 7
    const cond = lsqr(hilbertRect(10, 8), minstd(15, 10), { conlim: 1e3 });
    expectMatchesScipy(cond, fixtures.lsqr.conlim, 1e-4);
    expect(cond.istop).toBe(3);
    expect(cond.converged).toBe(false);
  });

  it('matches the SVD least-squares solution on over- and under-determined problems', () => {
    for (const [m, n] of [
      [50, 20],
      [20, 50],
      [30, 30],
    ] as const) {
      const A = randn(m, n, { seed: m * 7 + n });
      const b = randn(m, 1, { seed: m + n }).toFloat64Array();
      const res = lsqr(A, b, { atol: 1e-14, btol: 1e-14, maxIterations: 10 * n });
      expect(res.converged).toBe(true);
      const ref = lstsq(A, b).x; // minimum-norm solution
      expect(maxDiff(res.x, ref)).toBeLessThan(1e-9 * nrm(ref));
      const r = Array.from(mv(A, res.x), (v, i) => b[i]! - v);
      expect(Math.abs(res.r1norm - nrm(r))).toBeLessThan(1e-9 * nrm(b));
    }
  });

  it('damped LSQR solves the augmented problem min ‖[A; λI]x − [b; 0]‖', () => {
    const A = randn(40, 15, { seed: 3 });
    const b = randn(40, 1, { seed: 4 }).toFloat64Array();
    const damp = 2.5;
    const aug = zeros(55, 15);
    for (let i = 0; i < 40; i++) for (let j = 0; j < 15; j++) aug.set(i, j, A.get(i, j));
    for (let j = 0; j < 15; j++) aug.set(40 + j, j, damp);
    const bAug = new Float64Array(55);
    bAug.set(b);
    const ref = lstsq(aug, bAug).x;
    const res = lsqr(A, b, { damp, atol: 1e-14, btol: 1e-14 });
    expect(maxDiff(res.x, ref)).toBeLessThan(1e-10 * nrm(ref));
    // r2norm² = ‖b − Ax‖² + λ²‖x‖²
    const r = Array.from(mv(A, res.x), (v, i) => b[i]! - v);
    expect(res.r2norm).toBeCloseTo(Math.hypot(nrm(r), damp * nrm(res.x)), 10);
  });

  it('a right preconditioner (column scaling) cuts iterations and returns x in the original variables', () => {
    const m = 80;
    const n = 30;
    const s = Float64Array.from({ length: n }, (_, j) => 10 ** ((4 * j) / (n - 1)));
    const A = matScaleCols(randn(m, n, { seed: 21 }), s);
    const b = randn(m, 1, { seed: 22 }).toFloat64Array();
    const opts = { atol: 1e-12, btol: 1e-12, maxIterations: 2000 };
    const plain = lsqr(A, b, opts);
    const P = diag(Array.from(s, (v) => 1 / v)); // x = P·y
    const pre = lsqr(A, b, { ...opts, preconditioner: P });
    expect(pre.converged).toBe(true);
    expect(pre.iterations).toBeLessThan(plain.iterations / 2);
    const ref = lstsq(A, b).x;
    expect(maxDiff(pre.x, ref)).toBeLessThan(1e-9 * nrm(ref));
  });

  it('continues from x0 to the same least-squares solution', () => {
    const A = randn(25, 10, { seed: 5 });
    const b = randn(25, 1, { seed: 6 }).toFloat64Array();
    const ref = lstsq(A, b).x;
    const x0 = Float64Array.from(ref, (v, i) => v + 0.1 * Math.sin(i));
    const x0Copy = Float64Array.from(x0);
    const res = lsqr(A, b, { x0, atol: 1e-14, btol: 1e-14 });
    expect(maxDiff(res.x, ref)).toBeLessThan(1e-10 * nrm(ref));
    expect(x0).toEqual(x0Copy);
  });

  it('returns istop 0 and x = 0 for b = 0 or Aᵀb = 0, and works through an operator', () => {
    const A = randn(6, 4, { seed: 1 });
    const z = lsqr(A, new Float64Array(6));
    expect(z.istop).toBe(0);
    expect(z.converged).toBe(true);
    expect(z.x).toEqual(new Float64Array(4));
    // b orthogonal to the range of A
    const B = Matrix.from([
      [1, 0],
      [0, 1],
      [0, 0],
    ]);
    const orth = lsqr(B, new Float64Array([0, 0, 1]));
    expect(orth.istop).toBe(0);
    expect(orth.x).toEqual(new Float64Array(2));
    const op: LinearOperator = {
      rows: 30,
      cols: 8,
      matvec: (x) => mv(A1, Float64Array.from(x)),
      rmatvec: (y) => mv(A1.T, Float64Array.from(y)),
    };
    expectMatchesScipy(lsqr(op, b1), fixtures.lsqr.over);
  });

  it('reports progress and variance estimates, and stops with ABORTED on a fired signal', () => {
    const its: number[] = [];
    const res = lsqr(A1, b1, { calcVar: true, onProgress: (p) => its.push(p.iteration) });
    expect(its).toEqual(Array.from({ length: res.iterations }, (_, i) => i + 1));
    expect(res.history).toHaveLength(res.iterations + 1);
    expect(res.var).toHaveLength(8);
    expect(res.var!.every((v) => v > 0)).toBe(true);
    const ctrl = new AbortController();
    expect(() =>
      lsqr(A1, b1, {
        atol: 0,
        btol: 0,
        signal: ctrl.signal,
        onProgress: (p) => p.iteration === 2 && ctrl.abort(),
      }),
    ).toThrow(expect.objectContaining({ code: 'ABORTED' }));
  });
});

function matScaleCols(A: Matrix, s: Float64Array): Matrix {
  const out = A.clone();
  for (let i = 0; i < A.rows; i++)
    for (let j = 0; j < A.cols; j++) out.set(i, j, A.get(i, j) * s[j]!);
  return out;
}
