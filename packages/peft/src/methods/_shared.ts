/**
 * Shared helpers of the weight-level adapter initialisers. Not part of the public API:
 * everything here assumes the caller validated its arguments unless the name says
 * `Arg` (those validate and throw `LrError`s).
 */
import {
  allFinite,
  asMatrix,
  assertInt,
  assertNumber,
  describe,
  gemm,
  InvalidArgumentError,
  Matrix,
  NonFiniteError,
  normFro,
  ShapeError,
} from '@lr/core';
import { loraScaling } from '../model/adapterConfig.js';

/** Views `value` as a non-empty finite matrix, naming the argument in every error. */
export function weightArg(name: string, value: unknown): Matrix {
  const W = asMatrix(name, value);
  if (W.rows === 0 || W.cols === 0) {
    throw new ShapeError(`${name}: expected a non-empty matrix, got shape [${W.rows}, ${W.cols}]`);
  }
  if (!allFinite(W))
    throw new NonFiniteError(`${name}: expected finite values, found NaN or ±Infinity`);
  return W;
}

/** Throws `SHAPE_MISMATCH` unless `M` is rows×cols. */
export function expectShape(name: string, M: Matrix, rows: number, cols: number): void {
  if (M.rows !== rows || M.cols !== cols) {
    throw new ShapeError(
      `${name}: expected shape [${rows}, ${cols}], got shape [${M.rows}, ${M.cols}]`,
    );
  }
}

/** A rank in [1, maxRank]: `INVALID_ARGUMENT` otherwise (non-integers included). */
export function rankArg(name: string, value: unknown, maxRank: number): number {
  return assertInt(name, value, 1, maxRank);
}

/** lora_alpha: a finite number > 0. */
export function alphaArg(name: string, value: unknown): number {
  const a = assertNumber(name, value);
  if (!(a > 0)) throw new InvalidArgumentError(`${name}: expected a finite number > 0, got ${a}`);
  return a;
}

/** A boolean option (undefined → fallback). */
export function booleanArg(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new InvalidArgumentError(`${name}: expected a boolean, got ${describe(value)}`);
  }
  return value;
}

/** PEFT's scaling: alpha / r, or alpha / √r with rsLoRA (`use_rslora`); one definition, in model/. */
export { loraScaling };

/**
 * The LoRA factors of a weighted rank-r product U·diag(S)·Vt with S ← S / s split as
 * √S on both sides (PEFT's PiSSA/CorDA rule), so that s·B·A = U·diag(S)·Vt:
 * B = U·diag(√(S/s)) (out×r), A = diag(√(S/s))·Vt (r×in). `cols` picks the r columns of U
 * (rows of Vt) to use, in order.
 */
export function splitFactors(
  U: Matrix,
  S: ArrayLike<number>,
  Vt: Matrix,
  cols: readonly number[],
  scaling: number,
): { A: Matrix; B: Matrix } {
  const r = cols.length;
  const m = U.rows;
  const n = Vt.cols;
  const B = new Matrix(new Float64Array(m * r), m, r);
  const A = new Matrix(new Float64Array(r * n), r, n);
  for (let j = 0; j < r; j++) {
    const c = cols[j]!;
    const w = Math.sqrt(S[c]! / scaling);
    for (let i = 0; i < m; i++) B.data[i * r + j] = U.get(i, c) * w;
    for (let i = 0; i < n; i++) A.data[j * n + i] = Vt.get(c, i) * w;
  }
  return { A, B };
}

/** W − s·B·A as a fresh float64 row-major matrix (one GEMM). */
export function subtractProduct(W: Matrix, B: Matrix, A: Matrix, scaling: number): Matrix {
  const R = W.clone('float64');
  gemm(B, A, R, { alpha: -scaling, beta: 1 });
  return R;
}

/** ‖s·B·A‖_F (formed explicitly: one GEMM of out·in·r). */
export function productNorm(B: Matrix, A: Matrix, scaling: number): number {
  const P = new Matrix(new Float64Array(B.rows * A.cols), B.rows, A.cols);
  gemm(B, A, P, { alpha: scaling });
  return normFro(P);
}

/**
 * The measured identity error ‖W − (base + s·B·A)‖_F / ‖W‖_F, with base = `residual`
 * (or W itself when the method leaves the base unchanged). When ‖W‖_F = 0 the absolute
 * error is returned.
 */
export function identityError(
  W: Matrix,
  residual: Matrix | undefined,
  B: Matrix,
  A: Matrix,
  scaling: number,
): number {
  const E = W.clone('float64');
  const base = residual ?? W;
  const e = E.data;
  for (let i = 0; i < W.rows; i++) {
    for (let j = 0; j < W.cols; j++) e[i * W.cols + j] = e[i * W.cols + j]! - base.get(i, j);
  }
  gemm(B, A, E, { alpha: -scaling, beta: 1 });
  const nw = normFro(W);
  const ne = normFro(E);
  return nw > 0 ? ne / nw : ne;
}

/** ‖s·B·A‖²_F / ‖W‖²_F (0 when W = 0). */
export function adapterEnergy(W: Matrix, B: Matrix, A: Matrix, scaling: number): number {
  const nw = normFro(W);
  if (nw === 0) return 0;
  const p = productNorm(B, A, scaling);
  return (p * p) / (nw * nw);
}

/** `value` unless it is undefined (null and other values are kept, to be rejected by validation). */
export function orDefault<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

/** Indices [start, start + count). */
export function range(start: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => start + i);
}

/** Resolved rank, alpha and scaling of an initialiser. */
export interface ResolvedRank {
  rank: number;
  alpha: number;
  useRslora: boolean;
  scaling: number;
}

/**
 * Reads `rank`, `alpha` and `useRslora` from validated options. `defaultAlpha` may depend
 * on the resolved rank (e.g. alpha = r for methods whose reference has no scaling).
 */
export function resolveRank(
  opts: { rank?: unknown; alpha?: unknown; useRslora?: unknown },
  maxRank: number,
  defaultRank: number,
  defaultAlpha: (rank: number) => number,
): ResolvedRank {
  const rank = rankArg('options.rank', orDefault(opts.rank, defaultRank), maxRank);
  const alpha = alphaArg('options.alpha', orDefault(opts.alpha, defaultAlpha(rank)));
  const useRslora = booleanArg('options.useRslora', opts.useRslora, false);
  return { rank, alpha, useRslora, scaling: loraScaling(alpha, rank, useRslora) };
}
