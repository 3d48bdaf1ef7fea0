// Sparse sketch with s nonzeros per column (CountSketch s = 1, OSNAP s ≥ 1). Not public.
import { CsrMatrix, type FloatArray, Matrix, ShapeError, spmm, spmmT } from '@lr/core';
import { asSketchInput } from './_util.js';
import type { SketchKind, SketchOperator } from './sketchOperator.js';

export class _SparseSketch implements SketchOperator {
  /** S as a CSR matrix (m×n): its products use @lr/core's sparse kernels. */
  private readonly S: CsrMatrix;

  /**
   * @param rowOf rowOf[i·s + t] is the sketch row of the t-th nonzero in column i
   * @param valOf the matching values
   */
  constructor(
    readonly kind: SketchKind,
    readonly rows: number,
    readonly cols: number,
    private readonly s: number,
    private readonly rowOf: Int32Array,
    private readonly valOf: Float64Array,
  ) {
    const m = rows;
    const count = new Int32Array(m + 1);
    for (let q = 0; q < rowOf.length; q++) count[rowOf[q]! + 1]!++;
    for (let r = 0; r < m; r++) count[r + 1]! += count[r]!;
    const indptr = Int32Array.from(count);
    const indices = new Int32Array(rowOf.length);
    const values = new Float64Array(rowOf.length);
    const next = Int32Array.from(count.subarray(0, m));
    for (let i = 0; i < cols; i++) {
      for (let t = 0; t < s; t++) {
        const q = i * s + t;
        const pos = next[rowOf[q]!]!++;
        indices[pos] = i;
        values[pos] = valOf[q]!;
      }
    }
    this.S = new CsrMatrix(m, cols, indptr, indices, values);
  }

  matvec(x: FloatArray): Float64Array {
    if (x.length !== this.cols)
      throw new ShapeError(`x: expected length ${this.cols}, got ${x.length}`);
    const y = new Float64Array(this.rows);
    const { s, rowOf, valOf } = this;
    for (let i = 0; i < this.cols; i++) {
      const xi = x[i]!;
      for (let t = 0; t < s; t++) y[rowOf[i * s + t]!]! += valOf[i * s + t]! * xi;
    }
    return y;
  }

  rmatvec(y: FloatArray): Float64Array {
    if (y.length !== this.rows)
      throw new ShapeError(`y: expected length ${this.rows}, got ${y.length}`);
    const x = new Float64Array(this.cols);
    const { s, rowOf, valOf } = this;
    for (let i = 0; i < this.cols; i++) {
      let acc = 0;
      for (let t = 0; t < s; t++) acc += valOf[i * s + t]! * y[rowOf[i * s + t]!]!;
      x[i] = acc;
    }
    return x;
  }

  matmat(X: Matrix): Matrix {
    if (X.rows !== this.cols) throw new ShapeError(`X: expected ${this.cols} rows, got ${X.rows}`);
    return spmm(this.S, X);
  }

  rmatmat(Y: Matrix): Matrix {
    if (Y.rows !== this.rows) throw new ShapeError(`Y: expected ${this.rows} rows, got ${Y.rows}`);
    return spmmT(this.S, Y);
  }

  apply(A: Matrix | CsrMatrix): Matrix {
    const a = asSketchInput('A', A);
    if (a.rows !== this.cols) {
      throw new ShapeError(`A: expected ${this.cols} rows (the sketch's n), got ${a.rows}`);
    }
    if (!(a instanceof CsrMatrix)) return spmm(this.S, a);
    // O(nnz(A)·s): scatter every stored entry of A into its s sketch rows.
    const d = a.cols;
    const out = new Float64Array(this.rows * d);
    const { s, rowOf, valOf } = this;
    for (let i = 0; i < a.rows; i++) {
      for (let p = a.indptr[i]!; p < a.indptr[i + 1]!; p++) {
        const j = a.indices[p]!;
        const v = a.values[p]!;
        for (let t = 0; t < s; t++) out[rowOf[i * s + t]! * d + j]! += valOf[i * s + t]! * v;
      }
    }
    return new Matrix(out, this.rows, d);
  }

  toDense(): Matrix {
    const out = new Float64Array(this.rows * this.cols);
    const { s, rowOf, valOf } = this;
    for (let i = 0; i < this.cols; i++)
      for (let t = 0; t < s; t++) out[rowOf[i * s + t]! * this.cols + i]! += valOf[i * s + t]!;
    return new Matrix(out, this.rows, this.cols);
  }
}
