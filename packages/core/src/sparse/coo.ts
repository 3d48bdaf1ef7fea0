import { allocate, type DType } from '../dtype.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { Matrix } from '../matrix.js';
import { assertInt } from '../validate.js';
import { float64Values, int32Indices, MAX_DIM } from './_arrays.js';
import { CsrMatrix } from './csr.js';

/**
 * A sparse matrix in coordinate (triplet) form: entry k is `values[k]` at
 * (`row[k]`, `col[k]`). COO is the format for building a matrix; convert with
 * {@link CooMatrix.toCsr} to compute. Entries may come in any order and the same (i, j)
 * may appear more than once: duplicates are summed on conversion (as scipy.sparse does).
 *
 * The arrays are stored as given when they already have the right type (Int32Array,
 * Float64Array) and copied otherwise; lr never writes to them.
 *
 * @example
 * const A = new CooMatrix(2, 3, new Int32Array([0, 1, 0]), new Int32Array([2, 0, 2]), new Float64Array([1, 2, 3]));
 * A.toDense().toArray(); // [[0, 0, 4], [2, 0, 0]]
 */
export class CooMatrix {
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
  /** Row index of each stored entry, in [0, rows). */
  readonly row: Int32Array;
  /** Column index of each stored entry, in [0, cols). */
  readonly col: Int32Array;
  /** Value of each stored entry. */
  readonly values: Float64Array;

  /**
   * @param rows number of rows (integer in [0, 2³¹ − 1])
   * @param cols number of columns (integer in [0, 2³¹ − 1])
   * @param row row indices, length nnz (Int32Array or integer array)
   * @param col column indices, length nnz
   * @param values entry values, length nnz (Float64Array or number array)
   * @throws {InvalidArgumentError} on a bad dimension, a non-integer index or an index out of range
   * @throws {ShapeError} if `row`, `col` and `values` differ in length
   */
  constructor(
    rows: number,
    cols: number,
    row: Int32Array | readonly number[],
    col: Int32Array | readonly number[],
    values: Float64Array | readonly number[],
  ) {
    assertInt('rows', rows, 0, MAX_DIM);
    assertInt('cols', cols, 0, MAX_DIM);
    const r = int32Indices('row', row);
    const c = int32Indices('col', col);
    const v = float64Values('values', values);
    if (r.length !== c.length || r.length !== v.length) {
      throw new ShapeError(
        `CooMatrix: row, col and values must have equal lengths, got ${r.length}, ${c.length} and ${v.length}`,
      );
    }
    for (let k = 0; k < r.length; k++) {
      const i = r[k]!;
      const j = c[k]!;
      if (i < 0 || i >= rows) {
        throw new InvalidArgumentError(
          `row: index ${i} at position ${k} is out of range for ${rows} rows`,
        );
      }
      if (j < 0 || j >= cols) {
        throw new InvalidArgumentError(
          `col: index ${j} at position ${k} is out of range for ${cols} columns`,
        );
      }
    }
    this.rows = rows;
    this.cols = cols;
    this.row = r;
    this.col = c;
    this.values = v;
  }

  /** Number of stored entries (duplicates and explicit zeros included). */
  get nnz(): number {
    return this.values.length;
  }

  /**
   * Compressed sparse row form, with duplicates summed and column indices sorted within
   * each row (two stable counting sorts, O(nnz + rows + cols)). Explicit zeros are kept.
   *
   * @returns a new CsrMatrix of shape rows×cols
   * @example coo.toCsr().indptr
   */
  toCsr(): CsrMatrix {
    const { rows, cols, row, col, values } = this;
    const nnz = values.length;
    // pass 1: stable sort by column
    const colPtr = new Int32Array(cols + 1);
    for (let k = 0; k < nnz; k++) colPtr[col[k]! + 1]!++;
    for (let j = 0; j < cols; j++) colPtr[j + 1]! += colPtr[j]!;
    const byCol = new Int32Array(nnz);
    const next = colPtr.slice(0, cols);
    for (let k = 0; k < nnz; k++) byCol[next[col[k]!]!++] = k;
    // pass 2: stable sort by row, so entries end up ordered by (row, col)
    const rowPtr = new Int32Array(rows + 1);
    for (let k = 0; k < nnz; k++) rowPtr[row[k]! + 1]!++;
    for (let i = 0; i < rows; i++) rowPtr[i + 1]! += rowPtr[i]!;
    const order = new Int32Array(nnz);
    const rnext = rowPtr.slice(0, rows);
    for (let t = 0; t < nnz; t++) {
      const k = byCol[t]!;
      order[rnext[row[k]!]!++] = k;
    }
    // pass 3: merge runs of equal (row, col)
    const indptr = new Int32Array(rows + 1);
    const indices = new Int32Array(nnz);
    const vals = new Float64Array(nnz);
    let q = 0;
    for (let i = 0; i < rows; i++) {
      let lastCol = -1;
      for (let t = rowPtr[i]!; t < rowPtr[i + 1]!; t++) {
        const k = order[t]!;
        const j = col[k]!;
        if (j === lastCol) {
          vals[q - 1]! += values[k]!;
        } else {
          indices[q] = j;
          vals[q] = values[k]!;
          q++;
          lastCol = j;
        }
      }
      indptr[i + 1] = q;
    }
    return new CsrMatrix(
      rows,
      cols,
      indptr,
      q === nnz ? indices : indices.slice(0, q),
      q === nnz ? vals : vals.slice(0, q),
    );
  }

  /**
   * The dense matrix (duplicates summed).
   *
   * @param dtype element type of the result; default `'float64'`
   * @returns a new rows×cols Matrix
   * @throws {InvalidArgumentError} if `dtype` is not a dtype
   * @example coo.toDense()
   */
  toDense(dtype: DType = 'float64'): Matrix {
    if (dtype !== 'float64' && dtype !== 'float32') {
      throw new InvalidArgumentError(
        `dtype: expected 'float64' or 'float32', got ${String(dtype)}`,
      );
    }
    const { rows, cols, row, col, values } = this;
    const out = new Matrix(allocate(dtype, rows * cols), rows, cols);
    if (dtype === 'float32') {
      // accumulate in float64 so duplicates sum with one rounding
      const acc = new Float64Array(rows * cols);
      for (let k = 0; k < values.length; k++) acc[row[k]! * cols + col[k]!]! += values[k]!;
      out.data.set(acc);
    } else {
      const d = out.data;
      for (let k = 0; k < values.length; k++) d[row[k]! * cols + col[k]!]! += values[k]!;
    }
    return out;
  }

  /**
   * The transpose, cols×rows, sharing no storage with this matrix (the index arrays swap
   * roles and are copied).
   *
   * @returns a new CooMatrix
   * @example coo.transpose().rows === coo.cols
   */
  transpose(): CooMatrix {
    return new CooMatrix(
      this.cols,
      this.rows,
      this.col.slice(),
      this.row.slice(),
      this.values.slice(),
    );
  }

  /**
   * The nonzero entries of a dense matrix (|a_ij| > tol) in row-major order.
   *
   * @param A any matrix or strided view
   * @param options `tol`: entries with |a| ≤ tol are dropped; default 0 (keep every nonzero)
   * @returns a new CooMatrix
   * @throws {InvalidArgumentError} if `tol` is negative or not finite
   * @example CooMatrix.fromDense(A, { tol: 1e-12 })
   */
  static fromDense(A: Matrix, options: { tol?: number } = {}): CooMatrix {
    const csr = CsrMatrix.fromDense(A, options);
    const row = new Int32Array(csr.nnz);
    for (let i = 0; i < csr.rows; i++) row.fill(i, csr.indptr[i]!, csr.indptr[i + 1]!);
    return new CooMatrix(csr.rows, csr.cols, row, csr.indices, csr.values);
  }
}
