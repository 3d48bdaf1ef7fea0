import { InvalidArgumentError, ShapeError, UnsupportedError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { describe } from '../validate.js';
import { forEachLine, ScaledSumSquares } from './_lines.js';

/**
 * Which norm {@link norm} computes. For a matrix: `'fro'` (Frobenius), `1` (max column
 * abs sum), `-1` (min column abs sum), `Infinity` or `'inf'` (max row abs sum), `-Infinity`
 * (min row abs sum), `'max'` (max |a_ij|). For a vector
 * (1-d tensor): any p > 0 (`2` and `'fro'` are Euclidean), `Infinity`/`'inf'` (max |x_i|),
 * `-Infinity` (min |x_i|), `0` (number of nonzeros), `'max'`. For other shapes: `'fro'`
 * and `'max'` of the flattened elements.
 */
export type NormOrd = 'fro' | 'inf' | 'max' | number;

function checkTensor(name: string, value: unknown): Tensor {
  if (value instanceof Tensor) return value;
  throw new InvalidArgumentError(`${name}: expected a Tensor or Matrix, got ${describe(value)}`);
}

/**
 * Frobenius norm √(Σ a²) of any tensor (the Euclidean norm of a vector), accumulated in
 * the scaled form of LAPACK's dnrm2 so it neither overflows nor underflows.
 *
 * @param A tensor (any strides)
 * @returns ‖A‖_F ≥ 0 (NaN if any element is NaN, Infinity if any is infinite)
 * @throws {InvalidArgumentError} if A is not a tensor
 * @example normFro(Matrix.from([[3, 0], [0, 4]])) // 5
 */
export function normFro(A: Tensor): number {
  const t = checkTensor('A', A);
  const acc = new ScaledSumSquares();
  const d = t.data;
  forEachLine(t, (off, stride, len) => acc.addStrided(d, off, stride, len));
  return acc.norm();
}

/**
 * Largest absolute element max |a_ij| of any tensor (0 for an empty tensor).
 *
 * @param A tensor (any strides)
 * @returns the max-abs norm (NaN if any element is NaN)
 * @throws {InvalidArgumentError} if A is not a tensor
 * @example normMax(Matrix.from([[1, -7]])) // 7
 */
export function normMax(A: Tensor): number {
  const t = checkTensor('A', A);
  let best = 0;
  let nan = false;
  const d = t.data;
  forEachLine(t, (off, stride, len) => {
    for (let k = 0, p = off; k < len; k++, p += stride) {
      const a = Math.abs(d[p]!);
      if (a > best) best = a;
      else if (Number.isNaN(a)) nan = true;
    }
  });
  return nan ? Number.NaN : best;
}

// Max (or min) over columns (byColumn) or rows of the absolute sums of a 2-d tensor,
// or Σ|x| / max|x| of a vector.
function absSumNorm(fname: string, t: Tensor, byColumn: boolean, smallest = false): number {
  if (t.ndim === 1) {
    if (!byColumn) return normMax(t);
    let s = 0;
    const d = t.data;
    forEachLine(t, (off, stride, len) => {
      for (let k = 0, p = off; k < len; k++, p += stride) s += Math.abs(d[p]!);
    });
    return s;
  }
  if (t.ndim !== 2)
    throw new ShapeError(
      `${fname}: expected a matrix or a vector, got shape [${t.shape.join(', ')}]`,
    );
  const [m, n] = t.shape as [number, number];
  const [rs, cs] = t.strides as [number, number];
  const d = t.data;
  // sums along the reduced direction; row by row keeps the sweep in memory order for row-major data
  const sums = new Float64Array(byColumn ? n : m);
  for (let i = 0; i < m; i++) {
    let p = t.offset + i * rs;
    if (byColumn) for (let j = 0; j < n; j++, p += cs) sums[j]! += Math.abs(d[p]!);
    else {
      let s = 0;
      for (let j = 0; j < n; j++, p += cs) s += Math.abs(d[p]!);
      sums[i] = s;
    }
  }
  if (sums.length === 0) return 0;
  let best = sums[0]!;
  for (let k = 0; k < sums.length; k++) {
    const v = sums[k]!;
    if (Number.isNaN(v)) return Number.NaN;
    if (smallest ? v < best : v > best) best = v;
  }
  return best;
}

/**
 * Matrix 1-norm ‖A‖₁ = max_j Σ_i |a_ij| (largest column absolute sum); for a vector, Σ|x_i|.
 *
 * @param A matrix or 1-d tensor (any strides)
 * @returns ‖A‖₁ (0 when empty; NaN if any element is NaN)
 * @throws {InvalidArgumentError} if A is not a tensor
 * @throws {ShapeError} if A has more than 2 dimensions
 * @example norm1(Matrix.from([[1, -2], [3, 4]])) // 6
 */
export function norm1(A: Tensor): number {
  return absSumNorm('norm1', checkTensor('A', A), true);
}

/**
 * Matrix ∞-norm ‖A‖_∞ = max_i Σ_j |a_ij| (largest row absolute sum); for a vector, max |x_i|.
 *
 * @param A matrix or 1-d tensor (any strides)
 * @returns ‖A‖_∞ (0 when empty; NaN if any element is NaN)
 * @throws {InvalidArgumentError} if A is not a tensor
 * @throws {ShapeError} if A has more than 2 dimensions
 * @example normInf(Matrix.from([[1, -2], [3, 4]])) // 7
 */
export function normInf(A: Tensor): number {
  return absSumNorm('normInf', checkTensor('A', A), false);
}

// General vector p-norm, scaled by max |x| against overflow.
function vectorPNorm(t: Tensor, p: number): number {
  const d = t.data;
  if (p === -Infinity) {
    if (t.size === 0) throw new ShapeError('norm: ord -Infinity needs a non-empty vector');
    let best = Infinity;
    let nan = false;
    forEachLine(t, (off, stride, len) => {
      for (let k = 0, q = off; k < len; k++, q += stride) {
        const a = Math.abs(d[q]!);
        if (a < best) best = a;
        else if (Number.isNaN(a)) nan = true;
      }
    });
    return nan ? Number.NaN : best;
  }
  if (p === 0) {
    let c = 0;
    forEachLine(t, (off, stride, len) => {
      for (let k = 0, q = off; k < len; k++, q += stride) if (d[q] !== 0) c++;
    });
    return c;
  }
  const big = normMax(t);
  if (big === 0 || !Number.isFinite(big)) return big;
  let s = 0;
  forEachLine(t, (off, stride, len) => {
    for (let k = 0, q = off; k < len; k++, q += stride) s += (Math.abs(d[q]!) / big) ** p;
  });
  return big * s ** (1 / p);
}

/**
 * A norm of a vector or matrix, chosen by `ord` (see {@link NormOrd}), as numpy's
 * `linalg.norm`. The matrix 2-norm and nuclear norm need singular values: use
 * {@link normSpectralEstimate} or an SVD.
 *
 * @param A tensor (any strides)
 * @param ord which norm; default `'fro'`
 * @returns the norm (NaN if an element is NaN)
 * @throws {InvalidArgumentError} if A is not a tensor or `ord` is not valid for its shape (e.g. p < 0 other than −∞)
 * @throws {UnsupportedError} for `ord` 2 or −2 of a matrix, or `'nuc'`
 * @example norm(x, 2); norm(A, 1); norm(A, 'fro')
 */
export function norm(A: Tensor, ord: NormOrd = 'fro'): number {
  const t = checkTensor('A', A);
  if (ord === 'fro') return normFro(t);
  if (ord === 'max') return normMax(t);
  if ((ord as unknown) === 'nuc') {
    throw new UnsupportedError(
      "norm: ord 'nuc' needs singular values; sum the singular values of an SVD",
    );
  }
  const o = ord === 'inf' ? Infinity : ord;
  if (typeof o !== 'number' || Number.isNaN(o)) {
    throw new InvalidArgumentError(
      `ord: expected 'fro', 'inf', 'max' or a number, got ${describe(ord)}`,
    );
  }
  if (t.ndim === 1) {
    if (o === 2) return normFro(t);
    if (o === 1) return absSumNorm('norm', t, true);
    if (o === Infinity) return normMax(t);
    if (o === -Infinity || o === 0 || o > 0) return vectorPNorm(t, o);
    throw new InvalidArgumentError(
      `ord: expected p > 0, 0 or ±Infinity for a vector norm, got ${o}`,
    );
  }
  if (t.ndim === 2) {
    if (o === 1) return norm1(t);
    if (o === Infinity) return normInf(t);
    if (o === -1) return absSumNorm('norm', t, true, true);
    if (o === -Infinity) return absSumNorm('norm', t, false, true);
    if (o === 2 || o === -2) {
      throw new UnsupportedError(
        `norm: ord ${o} of a matrix needs singular values; use normSpectralEstimate or an SVD`,
      );
    }
    throw new InvalidArgumentError(
      `ord: expected 'fro', 'max', ±1 or ±Infinity for a matrix norm, got ${describe(ord)}`,
    );
  }
  throw new InvalidArgumentError(
    `ord: expected 'fro' or 'max' for a ${t.ndim}-d tensor, got ${describe(ord)}`,
  );
}
