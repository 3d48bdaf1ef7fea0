import { allocate, type DType, dtypeOf, type FloatArray } from './dtype.js';
import { InvalidArgumentError, ShapeError } from './errors.js';
import { describe } from './validate.js';

/** A range for {@link Tensor.slice}: an index (drops the axis), `[start, end, step?]`, or `null` (all). */
export type SliceSpec = number | readonly [number, number, number?] | null;

/** C-order (row-major) strides for `shape`. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/** Product of the dimensions (1 for a scalar shape). */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function checkShape(shape: readonly number[]): void {
  if (!Array.isArray(shape))
    throw new InvalidArgumentError(`shape: expected an array of integers, got ${describe(shape)}`);
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new InvalidArgumentError(
        `shape: expected non-negative integers, got [${shape.join(', ')}]`,
      );
    }
  }
}

/**
 * An N-dimensional view of a typed array: `data[offset + Σ index[k]·strides[k]]`, the
 * numpy / DLPack model. Views (transpose, slice, reshape of contiguous data) share `data`;
 * only methods whose name says so (`clone`, `contiguous`, `astype`) copy.
 */
export class Tensor {
  readonly data: FloatArray;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;

  /**
   * @param data backing storage (not copied)
   * @param shape dimensions
   * @param strides element strides per axis (default: C order); may be negative
   * @param offset index of element [0, …, 0] in `data`
   * @throws {InvalidArgumentError} if the view reaches outside `data`
   */
  constructor(data: FloatArray, shape: readonly number[], strides?: readonly number[], offset = 0) {
    if (!(data instanceof Float64Array || data instanceof Float32Array)) {
      throw new InvalidArgumentError(
        `data: expected a Float64Array or Float32Array, got ${describe(data)}`,
      );
    }
    checkShape(shape);
    const st = strides ?? contiguousStrides(shape);
    if (st.length !== shape.length) {
      throw new InvalidArgumentError(`strides: expected ${shape.length} strides, got ${st.length}`);
    }
    if (!Number.isSafeInteger(offset) || offset < 0) {
      throw new InvalidArgumentError(
        `offset: expected a non-negative integer, got ${describe(offset)}`,
      );
    }
    if (shapeSize(shape) > 0) {
      let lo = offset;
      let hi = offset;
      for (let k = 0; k < shape.length; k++) {
        if (!Number.isSafeInteger(st[k]))
          throw new InvalidArgumentError(`strides: expected integers, got [${st.join(', ')}]`);
        const ext = (shape[k]! - 1) * st[k]!;
        if (ext < 0) lo += ext;
        else hi += ext;
      }
      if (lo < 0 || hi >= data.length) {
        throw new InvalidArgumentError(
          `view of shape [${shape.join(', ')}] with strides [${st.join(', ')}] and offset ${offset} reaches outside data of length ${data.length}`,
        );
      }
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.strides = Object.freeze([...st]);
    this.offset = offset;
  }

  /** Element type. */
  get dtype(): DType {
    return dtypeOf(this.data);
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** Number of elements. */
  get size(): number {
    return shapeSize(this.shape);
  }

  /** Builds a view of the same class where it makes sense (Matrix overrides for 2-D). */
  protected view(
    data: FloatArray,
    shape: readonly number[],
    strides: readonly number[],
    offset: number,
  ): Tensor {
    return new Tensor(data, shape, strides, offset);
  }

  /** True if elements are laid out in C order with no gaps starting at `offset`. */
  isContiguous(): boolean {
    let s = 1;
    for (let k = this.shape.length - 1; k >= 0; k--) {
      if (this.shape[k] !== 1 && this.strides[k] !== s) return false;
      s *= this.shape[k]!;
    }
    return true;
  }

  /** Position in `data` of the element at `index` (bounds-checked). */
  indexOf(index: readonly number[]): number {
    if (index.length !== this.shape.length) {
      throw new ShapeError(`index: expected ${this.shape.length} indices, got ${index.length}`);
    }
    let p = this.offset;
    for (let k = 0; k < index.length; k++) {
      const i = index[k]!;
      if (!Number.isInteger(i) || i < 0 || i >= this.shape[k]!) {
        throw new InvalidArgumentError(
          `index: ${describe(i)} is out of range for axis ${k} of size ${this.shape[k]}`,
        );
      }
      p += i * this.strides[k]!;
    }
    return p;
  }

  /** Element at the given indices. */
  at(...index: number[]): number {
    return this.data[this.indexOf(index)]!;
  }

  /** Writes one element in place (this mutates the shared storage). */
  setAt(index: readonly number[], value: number): void {
    this.data[this.indexOf(index)] = value;
  }

  /** Permutes the axes (default: reverses them). A view. */
  permute(perm?: readonly number[]): Tensor {
    const n = this.ndim;
    const p = perm ?? Array.from({ length: n }, (_, i) => n - 1 - i);
    const seen = new Set(p);
    if (
      p.length !== n ||
      seen.size !== n ||
      p.some((a) => !Number.isInteger(a) || a < 0 || a >= n)
    ) {
      throw new InvalidArgumentError(
        `perm: expected a permutation of 0…${n - 1}, got [${p.join(', ')}]`,
      );
    }
    return this.view(
      this.data,
      p.map((a) => this.shape[a]!),
      p.map((a) => this.strides[a]!),
      this.offset,
    );
  }

  /**
   * A view of a sub-range on each axis. Negative indices count from the end; a number
   * selects one index and drops the axis; `null` or a missing spec keeps the whole axis.
   */
  slice(...specs: SliceSpec[]): Tensor {
    if (specs.length > this.ndim) {
      throw new ShapeError(`slice: ${specs.length} ranges for a ${this.ndim}-d tensor`);
    }
    const shape: number[] = [];
    const strides: number[] = [];
    let offset = this.offset;
    for (let k = 0; k < this.ndim; k++) {
      const n = this.shape[k]!;
      const s = this.strides[k]!;
      const spec = specs[k] ?? null;
      if (spec === null) {
        shape.push(n);
        strides.push(s);
      } else if (typeof spec === 'number') {
        const i = spec < 0 ? n + spec : spec;
        if (!Number.isInteger(i) || i < 0 || i >= n) {
          throw new InvalidArgumentError(
            `slice: index ${spec} is out of range for axis ${k} of size ${n}`,
          );
        }
        offset += i * s;
      } else {
        const step = spec[2] ?? 1;
        if (!Number.isInteger(step) || step <= 0) {
          throw new InvalidArgumentError(
            `slice: step must be a positive integer, got ${describe(step)}`,
          );
        }
        const start = clampIndex(spec[0], n);
        const end = Math.max(start, clampIndex(spec[1], n));
        const len = Math.ceil((end - start) / step);
        shape.push(len);
        strides.push(s * step);
        if (len > 0) offset += start * s;
      }
    }
    return this.view(this.data, shape, strides, offset);
  }

  /**
   * Same elements, new shape. A view when the data is contiguous, otherwise a copy.
   * One dimension may be −1 (inferred).
   */
  reshape(shape: readonly number[]): Tensor {
    const dims = [...shape];
    const free = dims.indexOf(-1);
    if (free >= 0) {
      const rest = shapeSize(dims.filter((_, i) => i !== free));
      dims[free] = rest === 0 ? 0 : this.size / rest;
    }
    checkShape(dims);
    if (shapeSize(dims) !== this.size) {
      throw new ShapeError(`reshape: cannot view ${this.size} elements as [${shape.join(', ')}]`);
    }
    const src = this.isContiguous() ? this : this.contiguous();
    return this.view(src.data, dims, contiguousStrides(dims), src.offset);
  }

  /** This tensor if it is contiguous, else a C-order copy. */
  contiguous(): Tensor {
    return this.isContiguous() ? this : this.clone();
  }

  /** A C-order copy in fresh storage (optionally converted to `dtype`). */
  clone(dtype: DType = this.dtype): Tensor {
    const out = allocate(dtype, this.size);
    this.copyInto(out);
    return this.view(out, this.shape, contiguousStrides(this.shape), 0);
  }

  /** A copy converted to `dtype` (a clone when it is the same dtype). */
  astype(dtype: DType): Tensor {
    return this.clone(dtype);
  }

  /** Writes the elements in C order into `out` (length ≥ size). */
  copyInto(out: FloatArray | number[], start = 0): void {
    const n = this.ndim;
    const size = this.size;
    if (size === 0) return;
    if (this.isContiguous()) {
      const d = this.data;
      const o = this.offset;
      for (let i = 0; i < size; i++) out[start + i] = d[o + i]!;
      return;
    }
    if (n === 2) {
      const [r, c] = this.shape as [number, number];
      const [rs, cs] = this.strides as [number, number];
      let q = start;
      for (let i = 0; i < r; i++) {
        let p = this.offset + i * rs;
        for (let j = 0; j < c; j++, p += cs) out[q++] = this.data[p]!;
      }
      return;
    }
    const idx = new Array<number>(n).fill(0);
    let p = this.offset;
    for (let q = 0; q < size; q++) {
      out[start + q] = this.data[p]!;
      for (let k = n - 1; k >= 0; k--) {
        idx[k]!++;
        p += this.strides[k]!;
        if (idx[k]! < this.shape[k]!) break;
        p -= idx[k]! * this.strides[k]!;
        idx[k] = 0;
      }
    }
  }

  /** The elements as a fresh C-order Float64Array. */
  toFloat64Array(): Float64Array {
    const out = new Float64Array(this.size);
    this.copyInto(out);
    return out;
  }

  /** The elements as nested plain arrays (a number for a 0-d tensor). */
  toArray(): unknown {
    const flat = this.toFloat64Array();
    const build = (k: number, start: number): unknown => {
      if (k === this.ndim) return flat[start];
      const n = this.shape[k]!;
      const inner = shapeSize(this.shape.slice(k + 1));
      const out = new Array(n);
      for (let i = 0; i < n; i++) out[i] = build(k + 1, start + i * inner);
      return out;
    };
    return build(0, 0);
  }

  /** `{ data, dims }` in C order, as onnxruntime and tfjs use (no copy when contiguous and unsliced). */
  toDataDims(): { data: FloatArray; dims: number[] } {
    const c = this.contiguous();
    const data =
      c.offset === 0 && c.data.length === c.size
        ? c.data
        : c.data.subarray(c.offset, c.offset + c.size);
    return { data, dims: [...this.shape] };
  }

  /** Short description for debugging: `Tensor(float64, [2, 3])`. */
  toString(): string {
    return `${this.constructor.name}(${this.dtype}, [${this.shape.join(', ')}])`;
  }
}

function clampIndex(i: number, n: number): number {
  if (!Number.isFinite(i)) return i > 0 ? n : 0;
  const j = i < 0 ? n + i : i;
  return Math.min(Math.max(Math.trunc(j), 0), n);
}
