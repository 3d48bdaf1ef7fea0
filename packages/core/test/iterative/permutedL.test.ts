// The LU normalizer of randomizedSvd (scipy `lu(Y, permute_l=True)[0]`, formed in place
// without moving rows) against P·L from lu(): the same matrix up to rounding, on tall,
// square and rank-deficient blocks.
import { lu, type Matrix, randn } from '@lr/core';
import { describe, expect, it } from 'vitest';
import { _permutedLInPlace } from '../../src/iterative/randomizedSvd.js';

function permutedLReference(Y: Matrix): Float64Array {
  const { L, perm } = lu(Y);
  const k = L.cols;
  const out = new Float64Array(Y.rows * k);
  for (let i = 0; i < L.rows; i++) for (let j = 0; j < k; j++) out[perm[i]! * k + j] = L.get(i, j);
  return out;
}

describe('_permutedLInPlace', () => {
  it.each([
    [1, 1],
    [7, 7],
    [65, 7],
    [257, 30],
  ])('%i×%i: equals P·L of lu()', (rows, l) => {
    const Y = randn(rows, l, { seed: rows + l });
    const want = permutedLReference(Y);
    const y = Y.data.slice() as Float64Array;
    _permutedLInPlace(y, rows, l, new Int32Array(rows));
    for (let i = 0; i < y.length; i++)
      expect(Math.abs(y[i]! - want[i]!)).toBeLessThanOrEqual(1e-12);
  });

  it('a zero column and repeated rows (zero pivots) match lu() too', () => {
    const Y = randn(40, 6, { seed: 9 });
    for (let i = 0; i < 40; i++) Y.set(i, 2, 0);
    for (let j = 0; j < 6; j++) Y.set(5, j, Y.get(3, j));
    const want = permutedLReference(Y);
    const y = Y.data.slice() as Float64Array;
    _permutedLInPlace(y, 40, 6, new Int32Array(40));
    for (let i = 0; i < y.length; i++)
      expect(Math.abs(y[i]! - want[i]!)).toBeLessThanOrEqual(1e-12);
  });
});
