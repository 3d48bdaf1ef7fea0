import {
  assertInt,
  describe,
  eigh,
  type FloatArray,
  gemm,
  InvalidArgumentError,
  Matrix,
  matmul,
  optionsObject,
  ShapeError,
  Tensor,
} from '@lr/core';
import { assertFiniteTensor, finiteMatrix, orDefault } from './_util.js';

/** A linear layer y = weight·x + bias in `nn.Linear` layout. */
export interface LinearLayer {
  /** [out, in]. */
  weight: Matrix;
  /** [out]. */
  bias: Float64Array;
}

/** Options of {@link outputFeatureCompress}. */
export interface OutputFeatureOptions {
  /** Number of output principal components r, 1 ≤ r ≤ out (required). */
  rank: number;
  /**
   * Centre the outputs (PCA about their mean μ, stored as the second layer's bias);
   * default true. Without centring the top eigenvectors of the uncentred second moment
   * are used and the second layer has no bias of its own.
   */
  center?: boolean;
}

/** Result of {@link outputFeatureCompress}: y ≈ second(first(x)). */
export interface OutputFeatureResult {
  /** x ↦ U_rᵀ(W·x + b − μ): weight U_rᵀ·W [r, in], bias U_rᵀ(b − μ) [r]. */
  first: LinearLayer;
  /** z ↦ U_r·z + μ: weight U_r [out, r], bias μ [out] (zeros without centring). */
  second: LinearLayer;
  /** The two layers merged: weight U_r·U_rᵀ·W [out, in], bias U_rU_rᵀ(b − μ) + μ. */
  merged: LinearLayer;
  /** The output mean μ on the calibration inputs (zeros without centring). */
  mean: Float64Array;
  /** The r largest eigenvalues of the output covariance, descending. */
  variances: Float64Array;
  /** Fraction of the (centred) output energy kept on the calibration inputs. */
  energy: number;
  /** r·in + r + out·r + out (weights and biases of both layers). */
  params: number;
  /** out·in + out. */
  originalParams: number;
}

function vecArg(name: string, v: unknown, n: number): Float64Array {
  if (!(v instanceof Float64Array || v instanceof Float32Array) || v.length !== n)
    throw new ShapeError(
      `${name}: expected a Float64Array or Float32Array of length ${n}, got ${describe(v)}`,
    );
  assertFiniteTensor(name, new Tensor(v as FloatArray, [n]));
  return Float64Array.from(v);
}

/** Top-r eigenpairs (descending) of a symmetric matrix, and the trace. */
function topEig(C: Matrix, r: number): { U: Matrix; values: Float64Array; trace: number } {
  const { values, vectors } = eigh(C);
  const n = C.rows;
  const U = new Matrix(new Float64Array(n * r), n, r);
  const vals = new Float64Array(r);
  for (let j = 0; j < r; j++) {
    const src = n - 1 - j;
    vals[j] = Math.max(0, values[src]!);
    for (let i = 0; i < n; i++) U.data[i * r + j] = vectors!.get(i, src);
  }
  let trace = 0;
  for (const v of values) trace += Math.max(0, v);
  return { U, values: vals, trace };
}

/**
 * Output-feature compression (Unified Low-rank Compression for CTR prediction, Yu et al.
 * 2024, "compress the output features instead of the weights"): run calibration inputs X
 * through the layer, Y = X·Wᵀ + b, take the top-r principal directions U_r of Y (about
 * its mean μ), and replace the layer by two thin ones, x ↦ U_rᵀ(W·x + b − μ) ↦ U_r·z + μ,
 * i.e. W ≈ U_r·U_rᵀ·W with bias U_rU_rᵀ(b − μ) + μ. On the calibration inputs this is the
 * best rank-r affine approximation of the outputs (Eckart–Young on the centred Y), which
 * the weight SVD at the same rank is not: it ignores which input directions the data
 * excites.
 *
 * @param W weight [out, in] (not modified)
 * @param bias [out] or null/undefined (zeros)
 * @param X calibration inputs [n, in] (rows are samples; not modified)
 * @param options `rank` (required), `center` true
 * @returns the two thin layers, their merge and diagnostics
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a rank outside [1, out]
 * @throws {ShapeError} `SHAPE_MISMATCH` if X does not have `in` columns or bias the wrong length
 * @throws {NonFiniteError} `NON_FINITE` for NaN or ±Infinity
 * @example
 * const { first, second } = outputFeatureCompress(W, b, X, { rank: 8 });
 * // y ≈ second.weight·(first.weight·x + first.bias) + second.bias
 */
export function outputFeatureCompress(
  W: Matrix,
  bias: Float64Array | Float32Array | null | undefined,
  X: Matrix,
  options: OutputFeatureOptions,
): OutputFeatureResult {
  const w = finiteMatrix('W', W);
  const out = w.rows;
  const inp = w.cols;
  const b = bias === undefined || bias === null ? new Float64Array(out) : vecArg('bias', bias, out);
  const x = finiteMatrix('X', X);
  if (x.cols !== inp)
    throw new ShapeError(`X: expected ${inp} columns, got shape [${x.rows}, ${x.cols}]`);
  if (options === undefined || options === null)
    throw new InvalidArgumentError('options: expected an options object with rank, got undefined');
  const o = optionsObject('options', options);
  const r = assertInt('options.rank', o.rank, 1, out);
  const center = orDefault(o.center, true);
  if (typeof center !== 'boolean')
    throw new InvalidArgumentError(`options.center: expected a boolean, got ${describe(center)}`);
  const n = x.rows;
  const Y = new Matrix(new Float64Array(n * out), n, out);
  gemm(x, w, Y, { transB: true });
  const mu = new Float64Array(out);
  for (let i = 0; i < n; i++) for (let j = 0; j < out; j++) Y.data[i * out + j]! += b[j]!;
  if (center) {
    for (let i = 0; i < n; i++) for (let j = 0; j < out; j++) mu[j]! += Y.data[i * out + j]! / n;
    for (let i = 0; i < n; i++) for (let j = 0; j < out; j++) Y.data[i * out + j]! -= mu[j]!;
  }
  const C = new Matrix(new Float64Array(out * out), out, out);
  gemm(Y, Y, C, { transA: true, alpha: 1 / n });
  const { U, values, trace } = topEig(C, r);
  const A = matmul(U.T, w); // [r, in]
  const bm = b.map((v, j) => v - mu[j]!);
  const a = new Float64Array(r);
  for (let k = 0; k < r; k++) for (let j = 0; j < out; j++) a[k]! += U.get(j, k) * bm[j]!;
  const mergedW = matmul(U, A);
  const mergedB = new Float64Array(out);
  for (let j = 0; j < out; j++) {
    let s = mu[j]!;
    for (let k = 0; k < r; k++) s += U.get(j, k) * a[k]!;
    mergedB[j] = s;
  }
  let kept = 0;
  for (const v of values) kept += v;
  return {
    first: { weight: A, bias: a },
    second: { weight: U, bias: Float64Array.from(mu) },
    merged: { weight: mergedW, bias: mergedB },
    mean: mu,
    variances: values,
    energy: trace > 0 ? kept / trace : 1,
    params: r * inp + r + out * r + out,
    originalParams: out * inp + out,
  };
}

/** Options of {@link compressEmbedding}. */
export interface CompressEmbeddingOptions {
  /** Rank r, 1 ≤ r ≤ min(vocab, dim) (required). */
  rank: number;
  /** Centre the rows (store their mean μ); default true. */
  center?: boolean;
  /**
   * Row weights (e.g. token or feature-id frequencies, length vocab, ≥ 0): the PCA
   * minimises Σ_i w_i‖e_i − ê_i‖², so frequent rows are reproduced better; default uniform.
   */
  weights?: Float64Array | Float32Array;
}

/** Result of {@link compressEmbedding}: row i ≈ table[i]·projection + mean. */
export interface CompressedEmbedding {
  /** [vocab, r]: the compressed table (E − μ)·V_r. */
  table: Matrix;
  /** [r, dim]: V_rᵀ, the output layer that maps a compressed row back. */
  projection: Matrix;
  /** [dim] (zeros without centring). */
  mean: Float64Array;
  /** √(Σ_i w_i‖e_i − ê_i‖² / Σ_i w_i‖e_i‖²). */
  relativeError: number;
  /** vocab·r + r·dim, plus dim for the mean when centred. */
  params: number;
  /** vocab·dim. */
  originalParams: number;
}

/**
 * Embedding-table compression by output features (Yu et al. 2024): an embedding's outputs
 * are its rows, so compressing the output features is the (optionally frequency-weighted,
 * centred) PCA of the rows: E ≈ μ + (E − μ)·V_r·V_rᵀ, stored as a vocab×r table and an
 * r×dim projection. Uniform weights without centring give the plain truncated SVD.
 *
 * @param E embedding table [vocab, dim] (not modified)
 * @param options `rank` (required), `center` true, `weights` uniform
 * @returns the compressed table, projection, mean and error
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a bad rank or negative/zero weights
 * @throws {NonFiniteError} `NON_FINITE` for NaN or ±Infinity
 * @example
 * const { table, projection, mean } = compressEmbedding(E, { rank: 16 });
 */
export function compressEmbedding(
  E: Matrix,
  options: CompressEmbeddingOptions,
): CompressedEmbedding {
  const e = finiteMatrix('E', E);
  if (options === undefined || options === null)
    throw new InvalidArgumentError('options: expected an options object with rank, got undefined');
  const o = optionsObject('options', options);
  const vocab = e.rows;
  const dim = e.cols;
  const r = assertInt('options.rank', o.rank, 1, Math.min(vocab, dim));
  const center = orDefault(o.center, true);
  if (typeof center !== 'boolean')
    throw new InvalidArgumentError(`options.center: expected a boolean, got ${describe(center)}`);
  const w =
    o.weights === undefined
      ? new Float64Array(vocab).fill(1)
      : vecArg('options.weights', o.weights, vocab);
  let wsum = 0;
  for (const v of w) {
    if (v < 0) throw new InvalidArgumentError('options.weights: expected non-negative weights');
    wsum += v;
  }
  if (!(wsum > 0))
    throw new InvalidArgumentError('options.weights: expected a positive total weight');
  const data = e.toFloat64Array();
  const mu = new Float64Array(dim);
  if (center)
    for (let i = 0; i < vocab; i++)
      for (let j = 0; j < dim; j++) mu[j]! += (w[i]! * data[i * dim + j]!) / wsum;
  const Z = new Matrix(new Float64Array(vocab * dim), vocab, dim); // √w_i (e_i − μ)
  for (let i = 0; i < vocab; i++) {
    const s = Math.sqrt(w[i]!);
    for (let j = 0; j < dim; j++) Z.data[i * dim + j] = s * (data[i * dim + j]! - mu[j]!);
  }
  const C = new Matrix(new Float64Array(dim * dim), dim, dim);
  gemm(Z, Z, C, { transA: true });
  const { U: V } = topEig(C, r); // [dim, r]
  const centred = new Matrix(new Float64Array(vocab * dim), vocab, dim);
  for (let i = 0; i < vocab; i++)
    for (let j = 0; j < dim; j++) centred.data[i * dim + j] = data[i * dim + j]! - mu[j]!;
  const table = matmul(centred, V);
  const projection = V.T.contiguous();
  const recon = matmul(table, projection);
  let num = 0;
  let den = 0;
  for (let i = 0; i < vocab; i++)
    for (let j = 0; j < dim; j++) {
      const x = data[i * dim + j]!;
      const d = x - recon.data[i * dim + j]! - mu[j]!;
      num += w[i]! * d * d;
      den += w[i]! * x * x;
    }
  return {
    table,
    projection,
    mean: mu,
    relativeError: den > 0 ? Math.sqrt(num / den) : 0,
    params: vocab * r + r * dim + (center ? dim : 0),
    originalParams: vocab * dim,
  };
}
