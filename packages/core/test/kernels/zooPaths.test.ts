// The accuracy zoo (../zoo/zoo.json) on every kernel path: the dense decompositions keep
// their LAPACK-style residual ratios under the zoo's bound of 10 whether their GEMMs run in
// TypeScript, in WebAssembly, or split over worker threads (the last two forced for every
// size, so even the 1×1 and 6×6 cases go through wasm). ../zoo/zoo.test.ts checks much more
// (numpy agreement, shapes, pivoting) on the default path.
import { readFileSync } from 'node:fs';
import { cholesky, eigh, lu, Matrix, qr, svd, zeros } from '@lr/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { naiveMatmul, orthogonalityError, scaledResidual } from '../helpers';
import { PATHS, resetBackend, startThreads, use } from './_paths';

interface ZooCase {
  name: string;
  shape: [number, number];
  data: number[];
  applies: Record<'qr' | 'lu' | 'cholesky' | 'eigh' | 'svd', boolean>;
}

const zoo = JSON.parse(readFileSync(new URL('../zoo/zoo.json', import.meta.url), 'utf8')) as {
  cases: ZooCase[];
};
const BOUND = 10;

beforeAll(startThreads);
afterAll(resetBackend);

function scaleCols(U: Matrix, s: ArrayLike<number>): Matrix {
  const B = zeros(U.rows, s.length);
  for (let i = 0; i < U.rows; i++)
    for (let j = 0; j < s.length; j++) B.set(i, j, U.get(i, j) * s[j]!);
  return B;
}

function permuteRows(A: Matrix, perm: ArrayLike<number>): Matrix {
  const B = zeros(A.rows, A.cols);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) B.set(i, j, A.get(perm[i]!, j));
  return B;
}

describe.each(PATHS)('zoo on the %s path', (path) => {
  it.each(zoo.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const [m, n] = c.shape;
    const A = Matrix.fromData(Float64Array.from(c.data), m, n);
    const ratios: [string, number][] = [];
    use(path);
    try {
      if (c.applies.qr) {
        const { Q, R } = qr(A);
        ratios.push(['qr ‖A − QR‖', scaledResidual(A, naiveMatmul(Q!, R))]);
        ratios.push(['qr ‖QᵀQ − I‖', orthogonalityError(Q!)]);
      }
      if (c.applies.lu) {
        const { L, U, perm } = lu(A);
        ratios.push(['lu ‖A[p,:] − LU‖', scaledResidual(permuteRows(A, perm), naiveMatmul(L, U))]);
      }
      if (c.applies.cholesky) {
        const L = cholesky(A);
        ratios.push(['cholesky ‖A − LLᵀ‖', scaledResidual(A, naiveMatmul(L, L.T))]);
      }
      if (c.applies.eigh) {
        const { values, vectors } = eigh(A);
        ratios.push([
          'eigh ‖AV − VΛ‖',
          scaledResidual(naiveMatmul(A, vectors!), scaleCols(vectors!, values)),
        ]);
        ratios.push(['eigh ‖VᵀV − I‖', orthogonalityError(vectors!)]);
      }
      if (c.applies.svd) {
        const { U, S, Vt } = svd(A);
        ratios.push(['svd ‖A − UΣVᵀ‖', scaledResidual(A, naiveMatmul(scaleCols(U!, S), Vt!))]);
        ratios.push(['svd ‖UᵀU − I‖', orthogonalityError(U!)]);
      }
    } finally {
      resetBackend();
    }
    for (const [label, r] of ratios)
      expect.soft(r, `${path} ${c.name} ${label}`).toBeLessThan(BOUND);
  });
});
