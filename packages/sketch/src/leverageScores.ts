import {
  assertInt,
  assertOneOf,
  InvalidArgumentError,
  type Matrix,
  matmul,
  optionsObject,
  qr,
  Rng,
  randn,
  type Seed,
  solveTriangular,
} from '@lr/core';
import { asDenseMatrix, rowNormsSquared } from './_util.js';
import { srht } from './srht.js';

/** Options of {@link leverageScores}. */
export interface LeverageScoresOptions {
  /** `'exact'` (thin QR, O(n·d²); default) or `'approximate'` (Drineas et al. 2012). */
  method?: 'exact' | 'approximate';
  /**
   * Approximate method: SRHT rows r₁ for the sketch Π₁·A; default min(8·d, N) with N the
   * power of two ≥ n (a constant-factor subspace embedding in practice).
   */
  sketchRows?: number;
  /**
   * Approximate method: columns r₂ of the JL projection Π₂; default ⌈8·ln(n)⌉, at least 20
   * (Drineas et al. take r₂ = O(ε⁻² log n)).
   */
  jlDimension?: number;
  /** Seed (or an Rng) for the approximate method; default 0. */
  seed?: Seed;
}

/** Result of {@link leverageScores}. */
export interface LeverageScoresResult {
  /** τᵢ = ‖eᵢᵀ·U‖² for an orthonormal basis U of range(A); length n, Σ τᵢ = rank ≤ d. */
  scores: Float64Array;
  /** Σ τᵢ (the rank d for a full-rank A; approximate under `'approximate'`). */
  total: number;
  /** The method used. */
  method: 'exact' | 'approximate';
}

/**
 * Statistical leverage scores τᵢ = aᵢᵀ(AᵀA)⁻¹aᵢ of the rows of a tall n×d A of full column
 * rank. `'exact'`: squared row norms of Q in the thin QR A = Q·R. `'approximate'`
 * (Drineas, Magdon-Ismail, Mahoney, Woodruff 2012, Alg. 1): R from the QR of an SRHT
 * sketch Π₁·A, then the squared row norms of A·(R⁻¹·Π₂) with a Gaussian JL matrix Π₂
 * (d×r₂, entries N(0, 1/r₂)), in O(n·d·log n + n·d·r₂) — each score within a (1 ± ε)
 * factor with high probability.
 *
 * Defaults: `method` `'exact'`, `sketchRows` 8·d, `jlDimension` max(20, ⌈8 ln n⌉), `seed` 0.
 *
 * @param A n×d dense matrix, n ≥ d, full column rank
 * @param options see {@link LeverageScoresOptions}
 * @returns `{ scores (length n), total, method }`
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for bad options or n < d
 * @throws {NonFiniteError} `NON_FINITE` if an input holds NaN or ±∞
 * @example
 * import { randn } from '@lr/core';
 * import { leverageScores } from '@lr/sketch';
 * const { scores, total } = leverageScores(randn(500, 5, { seed: 1 })); // total ≈ 5
 */
export function leverageScores(A: Matrix, options?: LeverageScoresOptions): LeverageScoresResult {
  const opts = optionsObject('options', options);
  const a = asDenseMatrix('A', A);
  const method = assertOneOf('options.method', opts.method ?? 'exact', [
    'exact',
    'approximate',
  ] as const);
  const n = a.rows;
  const d = a.cols;
  if (n < d) throw new InvalidArgumentError(`A: expected n ≥ d (a tall matrix), got ${n}×${d}`);
  let scores: Float64Array;
  if (method === 'exact') {
    scores = rowNormsSquared(qr(a).Q!);
  } else {
    let N = 1;
    while (N < n) N *= 2;
    const r1 = assertInt('options.sketchRows', opts.sketchRows ?? Math.min(8 * d, N), d, N);
    const r2 = assertInt(
      'options.jlDimension',
      opts.jlDimension ?? Math.max(20, Math.ceil(8 * Math.log(n))),
      1,
    );
    const rng = Rng.from(opts.seed);
    const { R } = qr(srht(r1, n, { seed: rng }).apply(a), { mode: 'r' });
    const Pi2 = randn(d, r2, { seed: rng.int(2 ** 31) });
    const scale = 1 / Math.sqrt(r2);
    for (let q = 0; q < Pi2.data.length; q++) Pi2.data[q]! *= scale;
    const RinvPi2 = solveTriangular(R, Pi2); // R⁻¹·Π₂, d×r₂
    scores = rowNormsSquared(matmul(a, RinvPi2));
  }
  let total = 0;
  for (const s of scores) total += s;
  return { scores, total, method };
}
