import { eigh, type LinearOperator, lanczos, Matrix, matmul, zeros } from '@lr/core';
import { describe, expect, it } from 'vitest';
import { orthogonalityError } from '../helpers.js';
import {
  fixtures,
  mat,
  maxDiff,
  poisson2d,
  poisson2dEigenvalues,
  randomOrthonormal,
} from './_problems.js';

function symmetricFixture(): Matrix {
  const { n, seed } = fixtures.eig;
  const G = mat(seed, n, n);
  const S = zeros(n, n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) S.set(i, j, (G.get(i, j) + G.get(j, i)) / 2);
  return S;
}

describe('lanczos', () => {
  const S = symmetricFixture();
  const full = eigh(S).values; // ascending

  it('top and bottom eigenvalues match numpy eigvalsh and eigh to 1e-8, with small true residuals', () => {
    const top = lanczos(S, { k: 4 });
    expect(top.converged).toBe(true);
    expect(maxDiff(top.values, fixtures.eig.largest)).toBeLessThan(1e-8);
    expect(maxDiff(top.values, Array.from(full).reverse().slice(0, 4))).toBeLessThan(1e-8);
    const bottom = lanczos(S, { k: 4, which: 'smallest' });
    expect(bottom.converged).toBe(true);
    expect(maxDiff(bottom.values, fixtures.eig.smallest)).toBeLessThan(1e-8);
    const normA = Math.max(Math.abs(full[0]!), Math.abs(full[full.length - 1]!));
    for (const r of [top, bottom]) {
      expect(Math.max(...r.residualNorms)).toBeLessThan(1e-10 * normA);
      expect(orthogonalityError(r.vectors)).toBeLessThan(50);
      expect(r.vectors.rows).toBe(150);
      expect(r.vectors.cols).toBe(4);
    }
  });

  it("'magnitude' finds the eigenvalues of largest |λ| on an indefinite spectrum", () => {
    const s = [-10, 9.5, -9, 1, 0.5, -0.25, 0.1, 0.05];
    const n = 60;
    const lambda = Array.from({ length: n }, (_, i) => (i < s.length ? s[i]! : 0.01 * Math.sin(i)));
    const A = withSymmetricSpectrum(lambda, 3);
    const r = lanczos(A, { k: 3, which: 'magnitude' });
    expect(r.converged).toBe(true);
    expect(maxDiff(r.values, [-10, 9.5, -9])).toBeLessThan(1e-9);
  });

  it('finds the analytic smallest eigenvalues of the matrix-free 2-D Poisson operator', () => {
    // a 20×13 grid: simple eigenvalues (a square grid has double ones, see the TSDoc)
    const exact = poisson2dEigenvalues(20, 13);
    const r = lanczos(poisson2d(20, 13), { k: 5, which: 'smallest', ncv: 30 });
    expect(r.converged).toBe(true);
    expect(maxDiff(r.values, exact.slice(0, 5))).toBeLessThan(1e-10);
  });

  it('thick restarts converge with a small basis, and the full basis gives every eigenvalue exactly', () => {
    const small = lanczos(S, { k: 3, ncv: 8 });
    expect(small.converged).toBe(true);
    expect(small.iterations).toBeGreaterThan(1); // restarts were needed
    expect(maxDiff(small.values, fixtures.eig.largest.slice(0, 3))).toBeLessThan(1e-8);
    const A = withSymmetricSpectrum([5, 4, 3, 2, 1, -1], 9);
    const all = lanczos(A, { k: 6 });
    expect(all.iterations).toBe(1);
    expect(maxDiff(all.values, [5, 4, 3, 2, 1, -1])).toBeLessThan(1e-12);
  });

  it('continues past an invariant subspace (breakdown) to find the wanted eigenvalues', () => {
    // v0 = e₀ of a block-diagonal matrix spans an invariant subspace of dimension 2
    const A = zeros(30, 30);
    A.set(0, 0, 1);
    A.set(0, 1, 1);
    A.set(1, 0, 1);
    A.set(1, 1, 1);
    for (let i = 2; i < 30; i++) A.set(i, i, i);
    const v0 = new Float64Array(30);
    v0[0] = 1;
    const r = lanczos(A, { k: 3, v0, ncv: 10 });
    expect(r.converged).toBe(true);
    expect(maxDiff(r.values, [29, 28, 27])).toBeLessThan(1e-10);
  });

  it('handles 1×1 and 2×2 matrices (the basis is the whole space)', () => {
    expect(Array.from(lanczos(Matrix.from([[-3]]), { k: 1 }).values)).toEqual([-3]);
    const two = lanczos(
      Matrix.from([
        [2, 1],
        [1, 2],
      ]),
      { k: 2, which: 'smallest' },
    );
    expect(two.converged).toBe(true);
    expect(maxDiff(two.values, [1, 3])).toBeLessThan(1e-14);
  });

  it('is deterministic for a fixed seed and independent of it to within the tolerance', () => {
    const a = lanczos(S, { k: 2, seed: 5 });
    const b = lanczos(S, { k: 2, seed: 5 });
    const c = lanczos(S, { k: 2, seed: 6 });
    expect(a.values).toEqual(b.values);
    expect(a.vectors.data).toEqual(b.vectors.data);
    expect(maxDiff(a.values, c.values)).toBeLessThan(1e-9);
  });

  it('reports non-convergence at the restart cap instead of stopping silently', () => {
    const r = lanczos(poisson2d(20), { k: 5, which: 'smallest', maxIterations: 2, ncv: 10 });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(2);
    expect(r.values).toHaveLength(5);
  });

  it('stops with ABORTED when the signal fires', () => {
    const ctrl = new AbortController();
    let calls = 0;
    const op = poisson2d(30);
    const slow: LinearOperator = {
      ...op,
      matvec: (x) => {
        if (++calls === 25) ctrl.abort();
        return op.matvec(x);
      },
    };
    expect(() => lanczos(slow, { k: 5, which: 'smallest', signal: ctrl.signal })).toThrow(
      expect.objectContaining({ code: 'ABORTED' }),
    );
    expect(calls).toBe(25);
  });

  it('rejects a non-symmetric dense matrix', () => {
    const A = Matrix.from([
      [1, 2],
      [0, 1],
    ]);
    expect(() => lanczos(A, { k: 1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});

/** Q·diag(λ)·Qᵀ with a random orthogonal Q, symmetrized exactly. */
function withSymmetricSpectrum(lambda: number[], seed: number): Matrix {
  const n = lambda.length;
  const V = randomOrthonormal(n, n, seed);
  const VL = V.clone();
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) VL.set(i, j, V.get(i, j) * lambda[j]!);
  const A = matmul(VL, V.T);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) A.set(i, j, A.get(j, i));
  return A;
}
