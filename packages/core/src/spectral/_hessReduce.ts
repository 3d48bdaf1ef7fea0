// Householder reduction of a general real matrix to upper Hessenberg form, H = QᵀAQ
// (Golub & Van Loan, Matrix Computations, 4th ed., Alg. 7.4.2; LAPACK dgehd2), with Q
// accumulated explicitly (LAPACK dorghr). Assumes validated input.

/**
 * Householder vector of x = [alpha, x1…] in the LAPACK dlarfg convention: returns
 * (beta, tau) with (I − tau·[1; v][1; v]ᵀ)·x = [beta; 0] and writes v over x[1…].
 * `x` holds the m entries at `x[off + k·stride]`, k = 0…m−1.
 */
export function _eigHouse(
  x: Float64Array,
  off: number,
  stride: number,
  m: number,
): { beta: number; tau: number } {
  const alpha = x[off]!;
  let scale = 0;
  for (let k = 1; k < m; k++) scale = Math.max(scale, Math.abs(x[off + k * stride]!));
  if (scale === 0) return { beta: alpha, tau: 0 };
  let ss = 0;
  for (let k = 1; k < m; k++) {
    const t = x[off + k * stride]! / scale;
    ss += t * t;
  }
  const xnorm = scale * Math.sqrt(ss);
  const norm = Math.hypot(alpha, xnorm);
  const beta = alpha >= 0 ? -norm : norm;
  const tau = (beta - alpha) / beta;
  const inv = 1 / (alpha - beta);
  for (let k = 1; k < m; k++) x[off + k * stride] = x[off + k * stride]! * inv;
  return { beta, tau };
}

/**
 * Reduces the row-major n×n array `a` in place to upper Hessenberg form (entries below the
 * first subdiagonal set to zero) and returns Q (row-major n×n) with A = Q·H·Qᵀ.
 */
export function _hessReduce(a: Float64Array, n: number): Float64Array {
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  const v = new Float64Array(n);
  const w = new Float64Array(n);
  for (let k = 0; k + 2 < n; k++) {
    const m = n - k - 1; // length of the reflector, rows k+1…n−1
    const { beta, tau } = _eigHouse(a, (k + 1) * n + k, n, m);
    if (tau === 0) continue;
    v[0] = 1;
    for (let r = 1; r < m; r++) v[r] = a[(k + 1 + r) * n + k]!;
    a[(k + 1) * n + k] = beta;
    for (let r = 1; r < m; r++) a[(k + 1 + r) * n + k] = 0;
    // left: rows k+1…n−1, columns k+1…n−1: A ← A − tau·v·(vᵀA)
    w.fill(0, 0, n);
    for (let r = 0; r < m; r++) {
      const vr = v[r]!;
      if (vr === 0) continue;
      const row = (k + 1 + r) * n;
      for (let j = k + 1; j < n; j++) w[j] = w[j]! + vr * a[row + j]!;
    }
    for (let r = 0; r < m; r++) {
      const s = tau * v[r]!;
      if (s === 0) continue;
      const row = (k + 1 + r) * n;
      for (let j = k + 1; j < n; j++) a[row + j] = a[row + j]! - s * w[j]!;
    }
    // right: all rows, columns k+1…n−1: A ← A − tau·(A·v)·vᵀ; same for Q
    for (const mat of [a, q]) {
      for (let i = 0; i < n; i++) {
        const row = i * n + k + 1;
        let s = 0;
        for (let r = 0; r < m; r++) s += mat[row + r]! * v[r]!;
        if (s === 0) continue;
        s *= tau;
        for (let r = 0; r < m; r++) mat[row + r] = mat[row + r]! - s * v[r]!;
      }
    }
  }
  return q;
}
