// Householder reflector kernels on column-major Float64 work arrays (private).
// H = I − τ·v·vᵀ with v[0] = 1, as LAPACK's dlarfg / dlarf (Golub & Van Loan 4th ed.,
// Alg. 5.1.1 and §5.1.4). Assume validated input.
import { axpyStrided, dotStrided, norm2 } from '../kernels/blas1.js';

/**
 * Generates the reflector that maps x = a[off … off+n−1] to β·e₁ (LAPACK dlarfg):
 * on return a[off] = β and a[off+1 …] holds v[1 …] (v[0] = 1 implicit). Returns τ; τ = 0
 * (H = I) when x[1 …] is already zero.
 */
export function makeReflector(n: number, a: Float64Array, off: number): number {
  if (n <= 1) return 0;
  const xnorm = norm2(a, off + 1, 1, n - 1);
  if (xnorm === 0) return 0;
  const alpha = a[off]!;
  const beta = alpha >= 0 ? -Math.hypot(alpha, xnorm) : Math.hypot(alpha, xnorm);
  const tau = (beta - alpha) / beta;
  // |alpha − beta| ≥ |x_i|, so the division cannot overflow; dividing (not multiplying by
  // the reciprocal) keeps accuracy when alpha − beta is subnormal.
  const d = alpha - beta;
  for (let i = 1; i < n; i++) a[off + i] /= d;
  a[off] = beta;
  return tau;
}

/**
 * C ← H·C for the columns c0 … c1−1 of a column-major array `a` (leading dimension `ld`),
 * rows r0 … r0+len−1, with v = v[vOff … vOff+len−1] (v[0] must already be 1). Each column
 * gets one dot product and one axpy (the gemv + rank-1 update of LAPACK dlarf, fused per
 * column so the column stays in cache).
 */
export function applyReflector(
  len: number,
  tau: number,
  v: Float64Array,
  vOff: number,
  a: Float64Array,
  ld: number,
  r0: number,
  c0: number,
  c1: number,
): void {
  if (tau === 0 || len === 0) return;
  for (let j = c0; j < c1; j++) {
    const off = j * ld + r0;
    const w = dotStrided(len, v, vOff, 1, a, off, 1);
    if (w !== 0) axpyStrided(len, -tau * w, v, vOff, 1, a, off, 1);
  }
}
