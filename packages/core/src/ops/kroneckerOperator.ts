import type { FloatArray } from '../dtype.js';
import { InvalidArgumentError, NonFiniteError, ShapeError } from '../errors.js';
import { gemmStrided } from '../kernels/gemm.js';
import { asMatrix, Matrix } from '../matrix.js';
import type { LinearOperator } from '../operator.js';
import { describe } from '../validate.js';
import { allFinite } from './allFinite.js';
import { kron } from './kron.js';

/** A {@link LinearOperator} for A₁ ⊗ A₂ ⊗ … ⊗ A_k, from {@link kroneckerOperator}. */
export interface KroneckerOperator extends LinearOperator {
  /** Private float64 copies of the factors, in order. */
  readonly factors: readonly Matrix[];
  /** A·X for X of shape cols×p; returns a new rows×p Matrix. */
  matmat(X: Matrix): Matrix;
  /** Aᵀ·X for X of shape rows×p; returns a new cols×p Matrix. */
  rmatmat(X: Matrix): Matrix;
  /** The dense product (size Π m_i × Π n_i: for small cases and tests). */
  toDense(): Matrix;
}

interface Factor {
  data: Float64Array;
  m: number;
  n: number;
}

/**
 * Applies (F₁ ⊗ … ⊗ F_k)·X (or the transpose) to x, a C-order tensor of shape
 * [n₁, …, n_k, p] starting at `x[xOff]`, one mode at a time: mode j of the current
 * tensor, viewed as [L, n_j, R], becomes [L, m_j, R] by L products F_j·X_l (or, when
 * L > R, by R products X_r·F_jᵀ), each one GEMM. Assumes validated input.
 */
function applyKron(
  fs: readonly Factor[],
  trans: boolean,
  x: FloatArray,
  xOff: number,
  p: number,
): Float64Array {
  const k = fs.length;
  const inDims = fs.map((f) => (trans ? f.m : f.n));
  const outDims = fs.map((f) => (trans ? f.n : f.m));
  if (p === 0 || inDims.includes(0) || outDims.includes(0)) {
    // an empty side: the product is an all-zero (or empty) result
    return new Float64Array(outDims.reduce((a, d) => a * d, p));
  }
  let cur: FloatArray = x;
  let curOff = xOff;
  // L = Π outDims[<j], R = Π inDims[>j] · p
  let L = 1;
  let R = p;
  for (let j = 1; j < k; j++) R *= inDims[j]!;
  for (let j = 0; j < k; j++) {
    const f = fs[j]!;
    const nin = inDims[j]!;
    const nout = outDims[j]!;
    // F (nout × nin): f.data is m×n row-major; its transpose swaps the strides
    const frs = trans ? 1 : f.n;
    const fcs = trans ? f.n : 1;
    const next = new Float64Array(L * nout * R);
    if (L <= R) {
      for (let l = 0; l < L; l++) {
        gemmStrided(
          nout,
          R,
          nin,
          1,
          f.data,
          0,
          frs,
          fcs,
          cur,
          curOff + l * nin * R,
          R,
          1,
          0,
          next,
          l * nout * R,
          R,
          1,
        );
      }
    } else {
      for (let r = 0; r < R; r++) {
        gemmStrided(
          L,
          nout,
          nin,
          1,
          cur,
          curOff + r,
          nin * R,
          R,
          f.data,
          0,
          fcs,
          frs,
          0,
          next,
          r,
          nout * R,
          R,
        );
      }
    }
    cur = next;
    curOff = 0;
    L *= nout;
    if (j + 1 < k) R /= inDims[j + 1]!;
  }
  return cur as Float64Array;
}

/**
 * The Kronecker product A₁ ⊗ A₂ ⊗ … ⊗ A_k as a matrix-free {@link LinearOperator},
 * applied by the "vec trick" (Van Loan, "The ubiquitous Kronecker product", J. Comput.
 * Appl. Math. 123, 2000, §3): x of length Π n_i is read as a C-order tensor of shape
 * [n₁, …, n_k] and each factor is applied along its own mode, so the product is never
 * formed. With two factors, (A ⊗ B)·x is the row-major flattening of A·X·Bᵀ for X the
 * n_A×n_B row-major reshape of x. A product costs Σ_i m_i·n_i·(Π_{j<i} m_j)(Π_{j>i} n_j)
 * multiply-adds (O(Σ n_i · N) for square factors, N = Π n_i) instead of N², and memory
 * O(max intermediate size). Indexing matches {@link kron}: the first factor varies slowest.
 *
 * @param factors one or more matrices (any strides, finite); they are copied, so later
 *   changes to their storage do not affect the operator
 * @returns a {@link KroneckerOperator} of shape (Π m_i)×(Π n_i) with matvec, rmatvec, matmat, rmatmat
 * @throws {InvalidArgumentError} if `factors` is not a non-empty array of matrices, or the size exceeds 2³¹ − 1
 * @throws {NonFiniteError} if a factor holds NaN or ±Infinity
 * @example
 * const K = kroneckerOperator([A, B, C]);
 * K.matvec(x); // (A ⊗ B ⊗ C)·x without forming the product
 */
export function kroneckerOperator(factors: readonly Matrix[]): KroneckerOperator {
  if (!Array.isArray(factors)) {
    throw new InvalidArgumentError(
      `factors: expected an array of matrices, got ${describe(factors)}`,
    );
  }
  if (factors.length === 0)
    throw new InvalidArgumentError('factors: expected at least one matrix, got an empty array');
  const mats = factors.map((f, i) => asMatrix(`factors[${i}]`, f));
  let rows = 1;
  let cols = 1;
  mats.forEach((f, i) => {
    if (!allFinite(f))
      throw new NonFiniteError(`factors[${i}]: expected finite values, found NaN or Infinity`);
    rows *= f.rows;
    cols *= f.cols;
  });
  if (rows > 2147483647 || cols > 2147483647) {
    throw new InvalidArgumentError(
      `factors: the product would be ${rows}×${cols}; each side must be at most 2³¹ − 1`,
    );
  }
  const copies = mats.map((f) => f.clone('float64'));
  const fs: Factor[] = copies.map((f) => ({ data: f.data as Float64Array, m: f.rows, n: f.cols }));
  const checkVec = (what: string, x: unknown, n: number): FloatArray => {
    if (!(x instanceof Float64Array || x instanceof Float32Array)) {
      throw new InvalidArgumentError(
        `${what}: expected a Float64Array or Float32Array, got ${describe(x)}`,
      );
    }
    if (x.length !== n) throw new ShapeError(`${what}: expected length ${n}, got ${x.length}`);
    return x;
  };
  const block = (what: string, X: unknown, n: number, trans: boolean): Matrix => {
    const b = asMatrix('X', X);
    if (b.rows !== n)
      throw new ShapeError(`${what}: expected X with ${n} rows, got ${b.rows}×${b.cols}`);
    const c = b.contiguous();
    const y = b.cols === 0 ? new Float64Array(0) : applyKron(fs, trans, c.data, c.offset, b.cols);
    return new Matrix(y, trans ? cols : rows, b.cols);
  };
  return {
    rows,
    cols,
    factors: Object.freeze(copies),
    matvec(x) {
      return applyKron(fs, false, checkVec('matvec', x, cols), 0, 1);
    },
    rmatvec(x) {
      return applyKron(fs, true, checkVec('rmatvec', x, rows), 0, 1);
    },
    matmat(X) {
      return block('matmat', X, cols, false);
    },
    rmatmat(X) {
      return block('rmatmat', X, rows, true);
    },
    toDense() {
      let out = copies[0]!;
      for (let i = 1; i < copies.length; i++) out = kron(out, copies[i]!);
      return out === copies[0] ? out.clone() : out;
    },
  };
}
