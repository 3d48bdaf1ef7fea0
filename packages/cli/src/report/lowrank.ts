import type { Matrix } from '@lr/core';

/** ‖A − B‖_F / ‖A‖_F (0 when A = 0). */
export function relativeError(A: Matrix, B: Matrix): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < A.rows; i++) {
    for (let j = 0; j < A.cols; j++) {
      const a = A.get(i, j);
      const d = a - B.get(i, j);
      num += d * d;
      den += a * a;
    }
  }
  return den > 0 ? Math.sqrt(num / den) : 0;
}
