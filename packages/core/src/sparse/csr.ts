import { allocate, type DType } from '../dtype.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { norm2 } from '../kernels/blas1.js';
import { asMatrix, Matrix } from '../matrix.js';
import { assertInt, assertNumber, optionsObject } from '../validate.js';
import { float64Values, int32Indices, MAX_DIM } from './_arrays.js';

/** Options of {@link CsrMatrix.fromDense}. */
export interface CsrFromDenseOptions {
  /** Entries with |a| ≤ tol are dropped; default 0 (every nonzero is kept). */
  tol?: number;
}

/**
 * A sparse matrix in compressed sparse row form (the scipy.sparse `csr_matrix` layout):
 * the entries of row i are `values[indptr[i] … indptr[i+1])` in columns
 * `indices[indptr[i] … indptr[i+1])`. CSR is the format for computing: see `spmv`,
 * `spmvT`, `spmm`, `spmmT`, `csrOperator`.
 *
 * The constructor validates the structure in O(rows + nnz). Column indices need not be
 * sorted and may repeat (repeats add up, as in scipy); matrices built by lr
 * ({@link CsrMatrix.fromDense}, `CooMatrix.toCsr`, {@link CsrMatrix.transpose}) have
 * sorted indices, which {@link CsrMatrix.get} uses for binary search. The arrays are
 * stored as given when they have the right type and never written to.
 *
 * @example
 * const A = new CsrMatrix(2, 3, new Int32Array([0, 1, 3]), new Int32Array([2, 0, 1]), new Float64Array([5, 6, 7]));
 * A.get(1, 1); // 7
 */
export class CsrMatrix {
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
  /** Row pointers, length rows + 1, non-decreasing, from 0 to nnz. */
  readonly indptr: Int32Array;
  /** Column index of each stored entry, in [0, cols). */
  readonly indices: Int32Array;
  /** Value of each stored entry. */
  readonly values: Float64Array;
  /** True if column indices are strictly increasing within every row (no repeats). */
  readonly sortedIndices: boolean;

  /**
   * @param rows number of rows (integer in [0, 2³¹ − 1])
   * @param cols number of columns
   * @param indptr row pointers, length rows + 1
   * @param indices column indices, length nnz
   * @param values values, length nnz
   * @throws {ShapeError} if `indptr` is not of length rows + 1, or `indices`, `values` and `indptr[rows]` disagree on nnz
   * @throws {InvalidArgumentError} if `indptr` does not start at 0 or decreases, or a column index is out of range
   */
  constructor(
    rows: number,
    cols: number,
    indptr: Int32Array | readonly number[],
    indices: Int32Array | readonly number[],
    values: Float64Array | readonly number[],
  ) {
    assertInt('rows', rows, 0, MAX_DIM);
    assertInt('cols', cols, 0, MAX_DIM);
    const ptr = int32Indices('indptr', indptr);
    const idx = int32Indices('indices', indices);
    const val = float64Values('values', values);
    if (ptr.length !== rows + 1) {
      throw new ShapeError(`indptr: expected length rows + 1 = ${rows + 1}, got ${ptr.length}`);
    }
    if (idx.length !== val.length) {
      throw new ShapeError(
        `CsrMatrix: indices and values must have equal lengths, got ${idx.length} and ${val.length}`,
      );
    }
    if (ptr[0] !== 0)
      throw new InvalidArgumentError(`indptr: expected indptr[0] = 0, got ${ptr[0]}`);
    for (let i = 0; i < rows; i++) {
      if (ptr[i + 1]! < ptr[i]!) {
        throw new InvalidArgumentError(
          `indptr: expected a non-decreasing sequence, but indptr[${i + 1}] = ${ptr[i + 1]} < indptr[${i}] = ${ptr[i]}`,
        );
      }
    }
    if (ptr[rows] !== idx.length) {
      throw new ShapeError(
        `indptr: expected indptr[${rows}] = nnz = ${idx.length}, got ${ptr[rows]}`,
      );
    }
    let sorted = true;
    for (let i = 0; i < rows; i++) {
      let last = -1;
      for (let k = ptr[i]!; k < ptr[i + 1]!; k++) {
        const j = idx[k]!;
        if (j < 0 || j >= cols) {
          throw new InvalidArgumentError(
            `indices: column ${j} at position ${k} (row ${i}) is out of range for ${cols} columns`,
          );
        }
        if (j <= last) sorted = false;
        last = j;
      }
    }
    this.rows = rows;
    this.cols = cols;
    this.indptr = ptr;
    this.indices = idx;
    this.values = val;
    this.sortedIndices = sorted;
  }

  /** Number of stored entries (explicit zeros included). */
  get nnz(): number {
    return this.values.length;
  }

  /**
   * Element (i, j): the sum of the stored entries at (i, j), 0 if none. Binary search
   * when the indices are sorted, a scan of row i otherwise.
   *
   * @param i row, integer in [0, rows)
   * @param j column, integer in [0, cols)
   * @returns the value
   * @throws {InvalidArgumentError} if i or j is out of range
   * @example A.get(0, 2)
   */
  get(i: number, j: number): number {
    assertInt('i', i, 0, this.rows - 1);
    assertInt('j', j, 0, this.cols - 1);
    const { indptr, indices, values } = this;
    let lo = indptr[i]!;
    const end = indptr[i + 1]!;
    if (this.sortedIndices) {
      let hi = end;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (indices[mid]! < j) lo = mid + 1;
        else hi = mid;
      }
      return lo < end && indices[lo] === j ? values[lo]! : 0;
    }
    let s = 0;
    for (let k = lo; k < end; k++) if (indices[k] === j) s += values[k]!;
    return s;
  }

  /**
   * The dense matrix.
   *
   * @param dtype element type; default `'float64'`
   * @returns a new rows×cols Matrix
   * @throws {InvalidArgumentError} if `dtype` is not a dtype
   * @example A.toDense().toArray()
   */
  toDense(dtype: DType = 'float64'): Matrix {
    if (dtype !== 'float64' && dtype !== 'float32') {
      throw new InvalidArgumentError(
        `dtype: expected 'float64' or 'float32', got ${String(dtype)}`,
      );
    }
    const { rows, cols, indptr, indices, values } = this;
    const acc = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const base = i * cols;
      for (let k = indptr[i]!; k < indptr[i + 1]!; k++) acc[base + indices[k]!]! += values[k]!;
    }
    if (dtype === 'float64') return new Matrix(acc, rows, cols);
    const out = allocate('float32', rows * cols);
    out.set(acc);
    return new Matrix(out, rows, cols);
  }

  /**
   * Aᵀ in CSR form (equivalently, A in compressed sparse column form), by a counting
   * sort on the column indices, O(nnz + rows + cols). The result has sorted indices;
   * repeated entries stay separate.
   *
   * @returns a new cols×rows CsrMatrix
   * @example A.transpose().rows === A.cols
   */
  transpose(): CsrMatrix {
    const { rows, cols, indptr, indices, values } = this;
    const nnz = values.length;
    const tptr = new Int32Array(cols + 1);
    for (let k = 0; k < nnz; k++) tptr[indices[k]! + 1]!++;
    for (let j = 0; j < cols; j++) tptr[j + 1]! += tptr[j]!;
    const next = tptr.slice(0, cols);
    const tind = new Int32Array(nnz);
    const tval = new Float64Array(nnz);
    for (let i = 0; i < rows; i++) {
      for (let k = indptr[i]!; k < indptr[i + 1]!; k++) {
        const q = next[indices[k]!]!++;
        tind[q] = i;
        tval[q] = values[k]!;
      }
    }
    return new CsrMatrix(cols, rows, tptr, tind, tval);
  }

  /**
   * Euclidean norm of each row, ‖A(i, :)‖₂ (repeated entries are summed first when the
   * indices are unsorted).
   *
   * @returns a new Float64Array of length rows
   * @example A.rowNorms()
   */
  rowNorms(): Float64Array {
    const src = this.sortedIndices ? this : this.summed();
    const out = new Float64Array(src.rows);
    for (let i = 0; i < src.rows; i++)
      out[i] = norm2(src.values, src.indptr[i]!, 1, src.indptr[i + 1]! - src.indptr[i]!);
    return out;
  }

  /**
   * Euclidean norm of each column, ‖A(:, j)‖₂.
   *
   * @returns a new Float64Array of length cols
   * @example A.colNorms()
   */
  colNorms(): Float64Array {
    return this.transpose().rowNorms();
  }

  /** This matrix with repeated (i, j) entries summed and indices sorted. */
  private summed(): CsrMatrix {
    // transposing twice sorts the indices; then merge adjacent repeats
    const t = this.transpose().transpose();
    const { rows, cols, indptr, indices, values } = t;
    const ptr = new Int32Array(rows + 1);
    const idx = new Int32Array(indices.length);
    const val = new Float64Array(values.length);
    let q = 0;
    for (let i = 0; i < rows; i++) {
      let last = -1;
      for (let k = indptr[i]!; k < indptr[i + 1]!; k++) {
        if (indices[k] === last) {
          val[q - 1]! += values[k]!;
        } else {
          last = indices[k]!;
          idx[q] = last;
          val[q++] = values[k]!;
        }
      }
      ptr[i + 1] = q;
    }
    return new CsrMatrix(rows, cols, ptr, idx.slice(0, q), val.slice(0, q));
  }

  /**
   * The entries of a dense matrix with |a_ij| > tol, in CSR form with sorted indices.
   * NaN entries are kept (they compare false against tol and are not dropped).
   *
   * @param A any matrix or strided view (float64 or float32)
   * @param options see {@link CsrFromDenseOptions}
   * @returns a new CsrMatrix of A's shape
   * @throws {InvalidArgumentError} if `A` is not a matrix or `tol` is negative or not finite
   * @example CsrMatrix.fromDense(A, { tol: 1e-12 })
   */
  static fromDense(A: Matrix, options?: CsrFromDenseOptions): CsrMatrix {
    const a = asMatrix('A', A);
    const opts = optionsObject('options', options);
    const tol = assertNumber('tol', opts.tol ?? 0, 0);
    const { rows, cols, data, offset, rowStride: rs, colStride: cs } = a;
    const indptr = new Int32Array(rows + 1);
    let nnz = 0;
    for (let i = 0; i < rows; i++) {
      let p = offset + i * rs;
      for (let j = 0; j < cols; j++, p += cs) if (!(Math.abs(data[p]!) <= tol)) nnz++;
      indptr[i + 1] = nnz;
    }
    const indices = new Int32Array(nnz);
    const values = new Float64Array(nnz);
    let q = 0;
    for (let i = 0; i < rows; i++) {
      let p = offset + i * rs;
      for (let j = 0; j < cols; j++, p += cs) {
        const v = data[p]!;
        if (!(Math.abs(v) <= tol)) {
          indices[q] = j;
          values[q++] = v;
        }
      }
    }
    return new CsrMatrix(rows, cols, indptr, indices, values);
  }
}
