import {
  fold,
  InvalidArgumentError,
  Matrix,
  ShapeError,
  Tensor,
  tensor,
  tensorRandn,
  unfold,
} from '@lr/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

// Kolda & Bader 2009, §2.4: X ∈ R^{3×4×2} with frontal slices X1 = [1 4 7 10; 2 5 8 11; 3 6 9 12]
// and X2 = [13 16 19 22; 14 17 20 23; 15 18 21 24], i.e. X(i, j, k) = 1 + i + 3j + 12k (0-based).
function koldaBaderExample(): Tensor {
  const d = new Float64Array(24);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 4; j++)
      for (let k = 0; k < 2; k++) d[i * 8 + j * 2 + k] = 1 + i + 3 * j + 12 * k;
  return new Tensor(d, [3, 4, 2]);
}

describe('unfold / fold (Kolda & Bader 2009 convention)', () => {
  it('reproduces the three unfoldings printed in Kolda & Bader §2.4', () => {
    const X = koldaBaderExample();
    expect(unfold(X, 0).toArray()).toEqual([
      [1, 4, 7, 10, 13, 16, 19, 22],
      [2, 5, 8, 11, 14, 17, 20, 23],
      [3, 6, 9, 12, 15, 18, 21, 24],
    ]);
    expect(unfold(X, 1).toArray()).toEqual([
      [1, 2, 3, 13, 14, 15],
      [4, 5, 6, 16, 17, 18],
      [7, 8, 9, 19, 20, 21],
      [10, 11, 12, 22, 23, 24],
    ]);
    expect(unfold(X, 2).toArray()).toEqual([
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
      [13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24],
    ]);
  });

  it('the mode-0 unfolding of a matrix is the matrix, the mode-1 unfolding its transpose', () => {
    const A = Matrix.from([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(unfold(A, 0).toArray()).toEqual(A.toArray());
    expect(unfold(A, 1).toArray()).toEqual(A.T.toArray());
    expect(unfold(tensor([1, 2, 3], [3]), 0).toArray()).toEqual([[1], [2], [3]]);
  });

  it('fold inverts unfold for every mode, on strided views (fast-check)', () => {
    const shapes = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(shapes, fc.integer({ min: 0, max: 1000 }), (shape, seed) => {
        const base = tensorRandn(
          shape.map((d) => d + 1),
          { seed },
        );
        // a non-contiguous view: drop the last index on every axis, then reverse the axes
        const view = base.slice(...shape.map((d) => [0, d] as [number, number])).permute();
        const rshape = [...view.shape];
        for (let n = 0; n < view.ndim; n++) {
          const M = unfold(view, n);
          expect(M.rows).toBe(rshape[n]);
          const back = fold(M, n, rshape);
          expect(back.toFloat64Array()).toEqual(view.toFloat64Array());
          // element (i_0, …) sits at row i_n, column Σ_{k≠n} i_k·J_k
          const idx = rshape.map((d) => d - 1);
          let j = 0;
          let J = 1;
          for (let k = 0; k < rshape.length; k++) {
            if (k === n) continue;
            j += idx[k]! * J;
            J *= rshape[k]!;
          }
          expect(M.get(idx[n]!, j)).toBe(view.at(...idx));
        }
      }),
      { numRuns: 40, seed: 1 },
    );
  });

  it('does not modify its input and validates arguments', () => {
    const X = koldaBaderExample();
    const copy = X.toFloat64Array();
    unfold(X, 1);
    expect(X.toFloat64Array()).toEqual(copy);
    expect(() => unfold(X, 3)).toThrow(/mode: expected an integer in \[0, 2\]/);
    expect(() => unfold(X, -1)).toThrow(InvalidArgumentError);
    expect(() => unfold([1, 2] as never, 0)).toThrow(/t: expected a Tensor/);
    expect(() => unfold(new Tensor(new Float64Array(1), []), 0)).toThrow(ShapeError);
    expect(() => fold(unfold(X, 0), 0, [3, 4, 3])).toThrow(ShapeError);
    expect(() => fold(unfold(X, 0), 0, [3, -1] as never)).toThrow(/shape: expected/);
    expect(() => fold(unfold(X, 0), 5, [3, 4, 2])).toThrow(/mode/);
  });
});
