import {
  assertInt,
  describe,
  eye,
  gemm,
  InvalidArgumentError,
  Matrix,
  optionsObject,
  Rng,
  type Seed,
  ShapeError,
  svd,
  Tensor,
} from '@lr/core';
import { assertFiniteTensor, finiteMatrix, orDefault } from './_util.js';

/**
 * A Monarch matrix M = Pᵀ·L·P·R of size n = b·s (Dao et al. 2022, Def. 3.1, with b =
 * `nblocks` blocks of size s = n/b in both block-diagonal factors, as the reference
 * `MonarchLinear` with square weights): R and L are block diagonal with b blocks of
 * s×s, and P is the permutation that transposes the b×s grid of indices
 * (index j·s + q ↦ q·b + j). Parameters: 2·b·s² = 2n²/b.
 */
export interface Monarch {
  /** Size n. */
  n: number;
  /** b (blocks per factor). */
  nblocks: number;
  /** s = n / b. */
  blockSize: number;
  /** First factor, [b, s, s], contiguous float64: block k maps input block k. */
  R: Tensor;
  /** Second factor, [b, s, s], contiguous float64. */
  L: Tensor;
}

function blockView(t: Tensor, k: number, s: number): Matrix {
  return new Matrix(t.data, s, s, s, 1, t.offset + k * s * s);
}

function checkMonarch(name: string, m: Monarch): Monarch {
  if (m === null || typeof m !== 'object' || !(m.R instanceof Tensor) || !(m.L instanceof Tensor))
    throw new InvalidArgumentError(
      `${name}: expected a Monarch { n, nblocks, blockSize, R, L }, got ${describe(m)}`,
    );
  const b = assertInt(`${name}.nblocks`, m.nblocks, 1);
  const s = assertInt(`${name}.blockSize`, m.blockSize, 1);
  if (m.n !== b * s)
    throw new InvalidArgumentError(`${name}: n = ${m.n} is not nblocks·blockSize = ${b * s}`);
  for (const f of ['R', 'L'] as const) {
    const t = m[f];
    if (t.ndim !== 3 || t.shape[0] !== b || t.shape[1] !== s || t.shape[2] !== s)
      throw new ShapeError(
        `${name}.${f}: expected [${b}, ${s}, ${s}], got shape [${t.shape.join(', ')}]`,
      );
    assertFiniteTensor(`${name}.${f}`, t);
  }
  return {
    n: m.n,
    nblocks: b,
    blockSize: s,
    R: m.R.isContiguous() ? m.R : m.R.contiguous(),
    L: m.L.isContiguous() ? m.L : m.L.contiguous(),
  };
}

/**
 * y = M·x for a {@link Monarch} M without forming it: split x into b blocks of s, multiply
 * block k by R_k; transpose the b×s grid (P); multiply block l by L_l; transpose back
 * (Pᵀ). Two batches of b GEMMs of s×s blocks: O(n·(b + s)·k) work instead of O(n²·k).
 *
 * @param m the Monarch matrix (not modified)
 * @param x a vector of length n, or a matrix [n, k] whose columns are multiplied
 * @returns a fresh Float64Array (vector input) or float64 Matrix [n, k]
 * @throws {ShapeError} `SHAPE_MISMATCH` if x does not have n rows / elements
 * @throws {NonFiniteError} `NON_FINITE` for NaN or ±Infinity in m or x
 * @example
 * const m = randomMonarch(64, { nblocks: 4, seed: 1 });
 * const y = monarchMultiply(m, x); // equals matvec(monarchToDense(m), x) to rounding
 */
export function monarchMultiply(
  m: Monarch,
  x: Matrix | Float64Array | Float32Array,
): Matrix | Float64Array {
  const mm = checkMonarch('m', m);
  const isVec = x instanceof Float64Array || x instanceof Float32Array;
  const X = isVec ? new Matrix(Float64Array.from(x), x.length, 1) : finiteMatrix('x', x);
  if (isVec) assertFiniteTensor('x', X);
  if (X.rows !== mm.n)
    throw new ShapeError(`x: expected ${mm.n} rows, got shape [${X.rows}, ${X.cols}]`);
  const Y = monarchKernel(mm, X);
  return isVec ? (Y.data as Float64Array) : Y;
}

/** Assumes validated input. */
function monarchKernel(m: Monarch, X: Matrix): Matrix {
  const { n, nblocks: b, blockSize: s } = m;
  const k = X.cols;
  const Y1 = new Matrix(new Float64Array(n * k), n, k);
  for (let j = 0; j < b; j++)
    gemm(blockView(m.R, j, s), X.rowRange(j * s, (j + 1) * s), Y1.rowRange(j * s, (j + 1) * s));
  // P: row j·s + q → row q·b + j
  const Z = new Matrix(new Float64Array(n * k), n, k);
  for (let j = 0; j < b; j++)
    for (let q = 0; q < s; q++)
      Z.data.set(Y1.data.subarray((j * s + q) * k, (j * s + q + 1) * k), (q * b + j) * k);
  const Y2 = new Matrix(new Float64Array(n * k), n, k);
  for (let l = 0; l < b; l++)
    gemm(blockView(m.L, l, s), Z.rowRange(l * s, (l + 1) * s), Y2.rowRange(l * s, (l + 1) * s));
  // Pᵀ: row f ↦ row (f mod b)·s + ⌊f/b⌋
  const out = new Matrix(new Float64Array(n * k), n, k);
  for (let f = 0; f < n; f++)
    out.data.set(Y2.data.subarray(f * k, (f + 1) * k), ((f % b) * s + Math.floor(f / b)) * k);
  return out;
}

/**
 * The dense n×n matrix of a {@link Monarch} (M applied to the identity).
 *
 * @param m the Monarch matrix
 * @returns a fresh float64 Matrix [n, n]
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` / {ShapeError} for a malformed m
 * @example
 * monarchToDense(randomMonarch(16, { nblocks: 4 })); // 16×16
 */
export function monarchToDense(m: Monarch): Matrix {
  const mm = checkMonarch('m', m);
  return monarchKernel(mm, eye(mm.n));
}

/** Parameters of an n×n Monarch matrix with `nblocks` blocks: 2·n²/nblocks. */
export function monarchParams(n: number, nblocks = 4): number {
  const nn = assertInt('n', n, 1);
  const b = assertInt('nblocks', nblocks, 1);
  return (2 * nn * nn) / b;
}

function checkSize(n: number, b: number): number {
  if (n % (b * b) !== 0)
    throw new InvalidArgumentError(
      `nblocks: ${b} needs n divisible by nblocks² = ${b * b} (so every block pair has an integral rank n/nblocks²), got n = ${n}`,
    );
  return n / b;
}

/** Options of {@link randomMonarch}. */
export interface RandomMonarchOptions {
  /** Blocks b; default 4 (reference `MonarchLinear`). n must be divisible by b². */
  nblocks?: number;
  /** Seed; default 0. */
  seed?: Seed;
}

/**
 * A Monarch matrix with i.i.d. N(0, 1/s) block entries (so ‖M·x‖ ≈ ‖x‖).
 *
 * @param n size (divisible by nblocks²)
 * @param options `nblocks` 4, `seed` 0
 * @returns a {@link Monarch}
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a bad n or nblocks
 * @example
 * const m = randomMonarch(64, { seed: 3 });
 */
export function randomMonarch(n: number, options?: RandomMonarchOptions): Monarch {
  const o = optionsObject('options', options);
  const nn = assertInt('n', n, 1);
  const b = assertInt('options.nblocks', orDefault(o.nblocks, 4), 1, nn);
  const s = checkSize(nn, b);
  const rng = Rng.from(o.seed);
  const R = new Float64Array(b * s * s);
  const L = new Float64Array(b * s * s);
  rng.fillNormal(R);
  rng.fillNormal(L);
  const c = 1 / Math.sqrt(s);
  for (let i = 0; i < R.length; i++) {
    R[i]! *= c;
    L[i]! *= c;
  }
  return {
    n: nn,
    nblocks: b,
    blockSize: s,
    R: new Tensor(R, [b, s, s]),
    L: new Tensor(L, [b, s, s]),
  };
}

/** Options of {@link projectToMonarch}. */
export interface ProjectToMonarchOptions {
  /** Blocks b; default 4 (reference `MonarchLinear`). n must be divisible by b². */
  nblocks?: number;
}

/** Result of {@link projectToMonarch}. */
export interface MonarchProjection {
  monarch: Monarch;
  /** ‖W − M‖_F. */
  error: number;
  /** ‖W − M‖_F / ‖W‖_F (0 for W = 0). */
  relativeError: number;
}

/**
 * Frobenius-optimal projection of a dense square matrix onto Monarch matrices (Dao et al.
 * 2022, §3.3 / Thm. 1). With n = b·s and g = s/b: after undoing the output permutation,
 * W splits into b² blocks of s×s; block (l, k) of any Monarch matrix is exactly
 * L_l[:, cols(k)]·R_k[rows(l), :], a product of rank g over parameters no other block
 * uses. So each block's best rank-g SVD approximation (√σ split between L and R) gives the
 * global optimum; for b = √n this is the paper's rank-1 per block.
 *
 * @param W square matrix [n, n] (not modified), n divisible by nblocks²
 * @param options `nblocks` 4
 * @returns the Monarch factors and the projection error
 * @throws {ShapeError} `SHAPE_MISMATCH` if W is not square
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` if n is not divisible by nblocks²
 * @throws {NonFiniteError} `NON_FINITE` for NaN or ±Infinity in W
 * @example
 * const { monarch, relativeError } = projectToMonarch(W, { nblocks: 4 });
 */
export function projectToMonarch(W: Matrix, options?: ProjectToMonarchOptions): MonarchProjection {
  const w = finiteMatrix('W', W);
  if (w.rows !== w.cols)
    throw new ShapeError(`W: expected a square matrix, got shape [${w.rows}, ${w.cols}]`);
  const o = optionsObject('options', options);
  const n = w.rows;
  const b = assertInt('options.nblocks', orDefault(o.nblocks, 4), 1, n);
  const s = checkSize(n, b);
  const g = s / b;
  const R = new Float64Array(b * s * s);
  const L = new Float64Array(b * s * s);
  let err2 = 0;
  let tot2 = 0;
  const B = new Matrix(new Float64Array(s * s), s, s);
  for (let l = 0; l < b; l++) {
    for (let k = 0; k < b; k++) {
      for (let t = 0; t < s; t++) {
        const f = l * s + t;
        const i = (f % b) * s + Math.floor(f / b);
        for (let p = 0; p < s; p++) B.data[t * s + p] = w.get(i, k * s + p);
      }
      const { U, S, Vt } = svd(B);
      for (let u = 0; u < S.length; u++) {
        const v = S[u]! * S[u]!;
        tot2 += v;
        if (u >= g) err2 += v;
      }
      for (let u = 0; u < g; u++) {
        const r = Math.sqrt(S[u]!);
        const col = u * b + k;
        for (let t = 0; t < s; t++) L[l * s * s + t * s + col] = U!.get(t, u) * r;
        const row = l * g + u;
        for (let p = 0; p < s; p++) R[k * s * s + row * s + p] = Vt!.get(u, p) * r;
      }
    }
  }
  return {
    monarch: {
      n,
      nblocks: b,
      blockSize: s,
      R: new Tensor(R, [b, s, s]),
      L: new Tensor(L, [b, s, s]),
    },
    error: Math.sqrt(err2),
    relativeError: tot2 > 0 ? Math.sqrt(err2 / tot2) : 0,
  };
}
