import { asMatrix, InvalidArgumentError, Matrix, ShapeError, Tensor } from '@lr/core';

/** Sizes of a Monarch factorisation (see {@link monarchReference}). */
export interface MonarchDims {
  /** Blocks of the first factor (k); the input size is n = k·p. */
  k: number;
  /** Rows of each first-factor block (q). */
  q: number;
  /** Columns of each first-factor block (p). */
  p: number;
  /** Blocks of the second factor (l); l·r = k·q. */
  l: number;
  /** Rows of each second-factor block (s); the output size is s·l. */
  s: number;
  /** Columns of each second-factor block (r). */
  r: number;
}

/** @internal Validates w1 [k,q,p], w2 [l,s,r] against x [batch, n] and returns the sizes. */
export function monarchDims(w1: Tensor, w2: Tensor, n: number): MonarchDims {
  if (!(w1 instanceof Tensor) || w1.shape.length !== 3)
    throw new ShapeError(
      `monarch: w1 must be a 3-D tensor [k, q, p], got ${w1 instanceof Tensor ? `[${w1.shape}]` : typeof w1}`,
    );
  if (!(w2 instanceof Tensor) || w2.shape.length !== 3)
    throw new ShapeError(
      `monarch: w2 must be a 3-D tensor [l, s, r], got ${w2 instanceof Tensor ? `[${w2.shape}]` : typeof w2}`,
    );
  const [k, q, p] = w1.shape as [number, number, number];
  const [l, s, r] = w2.shape as [number, number, number];
  if (k * p !== n)
    throw new ShapeError(`monarch: x has ${n} columns, w1 [${k}, ${q}, ${p}] needs k·p = ${k * p}`);
  if (l * r !== k * q)
    throw new ShapeError(`monarch: w2 [${l}, ${s}, ${r}] needs l·r = k·q = ${k * q}, got ${l * r}`);
  if (l === 0 && k * q > 0) throw new InvalidArgumentError('monarch: w2 has no blocks');
  return { k, q, p, l, s, r };
}

/**
 * CPU reference of the Monarch product `y = x·Mᵀ` (Dao et al. 2022), batched over the rows
 * of x, in float64. Layout (matches REFERENCES.md: blocks → block-diagonal multiply →
 * transpose of the block grid → block-diagonal multiply):
 *
 * 1. x row (length n = k·p) is cut into k blocks of p; block i is multiplied by
 *    w1[i] (q×p): `z[i·q + a] = Σ_c w1[i, a, c]·x[i·p + c]`.
 * 2. z (length k·q) is read as an r×l grid, `z[t·l + j]`, and its transpose feeds the
 *    second factor: block j (of l) gets the column `(z[0·l + j], …, z[(r−1)·l + j])`.
 * 3. `y[b·l + j] = Σ_t w2[j, b, t]·z[t·l + j]` for b < s — output length s·l.
 *
 * In the square case n = m², k = q = p = l = s = r = m this is M = P·L·P·R with R =
 * blockdiag(w1), L = blockdiag(w2) and P the m×m grid transpose (its own inverse).
 *
 * @param x batch×n; @param w1 [k, q, p]; @param w2 [l, s, r]
 * @returns batch×(s·l) float64
 * @throws {ShapeError} when the sizes do not chain
 * @example
 * monarchReference(x, w1, w2); // x: 3×16, w1: [4,4,4], w2: [4,4,4] → 3×16
 */
export function monarchReference(x: Matrix, w1: Tensor, w2: Tensor): Matrix {
  const X = asMatrix('x', x);
  const { k, q, p, l, s, r } = monarchDims(w1, w2, X.cols);
  const batch = X.rows;
  const g1 = (i: number, a: number, c: number) =>
    w1.data[w1.offset + i * w1.strides[0]! + a * w1.strides[1]! + c * w1.strides[2]!]!;
  const g2 = (j: number, b: number, t: number) =>
    w2.data[w2.offset + j * w2.strides[0]! + b * w2.strides[1]! + t * w2.strides[2]!]!;
  const out = new Float64Array(batch * s * l);
  const z = new Float64Array(k * q);
  for (let bb = 0; bb < batch; bb++) {
    for (let i = 0; i < k; i++)
      for (let a = 0; a < q; a++) {
        let acc = 0;
        for (let c = 0; c < p; c++) acc += g1(i, a, c) * X.get(bb, i * p + c);
        z[i * q + a] = acc;
      }
    for (let j = 0; j < l; j++)
      for (let b = 0; b < s; b++) {
        let acc = 0;
        for (let t = 0; t < r; t++) acc += g2(j, b, t) * z[t * l + j]!;
        out[bb * s * l + b * l + j] = acc;
      }
  }
  return Matrix.fromData(out, batch, s * l);
}

/**
 * The dense (s·l)×n matrix M of a Monarch factorisation, so that `monarchReference(x,
 * w1, w2) = x·Mᵀ` (column c of M is the product applied to the unit vector e_c).
 */
export function monarchDense(w1: Tensor, w2: Tensor): Matrix {
  const n = w1.shape[0]! * w1.shape[2]!;
  const I = new Float64Array(n * n);
  for (let i = 0; i < n; i++) I[i * n + i] = 1;
  return monarchReference(Matrix.fromData(I, n, n), w1, w2).T.contiguous();
}
