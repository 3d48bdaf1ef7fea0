import {
  CsrMatrix,
  type FloatArray,
  gemv,
  Matrix,
  matmul,
  optionsObject,
  Rng,
  type Seed,
  ShapeError,
  spmmT,
} from '@lr/core';
import { checkSketchSize } from './_sketchArgs.js';
import { asSketchInput } from './_util.js';
import type { SketchKind, SketchOperator } from './sketchOperator.js';

/** Options of {@link gaussianSketch}. */
export interface GaussianSketchOptions {
  /** Seed (or an Rng) for the entries; default 0. */
  seed?: Seed;
}

/**
 * Dense sketch over an explicit m×n matrix G (already scaled). Internal: the Gaussian
 * sketch and the dense ℓ∞ construction of paper #3 share it.
 */
export class _DenseSketch implements SketchOperator {
  readonly rows: number;
  readonly cols: number;
  readonly kind: SketchKind;
  private readonly G: Matrix;

  constructor(kind: SketchKind, G: Matrix) {
    this.kind = kind;
    this.G = G;
    this.rows = G.rows;
    this.cols = G.cols;
  }

  matvec(x: FloatArray): Float64Array {
    if (x.length !== this.cols)
      throw new ShapeError(`x: expected length ${this.cols}, got ${x.length}`);
    return gemv(this.G, x);
  }

  rmatvec(y: FloatArray): Float64Array {
    if (y.length !== this.rows)
      throw new ShapeError(`y: expected length ${this.rows}, got ${y.length}`);
    return gemv(this.G, y, { trans: true });
  }

  matmat(X: Matrix): Matrix {
    return matmul(this.G, X);
  }

  rmatmat(Y: Matrix): Matrix {
    return matmul(this.G.T, Y);
  }

  apply(A: Matrix | CsrMatrix): Matrix {
    const a = asSketchInput('A', A);
    if (a.rows !== this.cols) {
      throw new ShapeError(`A: expected ${this.cols} rows (the sketch's n), got ${a.rows}`);
    }
    if (a instanceof CsrMatrix) {
      // S·A = (Aᵀ·Sᵀ)ᵀ with the sparse kernel: O(nnz(A)·m).
      return spmmT(a, this.G.T).T.contiguous();
    }
    return matmul(this.G, a);
  }

  toDense(): Matrix {
    return this.G.clone();
  }
}

/**
 * Gaussian sketch: S ∈ ℝ^{m×n} with i.i.d. N(0, 1/m) entries, so E[SᵀS] = I. The densest,
 * most accurate and most expensive sketch (S·A costs O(m·n·d) by GEMM); an oblivious
 * subspace embedding with m = O(d/ε²) (Woodruff 2014, Thm 2.3) and one of the dense
 * distributions that meet the ℓ∞ guarantee of paper #3 (Song, Ye, Yin, Zhang 2023).
 *
 * @param m sketch size (rows of S), integer ≥ 1
 * @param n length of the sketched vectors (columns of S), integer ≥ 1
 * @param options `seed` (default 0)
 * @returns a {@link SketchOperator} of kind `'gaussian'`
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a bad m, n or seed
 * @example
 * import { gaussianSketch } from '@lr/sketch';
 * const S = gaussianSketch(20, 500, { seed: 3 });
 * const y = S.matvec(new Float64Array(500).fill(1)); // length 20
 */
export function gaussianSketch(
  m: number,
  n: number,
  options?: GaussianSketchOptions,
): SketchOperator {
  const opts = optionsObject('options', options);
  checkSketchSize(m, n);
  const rng = Rng.from(opts.seed);
  const data = new Float64Array(m * n);
  rng.fillNormal(data, 0, 1 / Math.sqrt(m));
  return new _DenseSketch('gaussian', new Matrix(data, m, n));
}
