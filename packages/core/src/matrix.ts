import { allocate, type DType, type FloatArray } from './dtype.js';
import { InvalidArgumentError, ShapeError } from './errors.js';
import { type SliceSpec, Tensor } from './tensor.js';
import { describe } from './validate.js';

/**
 * A 2-D {@link Tensor}: element (i, j) is `data[offset + i·rowStride + j·colStride]`.
 * `T`, `block`, `rowRange`, `colRange`, `row` and `col` are views that share storage, so
 * a transposed or sliced matrix goes straight into the kernels without a copy.
 *
 * @example
 * const A = Matrix.from([[1, 2], [3, 4]]);
 * A.T.get(0, 1); // 3
 */
export class Matrix extends Tensor {
  /**
   * @param data storage (not copied)
   * @param rows number of rows
   * @param cols number of columns
   * @param rowStride default `cols` (row-major)
   * @param colStride default 1
   * @param offset position of (0, 0) in `data`
   */
  constructor(
    data: FloatArray,
    rows: number,
    cols: number,
    rowStride = cols,
    colStride = 1,
    offset = 0,
  ) {
    super(data, [rows, cols], [rowStride, colStride], offset);
  }

  /** A matrix over `data` in row-major order (no copy). */
  static fromData(data: FloatArray, rows: number, cols: number): Matrix {
    if (data.length !== rows * cols) {
      throw new ShapeError(
        `data: expected ${rows}×${cols} = ${rows * cols} elements, got ${data.length}`,
      );
    }
    return new Matrix(data, rows, cols);
  }

  /** Copies nested arrays `[[row0…], [row1…]]` into a new matrix. */
  static from(
    rows: readonly (readonly number[])[] | readonly ArrayLike<number>[],
    dtype: DType = 'float64',
  ): Matrix {
    if (!Array.isArray(rows))
      throw new InvalidArgumentError(`rows: expected an array of rows, got ${describe(rows)}`);
    const m = rows.length;
    const n = m === 0 ? 0 : (rows[0]?.length ?? -1);
    if (n < 0) throw new InvalidArgumentError('rows: expected each row to be an array of numbers');
    const data = allocate(dtype, m * n);
    for (let i = 0; i < m; i++) {
      const r = rows[i]!;
      if (r == null || r.length !== n) {
        throw new ShapeError(
          `rows: row ${i} has length ${r?.length}, expected ${n} (ragged input)`,
        );
      }
      for (let j = 0; j < n; j++) {
        const v = r[j];
        if (typeof v !== 'number')
          throw new InvalidArgumentError(`rows[${i}][${j}]: expected a number, got ${describe(v)}`);
        data[i * n + j] = v;
      }
    }
    return new Matrix(data, m, n);
  }

  /** Views a 2-D tensor as a Matrix (no copy). */
  static fromTensor(t: Tensor): Matrix {
    if (t instanceof Matrix) return t;
    if (t.ndim !== 2)
      throw new ShapeError(`expected a 2-d tensor, got shape [${t.shape.join(', ')}]`);
    return new Matrix(t.data, t.shape[0]!, t.shape[1]!, t.strides[0]!, t.strides[1]!, t.offset);
  }

  get rows(): number {
    return this.shape[0]!;
  }
  get cols(): number {
    return this.shape[1]!;
  }
  get rowStride(): number {
    return this.strides[0]!;
  }
  get colStride(): number {
    return this.strides[1]!;
  }

  protected override view(
    data: FloatArray,
    shape: readonly number[],
    strides: readonly number[],
    offset: number,
  ): Tensor {
    return shape.length === 2
      ? new Matrix(data, shape[0]!, shape[1]!, strides[0]!, strides[1]!, offset)
      : new Tensor(data, shape, strides, offset);
  }

  /** Element (i, j), unchecked: for loops over known-valid indices. */
  get(i: number, j: number): number {
    return this.data[this.offset + i * this.strides[0]! + j * this.strides[1]!]!;
  }

  /** Writes element (i, j) in place, unchecked. */
  set(i: number, j: number, value: number): void {
    this.data[this.offset + i * this.strides[0]! + j * this.strides[1]!] = value;
  }

  /** Transpose as a view. */
  get T(): Matrix {
    return new Matrix(this.data, this.cols, this.rows, this.colStride, this.rowStride, this.offset);
  }

  /** Transpose as a view (same as `T`). */
  transpose(): Matrix {
    return this.T;
  }

  /** The `nr × nc` block starting at (r0, c0), as a view. */
  block(r0: number, c0: number, nr: number, nc: number): Matrix {
    if (
      !Number.isInteger(r0) ||
      !Number.isInteger(c0) ||
      !Number.isInteger(nr) ||
      !Number.isInteger(nc) ||
      r0 < 0 ||
      c0 < 0 ||
      nr < 0 ||
      nc < 0 ||
      r0 + nr > this.rows ||
      c0 + nc > this.cols
    ) {
      throw new InvalidArgumentError(
        `block: (${r0}, ${c0}) + ${nr}×${nc} does not fit in a ${this.rows}×${this.cols} matrix`,
      );
    }
    const off =
      nr > 0 && nc > 0 ? this.offset + r0 * this.rowStride + c0 * this.colStride : this.offset;
    return new Matrix(this.data, nr, nc, this.rowStride, this.colStride, off);
  }

  /** Rows [start, end) as a view. */
  rowRange(start: number, end: number): Matrix {
    return this.block(start, 0, end - start, this.cols);
  }

  /** Columns [start, end) as a view. */
  colRange(start: number, end: number): Matrix {
    return this.block(0, start, this.rows, end - start);
  }

  /** Row i as a 1×n view. */
  row(i: number): Matrix {
    return this.block(i, 0, 1, this.cols);
  }

  /** Column j as an m×1 view. */
  col(j: number): Matrix {
    return this.block(0, j, this.rows, 1);
  }

  /** Row i copied into a Float64Array. */
  rowArray(i: number): Float64Array {
    return this.row(i).toFloat64Array();
  }

  /** Column j copied into a Float64Array. */
  colArray(j: number): Float64Array {
    return this.col(j).toFloat64Array();
  }

  /** The main diagonal copied into a Float64Array. */
  diagonal(): Float64Array {
    const k = Math.min(this.rows, this.cols);
    const out = new Float64Array(k);
    for (let i = 0; i < k; i++) out[i] = this.get(i, i);
    return out;
  }

  override slice(...specs: SliceSpec[]): Tensor {
    return super.slice(...specs);
  }

  override contiguous(): Matrix {
    return super.contiguous() as Matrix;
  }

  override clone(dtype: DType = this.dtype): Matrix {
    return super.clone(dtype) as Matrix;
  }

  override astype(dtype: DType): Matrix {
    return this.clone(dtype);
  }

  /** Nested arrays, one per row. */
  override toArray(): number[][] {
    return super.toArray() as number[][];
  }

  /** True if element (i, j) is stored at `offset + i·cols + j`. */
  isRowMajor(): boolean {
    return this.isContiguous();
  }
}

/** Views or checks a tensor as a matrix, naming the argument in the error. */
export function asMatrix(name: string, value: unknown): Matrix {
  if (value instanceof Matrix) return value;
  if (value instanceof Tensor) {
    if (value.ndim !== 2)
      throw new ShapeError(`${name}: expected a 2-d tensor, got shape [${value.shape.join(', ')}]`);
    return Matrix.fromTensor(value);
  }
  throw new InvalidArgumentError(`${name}: expected a Matrix, got ${describe(value)}`);
}
