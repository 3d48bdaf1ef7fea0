import {
  assertInt,
  assertNumber,
  assertOneOf,
  InvalidArgumentError,
  Matrix,
  optionsObject,
  UnsupportedError,
} from '@lr/core';
import { now } from '../runtime/_time.js';
import { type TensorAttentionArgs, tensorAttentionArgs } from './_args.js';
import { type ExpPolyMethod, expPolyCoefficients, expPolyRelError } from './_expPoly.js';

export type { ExpPolyMethod };

/** Options of {@link tensorAttentionPoly}. */
export interface TensorAttentionPolyOptions {
  /** Score scale as in {@link tensorAttentionCpu}; default 1/d (the paper's). */
  scale?: number;
  /**
   * Target relative error ε of the exp polynomial on [−R, R]: the degree is the smallest
   * g with max |p(x)/eˣ − 1| ≤ ε on a 4001-point grid. Default 1e-6. Ignored with `degree`.
   */
  epsilon?: number;
  /** A fixed degree g ≥ 0 instead of choosing it from `epsilon` (for error-vs-bound studies). */
  degree?: number;
  /** Largest degree the ε search may pick; default 40 (beyond it: `UNSUPPORTED`). */
  maxDegree?: number;
  /**
   * Entry bound B ≥ ‖Q‖∞, ‖K1‖∞, ‖K2‖∞ (checked); then R = |scale|·d·B³, the paper's
   * setting. Default: none; R is the data's own bound
   * |scale|·max_i Σ_c |Q_ic|·max_j |K1_jc|·max_l |K2_lc| (never larger).
   */
  bound?: number;
  /** `'chebyshev'` (default: needs a lower degree for the same ε) or `'taylor'`. */
  method?: ExpPolyMethod;
  /**
   * Largest number of features r = C(d + g, g) allowed (memory is r·(dv + 1) float64 per
   * key side); default 200 000 (beyond it: `UNSUPPORTED`).
   */
  maxFeatures?: number;
}

/** Result of {@link tensorAttentionPoly}. */
export interface TensorAttentionPolyResult {
  /** D̃⁻¹·Ã·(V1 ⊘ V2) with Ã = p(scores), float64 `nq × dv`. */
  output: Matrix;
  /** Polynomial degree g used. */
  degree: number;
  /** Monomial coefficients c_0..c_g of p(x) ≈ eˣ (x = the scaled score). */
  coefficients: Float64Array;
  /** Features r = C(d + g, g): the rank of the factorisation. */
  features: number;
  /** R: every scaled score lies in [−R, R]. */
  radius: number;
  /** max(‖Q‖∞, ‖K1‖∞, ‖K2‖∞) of the input. */
  entryBound: number;
  /** max |p(x)/eˣ − 1| on the 4001-point grid of [−R, R]. */
  polyRelativeError: number;
  method: ExpPolyMethod;
  /** Query rows whose approximate normaliser D̃_i came out ≤ 0 (degree far too low); 0 normally. */
  nonPositiveNormalizers: number;
  /** Wall-clock seconds. */
  seconds: number;
}

/** C(d + g, g) in floating point (exact for the sizes allowed). */
function featureCount(d: number, g: number): number {
  let r = 1;
  for (let m = 1; m <= g; m++) r = (r * (d + m)) / m;
  return Math.round(r);
}

/**
 * The multi-indices α (|α| ≤ g) over d variables as a tree: feature f is its parent's
 * monomial times x[last[f]], so φ_f(x) = x^α is one multiply; `weight[f]` is the
 * multinomial m!/Π α_c! times c_m·scale^m.
 * @internal
 */
export function buildFeatures(
  d: number,
  g: number,
  r: number,
  coeffs: Float64Array,
  scale: number,
): { parent: Int32Array; last: Int32Array; weight: Float64Array } {
  const parent = new Int32Array(r);
  const last = new Int32Array(r);
  const run = new Int32Array(r); // trailing repeats of last[f]
  const multi = new Float64Array(r);
  const weight = new Float64Array(r);
  parent[0] = -1;
  last[0] = -1;
  multi[0] = 1;
  weight[0] = coeffs[0]!;
  let levelStart = 0;
  let levelEnd = 1;
  let next = 1;
  for (let m = 1; m <= g; m++) {
    const wm = coeffs[m]! * scale ** m;
    for (let p = levelStart; p < levelEnd; p++) {
      for (let c = Math.max(last[p]!, 0); c < d; c++) {
        parent[next] = p;
        last[next] = c;
        run[next] = last[p] === c ? run[p]! + 1 : 1;
        multi[next] = (multi[p]! * m) / run[next]!;
        weight[next] = wm * multi[next]!;
        next++;
      }
    }
    levelStart = levelEnd;
    levelEnd = next;
  }
  return { parent, last, weight };
}

function features(
  x: Float64Array,
  off: number,
  parent: Int32Array,
  last: Int32Array,
  phi: Float64Array,
): void {
  phi[0] = 1;
  for (let f = 1; f < phi.length; f++) phi[f] = phi[parent[f]!]! * x[off + last[f]!]!;
}

/** Σ_j φ(K_j)·V_jᵀ (`r × dv`) and Σ_j φ(K_j) (`r`). */
function keySums(
  k: Float64Array,
  v: Float64Array,
  n: number,
  d: number,
  dv: number,
  tree: { parent: Int32Array; last: Int32Array },
  r: number,
): { U: Float64Array; S: Float64Array } {
  const U = new Float64Array(r * dv);
  const S = new Float64Array(r);
  const phi = new Float64Array(r);
  for (let j = 0; j < n; j++) {
    features(k, j * d, tree.parent, tree.last, phi);
    for (let f = 0; f < r; f++) {
      const p = phi[f]!;
      if (p === 0) continue;
      S[f] += p;
      const o = f * dv;
      for (let c = 0; c < dv; c++) U[o + c] += p * v[j * dv + c]!;
    }
  }
  return { U, S };
}

function infNorm(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/** Degree, coefficients and bounds chosen for a problem (shared with the GPU version). @internal */
export interface PolyPlan {
  method: ExpPolyMethod;
  degree: number;
  coefficients: Float64Array;
  /** r = C(d + g, g). */
  features: number;
  radius: number;
  entryBound: number;
  polyRelativeError: number;
}

/** Parsed options of {@link tensorAttentionPoly}. @internal */
export interface PolyOptions {
  method: ExpPolyMethod;
  epsilon: number;
  maxDegree: number;
  fixed: number | undefined;
  maxFeatures: number;
  bound: number | undefined;
  scale: unknown;
}

/** Validates the options of {@link tensorAttentionPoly} (before the operands). @internal */
export function parsePolyOptions(options: TensorAttentionPolyOptions | undefined): PolyOptions {
  const opts = optionsObject('options', options);
  const method = assertOneOf<ExpPolyMethod>('options.method', opts.method ?? 'chebyshev', [
    'chebyshev',
    'taylor',
  ]);
  const epsilon = assertNumber('options.epsilon', opts.epsilon ?? 1e-6, Number.MIN_VALUE, 0.5);
  const maxDegree = assertInt('options.maxDegree', opts.maxDegree ?? 40, 0, 200);
  const fixed =
    opts.degree === undefined ? undefined : assertInt('options.degree', opts.degree, 0, 200);
  const maxFeatures = assertInt('options.maxFeatures', opts.maxFeatures ?? 200_000, 1);
  const bound = opts.bound === undefined ? undefined : assertNumber('options.bound', opts.bound, 0);
  return { method, epsilon, maxDegree, fixed, maxFeatures, bound, scale: opts.scale };
}

/**
 * Computes R for validated operands and picks the degree and coefficients (shared with
 * the GPU version). @internal
 */
export function polyPlan(fn: string, a: TensorAttentionArgs, o: PolyOptions): PolyPlan {
  const { method, epsilon, maxDegree, fixed, maxFeatures, bound } = o;
  const { q, k1, k2, nq, n1, n2, d, scale } = a;

  const entryBound = Math.max(infNorm(q), infNorm(k1), infNorm(k2));
  let R: number;
  if (bound !== undefined) {
    if (entryBound > bound)
      throw new InvalidArgumentError(
        `options.bound: the entries reach ${entryBound}, above the bound ${bound}`,
      );
    R = Math.abs(scale) * d * bound ** 3;
  } else {
    const m1 = new Float64Array(d);
    const m2 = new Float64Array(d);
    for (let j = 0; j < n1; j++)
      for (let c = 0; c < d; c++) m1[c] = Math.max(m1[c]!, Math.abs(k1[j * d + c]!));
    for (let l = 0; l < n2; l++)
      for (let c = 0; c < d; c++) m2[c] = Math.max(m2[c]!, Math.abs(k2[l * d + c]!));
    R = 0;
    for (let i = 0; i < nq; i++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += Math.abs(q[i * d + c]!) * m1[c]! * m2[c]!;
      R = Math.max(R, s);
    }
    R *= Math.abs(scale);
  }

  let degree: number;
  let coefficients: Float64Array;
  let polyRelativeError: number;
  if (fixed !== undefined) {
    degree = fixed;
    coefficients = expPolyCoefficients(R, degree, method);
    polyRelativeError = expPolyRelError(coefficients, R);
  } else {
    degree = -1;
    coefficients = new Float64Array(0);
    polyRelativeError = Infinity;
    for (let g = 0; g <= maxDegree; g++) {
      const c = expPolyCoefficients(R, g, method);
      const e = expPolyRelError(c, R);
      if (e <= epsilon) {
        degree = g;
        coefficients = c;
        polyRelativeError = e;
        break;
      }
    }
    if (degree < 0)
      throw new UnsupportedError(
        `${fn}: no ${method} polynomial of degree ≤ ${maxDegree} approximates exp to relative error ${epsilon} on [−${R}, ${R}] (entries too large for the polynomial method; use tensorAttentionCpu)`,
      );
  }
  const r = featureCount(d, degree);
  if (r > maxFeatures)
    throw new UnsupportedError(
      `${fn}: degree ${degree} in d = ${d} dimensions needs C(d+g, g) = ${r} features, above options.maxFeatures = ${maxFeatures}`,
    );

  return { method, degree, coefficients, features: r, radius: R, entryBound, polyRelativeError };
}

/**
 * Tensor attention by the polynomial method for bounded entries (Alman & Song 2024):
 * exp is replaced by a degree-g polynomial p on [−R, R] (every scaled score lies there),
 * and the n1·n2 pair sum is never formed. With x = scale·⟨q, k1 ∘ k2⟩ and
 * (k1 ∘ k2)^α = k1^α·k2^α for every multi-index α,
 *
 *   Σ_{j,l} p(x_ijl)·(V1_j ∘ V2_l) = Σ_{|α| ≤ g} w_α·Q_i^α · (Σ_j K1_j^α V1_j) ∘ (Σ_l K2_l^α V2_l),
 *   w_α = c_|α|·scale^|α|·|α|!/Π α_c!,
 *
 * i.e. the column-wise Kronecker identity (U1 ⊘ U2)ᵀ(V1 ⊘ V2) = (U1ᵀV1) ∘ (U2ᵀV2) applied to
 * the rank-r feature maps φ(K) = (K^α)_α, r = C(d + g, g); D̃_i is the same sum with V = 1.
 * Cost O((nq + n1 + n2)·r·dv) instead of O(nq·n1·n2·(d + dv)).
 *
 * Accuracy: if |p(x)/eˣ − 1| ≤ δ on [−R, R], each output moves by at most
 * 2δ/(1 − δ)·max|V1_j ∘ V2_l| (a weighted mean whose weights are off by 1 ± δ). The degree
 * needed grows with R: the paper's bound is g = O(max(log(1/ε)/log(log(1/ε)/R), R)) with
 * R = B³ for entries bounded by B (scale 1/d), so r — and the time — is n^o(1) only when
 * B = o(∛log n); above that the paper proves no sub-cubic algorithm exists (under SETH).
 * Float64 monomial evaluation limits the reachable ε to about 1e-16·e^(2R).
 *
 * @param Q queries `[nq, d]`
 * @param K1 first keys `[n1, d]`
 * @param K2 second keys `[n2, d]`
 * @param V1 first values `[n1, dv]`
 * @param V2 second values `[n2, dv]`
 * @param options `epsilon` (1e-6), `degree`, `maxDegree` (40), `bound`, `method`
 * ('chebyshev'), `scale` (1/d), `maxFeatures` (200 000)
 * @returns `output` (float64 `nq × dv`), the degree, coefficients, feature count, R, the
 * measured polynomial error and timing
 * @throws {ShapeError} `SHAPE_MISMATCH` if the shapes do not fit (see {@link tensorAttentionCpu})
 * @throws {NonFiniteError} `NON_FINITE` for NaN or ±Infinity in an operand
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a bad option, or entries above `bound`
 * @throws {UnsupportedError} `UNSUPPORTED` if no degree ≤ maxDegree reaches ε, or r exceeds
 * maxFeatures (the entries are too large for the fast method: use {@link tensorAttentionCpu})
 * @example
 * import { rand } from '@lr/core';
 * const [Q, K1, K2, V1, V2] = [1, 2, 3, 4, 5].map((seed) => rand(64, 4, { seed }));
 * const fast = tensorAttentionPoly(Q, K1, K2, V1, V2, { epsilon: 1e-8 });
 * const exact = tensorAttentionCpu(Q, K1, K2, V1, V2);
 * Math.abs(fast.output.get(0, 0) - exact.output.get(0, 0)) < 1e-7; // true
 */
export function tensorAttentionPoly(
  Q: Matrix,
  K1: Matrix,
  K2: Matrix,
  V1: Matrix,
  V2: Matrix,
  options?: TensorAttentionPolyOptions,
): TensorAttentionPolyResult {
  const t0 = now();
  const o = parsePolyOptions(options);
  const a: TensorAttentionArgs = tensorAttentionArgs(Q, K1, K2, V1, V2, o.scale);
  const plan = polyPlan('tensorAttentionPoly', a, o);
  const { q, k1, k2, v1, v2, nq, n1, n2, d, dv, scale } = a;
  const {
    degree,
    coefficients,
    features: r,
    radius: R,
    entryBound,
    polyRelativeError,
    method,
  } = plan;

  const tree = buildFeatures(d, degree, r, coefficients, scale);
  const s1 = keySums(k1, v1, n1, d, dv, tree, r);
  const s2 = keySums(k2, v2, n2, d, dv, tree, r);
  // G[f, c] = w_f·U1[f, c]·U2[f, c]; H[f] = w_f·S1[f]·S2[f]
  const G = s1.U;
  const H = s1.S;
  for (let f = 0; f < r; f++) {
    const w = tree.weight[f]!;
    H[f] = w * H[f]! * s2.S[f]!;
    const o = f * dv;
    for (let c = 0; c < dv; c++) G[o + c] = w * G[o + c]! * s2.U[o + c]!;
  }
  const out = new Float64Array(nq * dv);
  const phi = new Float64Array(r);
  let nonPositiveNormalizers = 0;
  for (let i = 0; i < nq; i++) {
    features(q, i * d, tree.parent, tree.last, phi);
    let den = 0;
    const oi = i * dv;
    for (let f = 0; f < r; f++) {
      const p = phi[f]!;
      if (p === 0) continue;
      den += p * H[f]!;
      const o = f * dv;
      for (let c = 0; c < dv; c++) out[oi + c] += p * G[o + c]!;
    }
    if (!(den > 0)) nonPositiveNormalizers++;
    for (let c = 0; c < dv; c++) out[oi + c] /= den;
  }
  return {
    output: new Matrix(out, nq, dv),
    degree,
    coefficients,
    features: r,
    radius: R,
    entryBound,
    polyRelativeError,
    method,
    nonPositiveNormalizers,
    seconds: (now() - t0) / 1000,
  };
}
