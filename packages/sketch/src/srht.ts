import {
  assertInt,
  CsrMatrix,
  type FloatArray,
  fwhtInPlace,
  Matrix,
  optionsObject,
  Rng,
  type Seed,
  ShapeError,
} from '@lr/core';
import { checkSketchSize } from './_sketchArgs.js';
import { asSketchInput, nextPow2 } from './_util.js';
import type { SketchOperator } from './sketchOperator.js';

/** Options of {@link srht}. */
export interface SrhtOptions {
  /** Seed (or an Rng) for the signs and the sampled rows; default 0. */
  seed?: Seed;
}

/**
 * The subsampled randomized Hadamard transform S = √(N/m)·P·H·D (Ailon–Chazelle 2009;
 * Tropp 2011): D a diagonal of random signs on the input, zero-padded to the power of two
 * N ≥ n; H the orthonormal Walsh–Hadamard transform (H/√N with H of ±1 entries); P the
 * selection of m of the N rows uniformly without replacement. Then E[SᵀS] = I. Each
 * column of A costs one FWHT, so S·A costs O(N·d·log N) = O(n·d·log n) for a dense n×d A
 * (and O(nnz(A) + N·d·log N) for a CSR A). Needs m ≤ N.
 *
 * @param m sketch size, integer in [1, N] with N the power of two ≥ n
 * @param n length of the sketched vectors, integer ≥ 1
 * @param options `seed` (default 0)
 * @returns a {@link SketchOperator} of kind `'srht'`
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a bad m, n or seed, or m > N
 * @example
 * import { randn } from '@lr/core';
 * import { srht } from '@lr/sketch';
 * const SA = srht(40, 1000, { seed: 1 }).apply(randn(1000, 8, { seed: 2 })); // 40×8
 */
export function srht(m: number, n: number, options?: SrhtOptions): SketchOperator {
  const opts = optionsObject('options', options);
  checkSketchSize(m, n);
  const N = nextPow2(n);
  assertInt('m', m, 1, N);
  const rng = Rng.from(opts.seed);
  const signs = new Float64Array(n);
  for (let i = 0; i < n; i++) signs[i] = rng.sign();
  // m distinct rows of the N: a partial Fisher–Yates shuffle.
  const pool = new Int32Array(N);
  for (let i = 0; i < N; i++) pool[i] = i;
  const picked = new Int32Array(m);
  for (let k = 0; k < m; k++) {
    const j = k + rng.int(N - k);
    const t = pool[k]!;
    pool[k] = pool[j]!;
    pool[j] = t;
    picked[k] = pool[k]!;
  }
  return new _Srht(m, n, N, signs, picked);
}

class _Srht implements SketchOperator {
  readonly kind = 'srht' as const;
  private readonly scale: number;

  constructor(
    readonly rows: number,
    readonly cols: number,
    private readonly N: number,
    private readonly signs: Float64Array,
    private readonly picked: Int32Array,
  ) {
    // √(N/m)·(1/√N) with the unnormalized ±1 transform.
    this.scale = 1 / Math.sqrt(rows);
  }

  matvec(x: FloatArray): Float64Array {
    if (x.length !== this.cols)
      throw new ShapeError(`x: expected length ${this.cols}, got ${x.length}`);
    const buf = new Float64Array(this.N);
    for (let i = 0; i < this.cols; i++) buf[i] = this.signs[i]! * x[i]!;
    fwhtInPlace(buf);
    const y = new Float64Array(this.rows);
    for (let k = 0; k < this.rows; k++) y[k] = this.scale * buf[this.picked[k]!]!;
    return y;
  }

  rmatvec(y: FloatArray): Float64Array {
    if (y.length !== this.rows)
      throw new ShapeError(`y: expected length ${this.rows}, got ${y.length}`);
    const buf = new Float64Array(this.N);
    for (let k = 0; k < this.rows; k++) buf[this.picked[k]!] = this.scale * y[k]!;
    fwhtInPlace(buf); // H is symmetric
    const x = new Float64Array(this.cols);
    for (let i = 0; i < this.cols; i++) x[i] = this.signs[i]! * buf[i]!;
    return x;
  }

  /** Transforms the columns held column-major in `buf` (d segments of length N). */
  private finish(buf: Float64Array, d: number): Matrix {
    const { N, rows, picked, scale } = this;
    for (let j = 0; j < d; j++) fwhtInPlace(buf, { offset: j * N, length: N });
    const out = new Float64Array(rows * d);
    for (let k = 0; k < rows; k++) {
      const src = picked[k]!;
      for (let j = 0; j < d; j++) out[k * d + j] = scale * buf[j * N + src]!;
    }
    return new Matrix(out, rows, d);
  }

  matmat(X: Matrix): Matrix {
    if (X.rows !== this.cols) throw new ShapeError(`X: expected ${this.cols} rows, got ${X.rows}`);
    const d = X.cols;
    const buf = new Float64Array(this.N * d);
    for (let i = 0; i < this.cols; i++) {
      const s = this.signs[i]!;
      for (let j = 0; j < d; j++) buf[j * this.N + i] = s * X.get(i, j);
    }
    return this.finish(buf, d);
  }

  rmatmat(Y: Matrix): Matrix {
    if (Y.rows !== this.rows) throw new ShapeError(`Y: expected ${this.rows} rows, got ${Y.rows}`);
    const d = Y.cols;
    const { N } = this;
    const buf = new Float64Array(N * d);
    for (let k = 0; k < this.rows; k++) {
      const dst = this.picked[k]!;
      for (let j = 0; j < d; j++) buf[j * N + dst] = this.scale * Y.get(k, j);
    }
    for (let j = 0; j < d; j++) fwhtInPlace(buf, { offset: j * N, length: N });
    const out = new Float64Array(this.cols * d);
    for (let i = 0; i < this.cols; i++) {
      const s = this.signs[i]!;
      for (let j = 0; j < d; j++) out[i * d + j] = s * buf[j * N + i]!;
    }
    return new Matrix(out, this.cols, d);
  }

  apply(A: Matrix | CsrMatrix): Matrix {
    const a = asSketchInput('A', A);
    if (a.rows !== this.cols) {
      throw new ShapeError(`A: expected ${this.cols} rows (the sketch's n), got ${a.rows}`);
    }
    if (!(a instanceof CsrMatrix)) return this.matmat(a);
    const d = a.cols;
    const buf = new Float64Array(this.N * d);
    for (let i = 0; i < a.rows; i++) {
      const s = this.signs[i]!;
      for (let p = a.indptr[i]!; p < a.indptr[i + 1]!; p++) {
        buf[a.indices[p]! * this.N + i]! += s * a.values[p]!;
      }
    }
    return this.finish(buf, d);
  }

  toDense(): Matrix {
    const out = new Float64Array(this.rows * this.cols);
    const e = new Float64Array(this.cols);
    for (let i = 0; i < this.cols; i++) {
      e[i] = 1;
      const c = this.matvec(e);
      e[i] = 0;
      for (let k = 0; k < this.rows; k++) out[k * this.cols + i] = c[k]!;
    }
    return new Matrix(out, this.rows, this.cols);
  }
}
