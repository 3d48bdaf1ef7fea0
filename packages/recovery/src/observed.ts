import {
  assertInt,
  CooMatrix,
  CsrMatrix,
  describe,
  InvalidArgumentError,
  NonFiniteError,
  ShapeError,
} from '@lr/core';

/**
 * A CSR-style index over the observed entries grouped by row (or by column):
 * the entries of row i are `entry[ptr[i]] … entry[ptr[i + 1] − 1]` (positions into the
 * arrays of {@link ObservedEntries}), and `other[p]` is the column (or row) of entry p.
 */
export interface EntryIndex {
  /** Pointers, length (rows or cols) + 1, from 0 to |Ω|. */
  readonly ptr: Int32Array;
  /** Entry position of each slot, length |Ω|. */
  readonly entry: Int32Array;
  /** The other coordinate of each slot (column when grouped by row), length |Ω|. */
  readonly other: Int32Array;
}

function buildIndex(n: number, key: Int32Array, otherKey: Int32Array): EntryIndex {
  const nnz = key.length;
  const ptr = new Int32Array(n + 1);
  for (let p = 0; p < nnz; p++) ptr[key[p]! + 1]!++;
  for (let i = 0; i < n; i++) ptr[i + 1]! += ptr[i]!;
  const fill = ptr.slice(0, n);
  const entry = new Int32Array(nnz);
  const other = new Int32Array(nnz);
  for (let p = 0; p < nnz; p++) {
    const slot = fill[key[p]!]!++;
    entry[slot] = p;
    other[slot] = otherKey[p]!;
  }
  return { ptr, entry, other };
}

/**
 * The observed entries Ω of a partially known rows×cols matrix M: entry p is
 * `values[p] = M[row[p], col[p]]`. The input of {@link completeMatrix}. Entries may come in
 * any order; each (i, j) should appear at most once (duplicates are kept as separate
 * observations, which for least squares is the same as observing their mean twice).
 *
 * The arrays are owned by the object and never written to; `byRow` / `byColumn` build
 * (once, lazily) CSR-style indexes for fast per-row and per-column access.
 *
 * @example
 * const obs = ObservedEntries.fromTriplets(2, 3, [0, 1, 1], [2, 0, 1], [5, 6, 7]);
 * obs.nnz;                 // 3
 * obs.byRow().ptr;         // Int32Array [0, 1, 3]
 */
export class ObservedEntries {
  /** Number of rows m. */
  readonly rows: number;
  /** Number of columns n. */
  readonly cols: number;
  /** Row index of each observation, in [0, rows). */
  readonly row: Int32Array;
  /** Column index of each observation, in [0, cols). */
  readonly col: Int32Array;
  /** Observed value of each observation (finite). */
  readonly values: Float64Array;
  private rowIndex: EntryIndex | undefined;
  private colIndex: EntryIndex | undefined;

  /**
   * Validates and wraps the arrays (no copy; lr never writes to them).
   *
   * @param rows number of rows m ≥ 0
   * @param cols number of columns n ≥ 0
   * @param row row index of each entry (Int32Array)
   * @param col column index of each entry (Int32Array)
   * @param values value of each entry (Float64Array)
   * @throws {ShapeError} if the three arrays differ in length
   * @throws {InvalidArgumentError} for an index out of range or arrays of the wrong type
   * @throws {NonFiniteError} for a NaN or infinite value
   * @example
   * new ObservedEntries(2, 2, new Int32Array([0]), new Int32Array([1]), new Float64Array([3]));
   */
  constructor(rows: number, cols: number, row: Int32Array, col: Int32Array, values: Float64Array) {
    assertInt('rows', rows, 0, 2147483647);
    assertInt('cols', cols, 0, 2147483647);
    if (!(row instanceof Int32Array)) {
      throw new InvalidArgumentError(`row: expected an Int32Array, got ${describe(row)}`);
    }
    if (!(col instanceof Int32Array)) {
      throw new InvalidArgumentError(`col: expected an Int32Array, got ${describe(col)}`);
    }
    if (!(values instanceof Float64Array)) {
      throw new InvalidArgumentError(`values: expected a Float64Array, got ${describe(values)}`);
    }
    if (row.length !== col.length || row.length !== values.length) {
      throw new ShapeError(
        `ObservedEntries: row, col and values must have equal lengths, got ${row.length}, ${col.length} and ${values.length}`,
      );
    }
    for (let p = 0; p < row.length; p++) {
      const i = row[p]!;
      const j = col[p]!;
      if (i < 0 || i >= rows) {
        throw new InvalidArgumentError(
          `row: index ${i} at position ${p} is out of range for ${rows} rows`,
        );
      }
      if (j < 0 || j >= cols) {
        throw new InvalidArgumentError(
          `col: index ${j} at position ${p} is out of range for ${cols} columns`,
        );
      }
      const v = values[p]!;
      if (v - v !== 0)
        throw new NonFiniteError(`values: expected finite values, found ${v} at position ${p}`);
    }
    this.rows = rows;
    this.cols = cols;
    this.row = row;
    this.col = col;
    this.values = values;
  }

  /** Number of observed entries |Ω|. */
  get nnz(): number {
    return this.values.length;
  }

  /**
   * Entries grouped by row (built once, then cached).
   *
   * @returns an {@link EntryIndex} with `ptr` of length rows + 1; `other` holds columns
   * @example
   * const { ptr, entry, other } = obs.byRow(); // row i: slots ptr[i] … ptr[i+1]−1
   */
  byRow(): EntryIndex {
    this.rowIndex ??= buildIndex(this.rows, this.row, this.col);
    return this.rowIndex;
  }

  /**
   * Entries grouped by column (built once, then cached).
   *
   * @returns an {@link EntryIndex} with `ptr` of length cols + 1; `other` holds rows
   * @example
   * const { ptr } = obs.byColumn(); // column j has ptr[j+1] − ptr[j] observations
   */
  byColumn(): EntryIndex {
    this.colIndex ??= buildIndex(this.cols, this.col, this.row);
    return this.colIndex;
  }

  /**
   * The entries as a CSR matrix (duplicates summed, as scipy.sparse does).
   *
   * @returns a rows×cols {@link CsrMatrix}
   * @example
   * obs.toCsr().toDense();
   */
  toCsr(): CsrMatrix {
    return new CooMatrix(this.rows, this.cols, this.row, this.col, this.values).toCsr();
  }

  /**
   * A subset of the entries, by position.
   *
   * @param positions entry positions in [0, nnz)
   * @returns new ObservedEntries with the same shape
   * @throws {InvalidArgumentError} for a position out of range
   * @example
   * obs.subset(new Int32Array([0, 2]));
   */
  subset(positions: Int32Array): ObservedEntries {
    const n = positions.length;
    const r = new Int32Array(n);
    const c = new Int32Array(n);
    const v = new Float64Array(n);
    for (let q = 0; q < n; q++) {
      const p = positions[q]!;
      if (!(p >= 0 && p < this.nnz)) {
        throw new InvalidArgumentError(
          `positions: ${p} at ${q} is out of range for ${this.nnz} entries`,
        );
      }
      r[q] = this.row[p]!;
      c[q] = this.col[p]!;
      v[q] = this.values[p]!;
    }
    return new ObservedEntries(this.rows, this.cols, r, c, v);
  }

  /**
   * Observed entries from triplets (arrays are copied into typed arrays).
   *
   * @param rows number of rows
   * @param cols number of columns
   * @param row row indices (integers)
   * @param col column indices (integers)
   * @param values values (finite)
   * @returns the entries
   * @throws {InvalidArgumentError} for non-integer or out-of-range indices
   * @throws {ShapeError} for arrays of different lengths
   * @example
   * ObservedEntries.fromTriplets(3, 3, [0, 2], [1, 1], [1.5, -2]);
   */
  static fromTriplets(
    rows: number,
    cols: number,
    row: ArrayLike<number>,
    col: ArrayLike<number>,
    values: ArrayLike<number>,
  ): ObservedEntries {
    const toInt = (name: string, a: ArrayLike<number>): Int32Array => {
      if (a === null || typeof a !== 'object' || typeof a.length !== 'number') {
        throw new InvalidArgumentError(
          `${name}: expected an array of integers, got ${describe(a)}`,
        );
      }
      const out = new Int32Array(a.length);
      for (let p = 0; p < a.length; p++) {
        const x = a[p]!;
        if (!Number.isInteger(x) || x < -2147483648 || x > 2147483647) {
          throw new InvalidArgumentError(
            `${name}: expected integers, got ${describe(x)} at position ${p}`,
          );
        }
        out[p] = x;
      }
      return out;
    };
    if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
      throw new InvalidArgumentError(
        `values: expected an array of numbers, got ${describe(values)}`,
      );
    }
    return new ObservedEntries(
      rows,
      cols,
      toInt('row', row),
      toInt('col', col),
      Float64Array.from(values),
    );
  }

  /**
   * The stored entries of a sparse matrix as observations (explicit zeros included).
   *
   * @param A a {@link CooMatrix} or {@link CsrMatrix}
   * @returns the entries (arrays copied)
   * @throws {InvalidArgumentError} if A is neither
   * @example
   * ObservedEntries.fromSparse(CsrMatrix.fromDense(matrix([[1, 0], [0, 2]])));
   */
  static fromSparse(A: CooMatrix | CsrMatrix): ObservedEntries {
    if (A instanceof CooMatrix) {
      return new ObservedEntries(A.rows, A.cols, A.row.slice(), A.col.slice(), A.values.slice());
    }
    if (A instanceof CsrMatrix) {
      const r = new Int32Array(A.nnz);
      for (let i = 0; i < A.rows; i++) r.fill(i, A.indptr[i]!, A.indptr[i + 1]!);
      return new ObservedEntries(A.rows, A.cols, r, A.indices.slice(), A.values.slice());
    }
    throw new InvalidArgumentError(`A: expected a CooMatrix or CsrMatrix, got ${describe(A)}`);
  }
}
