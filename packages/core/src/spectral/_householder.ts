// Householder reflectors H = I − τ·v·vᵀ (v₀ = 1): generation and application.
// Private engine of the spectral folder; assumes validated input.
import { axpyStrided, dotStrided, norm2 } from '../kernels/blas1.js';
import { _pythag } from './_rotations.js';

// LAPACK dlamch('S') / dlamch('E'): below this, β is rescaled before forming v.
const SAFMIN = 2 ** -1022 / 2 ** -53;
const RSAFMN = 1 / SAFMIN;

/**
 * Generates an elementary reflector (LAPACK `dlarfg`, GvL Alg. 5.1.1): H·[α; x] = [β; 0]
 * with H = I − τ·[1; v]·[1; v]ᵀ. `x` (n elements at `x[off + i·inc]`) is overwritten by v.
 * Returns τ (0 when x = 0, i.e. H = I) and writes β to `out[0]`.
 */
export function _householder(
  n: number,
  alpha: number,
  x: Float64Array,
  off: number,
  inc: number,
  out: Float64Array,
): number {
  if (n <= 0) {
    out[0] = alpha;
    return 0;
  }
  let xnorm = norm2(x, off, inc, n);
  if (xnorm === 0) {
    out[0] = alpha;
    return 0;
  }
  let beta = -Math.sign(alpha || 1) * _pythag(alpha, xnorm);
  let knt = 0;
  if (Math.abs(beta) < SAFMIN) {
    // β may be inaccurate: scale x and α up until it is safe (at most 20 times)
    do {
      knt++;
      for (let i = 0; i < n; i++) x[off + i * inc] *= RSAFMN;
      beta *= RSAFMN;
      alpha *= RSAFMN;
    } while (Math.abs(beta) < SAFMIN && knt < 20);
    xnorm = norm2(x, off, inc, n);
    beta = -Math.sign(alpha || 1) * _pythag(alpha, xnorm);
  }
  const tau = (beta - alpha) / beta;
  const scal = 1 / (alpha - beta);
  for (let i = 0; i < n; i++) x[off + i * inc] *= scal;
  for (let j = 0; j < knt; j++) beta *= SAFMIN;
  out[0] = beta;
  return tau;
}

/**
 * X ← X·H on rows [r0, r1) and columns [c0, c0 + len) of the row-major array `x` (leading
 * dimension `ld`), with H = I − τ·v·vᵀ and v = `v[voff .. voff + len)` contiguous.
 * Each row is updated in one visit: s = row·v, row ← row − τ·s·vᵀ (a fused GEMV and
 * rank-1 update, so the row stays in cache).
 */
export function _reflectRowsRight(
  x: Float64Array,
  ld: number,
  r0: number,
  r1: number,
  c0: number,
  len: number,
  v: Float64Array,
  voff: number,
  tau: number,
): void {
  if (tau === 0 || len === 0) return;
  for (let i = r0; i < r1; i++) {
    const p = i * ld + c0;
    const s = dotStrided(len, x, p, 1, v, voff, 1);
    if (s !== 0) axpyStrided(len, -tau * s, v, voff, 1, x, p, 1);
  }
}
