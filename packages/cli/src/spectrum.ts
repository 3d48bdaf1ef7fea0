/**
 * Summaries of a singular value spectrum, shared by `lr svd` and the report.
 * `S` is descending; `total` is Σσ² over the full spectrum (‖A‖_F²), which may exceed
 * Σ S² when S is truncated.
 */

/** Σ σ_i² of `S`. */
export function energy(S: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < S.length; i++) e += S[i]! * S[i]!;
  return e;
}

/**
 * The smallest k with Σ_{i<k} σ_i² ≥ fraction·total: the rank that keeps that share of
 * the squared Frobenius norm. `null` when S is truncated before the share is reached.
 */
export function energyRank(
  S: ArrayLike<number>,
  fraction: number,
  total = energy(S),
): number | null {
  if (total <= 0) return 0;
  let c = 0;
  for (let i = 0; i < S.length; i++) {
    c += S[i]! * S[i]!;
    if (c >= fraction * total * (1 - 1e-12)) return i + 1;
  }
  return null;
}

/** Stable rank ‖A‖_F² / σ₁² (Rudelson & Vershynin 2007): ≤ rank, robust to tiny σ. */
export function stableRank(S: ArrayLike<number>, total = energy(S)): number {
  const s1 = S[0] ?? 0;
  return s1 > 0 ? total / (s1 * s1) : 0;
}

/**
 * ‖A − A_k‖_F / ‖A‖_F for the best rank-k approximation A_k (Eckart–Young–Mirsky):
 * sqrt(Σ_{i≥k} σ_i²) / sqrt(Σ σ_i²). Needs the full spectrum.
 */
export function tailError(S: ArrayLike<number>, k: number, total = energy(S)): number {
  if (total <= 0) return 0;
  let head = 0;
  for (let i = 0; i < Math.min(k, S.length); i++) head += S[i]! * S[i]!;
  return Math.sqrt(Math.max(0, total - head) / total);
}
