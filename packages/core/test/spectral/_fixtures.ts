// Loads fixtures/spectral.json (written by fixtures/make_fixtures.py) for the spectral tests.
import { readFileSync } from 'node:fs';
import { Matrix } from '@lr/core';

export interface SpectralCase {
  name: string;
  note: string;
  shape: [number, number];
  data: number[];
  /** numpy.linalg.svd(a, compute_uv=False) */
  svd?: number[];
  /** mpmath (60 digits) singular values, rounded once to double */
  svdExact?: number[];
  /** numpy.linalg.eigvalsh(a) (lower triangle) */
  eigh?: number[];
  /** mpmath (60 digits) eigenvalues, rounded once to double */
  eighExact?: number[];
  /** numpy's 2-norm condition number below 1e3 */
  wellConditioned: boolean;
}

export const CASES: SpectralCase[] = (
  JSON.parse(readFileSync(new URL('./fixtures/spectral.json', import.meta.url), 'utf8')) as {
    cases: SpectralCase[];
  }
).cases;

export function load(c: SpectralCase): Matrix {
  return Matrix.fromData(Float64Array.from(c.data), c.shape[0], c.shape[1]);
}
