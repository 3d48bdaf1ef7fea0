import {
  assertInt,
  assertNumber,
  assertOneOf,
  describe,
  InvalidArgumentError,
  Matrix,
  optionsObject,
  qr,
  Rng,
  type Seed,
  scale,
  Tensor,
  tuckerReconstruct,
} from '@lr/core';
import { assertFiniteTensor, orDefault } from './_util.js';

/** Options of {@link flora}: give `ranks` (one per mode) or `rank` (all modes). */
export interface FloraOptions {
  /** Core size per mode, r_n in [1, I_n]. */
  ranks?: readonly number[];
  /** One rank for every mode, capped at I_n (e.g. 3×3 kernel modes keep 3). */
  rank?: number;
  /** Scale s of ΔW = s·G ×₀ U₀ ×₁ U₁ …; default 1. */
  alpha?: number;
  /**
   * How ΔW = 0 at init: `'zero-core'` (default) G = 0 with orthonormal random factors;
   * `'zero-factor'` U₀ = 0 (the output mode, as LoRA's B = 0) with orthonormal other
   * factors and a N(0, 1) core.
   */
  init?: 'zero-core' | 'zero-factor';
  /** Seed of the random parts; default 0. */
  seed?: Seed;
}

/** A FLoRA adapter: ΔW = scale·G ×₀ U₀ ×₁ U₁ … ×_{N−1} U_{N−1}. */
export interface FloraAdapter {
  /** Shape [I_0, …, I_{N−1}] of W. */
  shape: number[];
  /** [r_0, …, r_{N−1}]. */
  ranks: number[];
  /** G, shape `ranks`, float64. */
  core: Tensor;
  /** U_n, I_n × r_n, float64. */
  factors: Matrix[];
  scale: number;
  /** Trainable parameters Π r_n + Σ I_n·r_n. */
  params: number;
  /**
   * Parameters of the flatten + LoRA baseline at rank r_0: W reshaped to [I_0, Π_{n≥1} I_n]
   * and ΔW = B·A with r_0·(I_0 + Π_{n≥1} I_n) parameters.
   */
  flattenLoraParams: number;
}

/**
 * FLoRA (Si et al. 2024): a Tucker-structured adapter for an N-d weight (e.g. a conv kernel
 * [out, in, kh, kw]) that keeps the weight's N-d topology instead of flattening it to a
 * matrix: ΔW = s·G ×₀ U₀ ×₁ U₁ … (Kolda & Bader 2009 mode products), with a low-rank core G
 * and one factor per mode. The adapter is exactly zero at init, as LoRA's B = 0: by a zero
 * core (default) or a zero output-mode factor. (The paper's abstract does not fix the
 * init and REFERENCES.md has no FLoRA entry; we mirror LoRA's convention, so that
 * W + ΔW = W exactly before training.)
 *
 * @param W the frozen weight, an N-d Tensor with N ≥ 2 (only its shape is used; finite)
 * @param options `ranks` or `rank` (required), `alpha` 1, `init` 'zero-core', `seed` 0
 * @returns a {@link FloraAdapter} with its parameter count and the flatten + LoRA count
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a missing/bad rank, or W with N < 2
 * @throws {NonFiniteError} `NON_FINITE` if W holds NaN or ±Infinity
 * @example
 * const a = flora(convWeight, { ranks: [8, 8, 3, 3] }); // [64, 32, 3, 3]
 * a.params; // 1362, against a.flattenLoraParams = 2816
 * floraDelta(a); // zeros of shape [64, 32, 3, 3]
 */
export function flora(W: Tensor, options: FloraOptions): FloraAdapter {
  if (!(W instanceof Tensor))
    throw new InvalidArgumentError(`W: expected a Tensor, got ${describe(W)}`);
  if (W.ndim < 2)
    throw new InvalidArgumentError(
      `W: expected at least 2 dimensions, got shape [${W.shape.join(', ')}]`,
    );
  if (W.shape.some((I) => I === 0))
    throw new InvalidArgumentError(
      `W: expected no empty dimension, got shape [${W.shape.join(', ')}]`,
    );
  assertFiniteTensor('W', W);
  if (options === undefined || options === null)
    throw new InvalidArgumentError(
      'options: expected an options object with ranks or rank, got undefined',
    );
  const o = optionsObject('options', options);
  const shape = [...W.shape];
  let ranks: number[];
  if (o.ranks !== undefined && o.ranks !== null) {
    if (o.rank !== undefined)
      throw new InvalidArgumentError('options: give ranks or rank, not both');
    if (!Array.isArray(o.ranks) || o.ranks.length !== shape.length)
      throw new InvalidArgumentError(
        `options.ranks: expected ${shape.length} ranks, got ${describe(o.ranks)}`,
      );
    ranks = o.ranks.map((r, n) => assertInt(`options.ranks[${n}]`, r, 1, shape[n]!));
  } else if (o.rank !== undefined && o.rank !== null) {
    const r = assertInt('options.rank', o.rank, 1);
    ranks = shape.map((I) => Math.min(r, I));
  } else throw new InvalidArgumentError('options: expected ranks or rank');
  const s = assertNumber('options.alpha', orDefault(o.alpha, 1));
  const init = assertOneOf('options.init', orDefault(o.init, 'zero-core'), [
    'zero-core',
    'zero-factor',
  ] as const);
  const rng = Rng.from(o.seed);
  const factors = shape.map((I, n) => {
    const G = new Matrix(new Float64Array(I * ranks[n]!), I, ranks[n]!);
    if (init === 'zero-factor' && n === 0) return G;
    rng.fillNormal(G.data as Float64Array);
    return qr(G).Q!.clone('float64');
  });
  let coreSize = 1;
  for (const r of ranks) coreSize *= r;
  const coreData = new Float64Array(coreSize);
  if (init === 'zero-factor') rng.fillNormal(coreData);
  let params = coreSize;
  for (let n = 0; n < shape.length; n++) params += shape[n]! * ranks[n]!;
  const rest = shape.slice(1).reduce((a, b) => a * b, 1);
  return {
    shape,
    ranks,
    core: new Tensor(coreData, ranks),
    factors,
    scale: s,
    params,
    flattenLoraParams: ranks[0]! * (shape[0]! + rest),
  };
}

/**
 * The dense update ΔW = scale·G ×₀ U₀ … ×_{N−1} U_{N−1} of a {@link FloraAdapter} (by
 * {@link tuckerReconstruct}).
 *
 * @param adapter a FLoRA adapter (e.g. after training its core and factors; not modified)
 * @returns a fresh float64 Tensor of shape `adapter.shape`
 * @throws {ShapeError} `SHAPE_MISMATCH` if the core and factors do not fit
 * @throws {NonFiniteError} `NON_FINITE` for NaN or ±Infinity in the adapter
 * @example
 * const dW = floraDelta(flora(W, { rank: 4 })); // all zeros at init
 */
export function floraDelta(adapter: FloraAdapter): Tensor {
  if (adapter === null || typeof adapter !== 'object' || !(adapter.core instanceof Tensor))
    throw new InvalidArgumentError(`adapter: expected a FLoRA adapter, got ${describe(adapter)}`);
  const s = assertNumber('adapter.scale', adapter.scale);
  const T = tuckerReconstruct(adapter.core, adapter.factors);
  return s === 1 ? T : scale(T, s);
}

/**
 * Parameters of a FLoRA adapter of core `ranks` on a weight of `shape`: Π r_n + Σ I_n·r_n.
 *
 * @example
 * floraParams([64, 32, 3, 3], [8, 8, 3, 3]); // 1362
 */
export function floraParams(shape: readonly number[], ranks: readonly number[]): number {
  if (
    !Array.isArray(shape) ||
    !Array.isArray(ranks) ||
    shape.length !== ranks.length ||
    shape.length === 0
  )
    throw new InvalidArgumentError('shape, ranks: expected two arrays of the same non-zero length');
  let p = 1;
  let f = 0;
  shape.forEach((I, n) => {
    const i = assertInt(`shape[${n}]`, I, 1);
    const r = assertInt(`ranks[${n}]`, ranks[n], 1, i);
    p *= r;
    f += i * r;
  });
  return p + f;
}
