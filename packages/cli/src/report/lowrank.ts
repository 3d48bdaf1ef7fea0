import { type Matrix, normFro, sub } from '@lr/core';

/** ‖A − B‖_F / ‖A‖_F (0 when A = 0). */
export function relativeError(A: Matrix, B: Matrix): number {
  const den = normFro(A);
  return den > 0 ? normFro(sub(A, B)) / den : 0;
}
