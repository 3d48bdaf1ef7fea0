import type { DType, FloatArray } from '../dtype.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { Matrix } from '../matrix.js';
import { Tensor } from '../tensor.js';
import { assertNumber, describe } from '../validate.js';

/** An operand of the element-wise operations: a tensor (any strides) or a scalar. */
export type Operand = Tensor | number;

type BinaryOp = 'add' | 'sub' | 'mul' | 'div';

function checkTensor(name: string, value: unknown): Tensor {
  if (value instanceof Tensor) return value;
  throw new InvalidArgumentError(`${name}: expected a Tensor or Matrix, got ${describe(value)}`);
}

function checkOperand(name: string, value: unknown): Operand {
  if (typeof value === 'number') return assertNumber(name, value);
  return checkTensor(`${name}`, value);
}

// A fresh C-order copy of `t` in `dtype`, as a Matrix when `asMatrix` is set.
function freshCopy(t: Tensor, dtype: DType, asMat: boolean): Tensor {
  const c = t.clone(dtype);
  return asMat && !(c instanceof Matrix) ? Matrix.fromTensor(c) : c;
}

// Elements of `t` in C order as (data, offset): the storage itself when contiguous.
function cOrderSource(t: Tensor): [FloatArray, number] {
  return t.isContiguous() ? [t.data, t.offset] : [t.toFloat64Array(), 0];
}

// out[i] ← out[i] op b[bo + i]   (reversed: out[i] ← b[bo + i] op out[i])
function applyArray(
  op: BinaryOp,
  out: FloatArray,
  b: FloatArray,
  bo: number,
  reversed: boolean,
): void {
  const n = out.length;
  switch (op) {
    case 'add':
      for (let i = 0; i < n; i++) out[i] += b[bo + i]!;
      break;
    case 'mul':
      for (let i = 0; i < n; i++) out[i] *= b[bo + i]!;
      break;
    case 'sub':
      if (reversed) for (let i = 0; i < n; i++) out[i] = b[bo + i]! - out[i]!;
      else for (let i = 0; i < n; i++) out[i] -= b[bo + i]!;
      break;
    case 'div':
      if (reversed) for (let i = 0; i < n; i++) out[i] = b[bo + i]! / out[i]!;
      else for (let i = 0; i < n; i++) out[i] /= b[bo + i]!;
      break;
  }
}

// out[i] ← out[i] op s   (reversed: out[i] ← s op out[i])
function applyScalar(op: BinaryOp, out: FloatArray, s: number, reversed: boolean): void {
  const n = out.length;
  switch (op) {
    case 'add':
      for (let i = 0; i < n; i++) out[i] += s;
      break;
    case 'mul':
      for (let i = 0; i < n; i++) out[i] *= s;
      break;
    case 'sub':
      if (reversed) for (let i = 0; i < n; i++) out[i] = s - out[i]!;
      else for (let i = 0; i < n; i++) out[i] -= s;
      break;
    case 'div':
      if (reversed) for (let i = 0; i < n; i++) out[i] = s / out[i]!;
      else for (let i = 0; i < n; i++) out[i] /= s;
      break;
  }
}

function binary(op: BinaryOp, A: unknown, B: unknown): Tensor {
  const a = checkOperand('A', A);
  const b = checkOperand('B', B);
  if (typeof a === 'number' && typeof b === 'number') {
    throw new InvalidArgumentError(`${op}: expected at least one Tensor operand, got two numbers`);
  }
  if (typeof a !== 'number' && typeof b !== 'number') {
    if (a.ndim !== b.ndim || a.shape.some((d, k) => d !== b.shape[k])) {
      throw new ShapeError(
        `${op}: A has shape [${a.shape.join(', ')}] but B has shape [${b.shape.join(', ')}] (expected equal shapes)`,
      );
    }
    const dtype: DType = a.dtype === 'float32' && b.dtype === 'float32' ? 'float32' : 'float64';
    const out = freshCopy(a, dtype, a instanceof Matrix || b instanceof Matrix);
    const [bd, bo] = cOrderSource(b);
    applyArray(op, out.data, bd, bo, false);
    return out;
  }
  if (typeof b === 'number') {
    const t = a as Tensor;
    const out = freshCopy(t, t.dtype, t instanceof Matrix);
    applyScalar(op, out.data, b, false);
    return out;
  }
  const out = freshCopy(b, b.dtype, b instanceof Matrix);
  applyScalar(op, out.data, a as number, true);
  return out;
}

/**
 * Element-wise sum A + B of equal-shape tensors, or of a tensor and a scalar.
 * No broadcasting beyond scalars.
 *
 * @param A tensor (any strides) or finite number
 * @param B tensor of A's shape, or finite number
 * @returns a new C-order tensor of the common shape: a Matrix if either input is a Matrix;
 *   float32 only if every tensor input is float32 (scalars do not promote)
 * @throws {ShapeError} if the shapes differ
 * @throws {InvalidArgumentError} if an operand is neither a tensor nor a finite number, or both are numbers
 * @example add(A, B); add(A, 1)
 */
export function add<T extends Tensor>(A: T | number, B: T | number): T;
export function add(A: Operand, B: Operand): Tensor {
  return binary('add', A, B);
}

/**
 * Element-wise difference A − B (either side may be a scalar).
 *
 * @param A tensor or finite number
 * @param B tensor of A's shape, or finite number
 * @returns a new tensor (class and dtype as in {@link add})
 * @throws {ShapeError} if the shapes differ
 * @throws {InvalidArgumentError} on a non-tensor, non-finite-number operand
 * @example sub(A, B); sub(1, A)
 */
export function sub<T extends Tensor>(A: T | number, B: T | number): T;
export function sub(A: Operand, B: Operand): Tensor {
  return binary('sub', A, B);
}

/**
 * Element-wise (Hadamard) product A ∘ B (either side may be a scalar).
 *
 * @param A tensor or finite number
 * @param B tensor of A's shape, or finite number
 * @returns a new tensor (class and dtype as in {@link add})
 * @throws {ShapeError} if the shapes differ
 * @throws {InvalidArgumentError} on a non-tensor, non-finite-number operand
 * @example mul(A, B)
 */
export function mul<T extends Tensor>(A: T | number, B: T | number): T;
export function mul(A: Operand, B: Operand): Tensor {
  return binary('mul', A, B);
}

/**
 * Element-wise quotient A ⊘ B (either side may be a scalar). Division by zero follows
 * IEEE 754 (±Infinity, or NaN for 0/0), as numpy does.
 *
 * @param A tensor or finite number
 * @param B tensor of A's shape, or finite number
 * @returns a new tensor (class and dtype as in {@link add})
 * @throws {ShapeError} if the shapes differ
 * @throws {InvalidArgumentError} on a non-tensor, non-finite-number operand
 * @example div(A, B); div(1, A) // reciprocals
 */
export function div<T extends Tensor>(A: T | number, B: T | number): T;
export function div(A: Operand, B: Operand): Tensor {
  return binary('div', A, B);
}

/**
 * s·A.
 *
 * @param A tensor (any strides)
 * @param s finite scale
 * @returns a new tensor of A's class, shape and dtype
 * @throws {InvalidArgumentError} if A is not a tensor or s not a finite number
 * @example scale(A, 0.5)
 */
export function scale<T extends Tensor>(A: T, s: number): T {
  checkTensor('A', A);
  assertNumber('s', s);
  return binary('mul', A, s) as T;
}

/**
 * A + s, element-wise.
 *
 * @param A tensor (any strides)
 * @param s finite shift
 * @returns a new tensor of A's class, shape and dtype
 * @throws {InvalidArgumentError} if A is not a tensor or s not a finite number
 * @example addScalar(A, 1)
 */
export function addScalar<T extends Tensor>(A: T, s: number): T {
  checkTensor('A', A);
  assertNumber('s', s);
  return binary('add', A, s) as T;
}

/**
 * −A.
 *
 * @param A tensor (any strides)
 * @returns a new tensor of A's class, shape and dtype
 * @throws {InvalidArgumentError} if A is not a tensor
 * @example neg(A)
 */
export function neg<T extends Tensor>(A: T): T {
  const a = checkTensor('A', A);
  const out = freshCopy(a, a.dtype, a instanceof Matrix);
  const d = out.data;
  for (let i = 0; i < d.length; i++) d[i] = -d[i]!;
  return out as T;
}

/**
 * |A|, element-wise.
 *
 * @param A tensor (any strides)
 * @returns a new tensor of A's class, shape and dtype
 * @throws {InvalidArgumentError} if A is not a tensor
 * @example abs(A)
 */
export function abs<T extends Tensor>(A: T): T {
  const a = checkTensor('A', A);
  const out = freshCopy(a, a.dtype, a instanceof Matrix);
  const d = out.data;
  for (let i = 0; i < d.length; i++) d[i] = Math.abs(d[i]!);
  return out as T;
}

/**
 * Applies `fn` to every element, in C (row-major) order.
 *
 * @param A tensor (any strides)
 * @param fn `(value, index) => number`, where `index` is the C-order position of the element
 * @returns a new tensor of A's class, shape and dtype holding fn's results (stored with
 *   the dtype's rounding; non-number results become NaN)
 * @throws {InvalidArgumentError} if A is not a tensor or fn not a function
 * @example map(A, (v) => Math.exp(v))
 */
export function map<T extends Tensor>(A: T, fn: (value: number, index: number) => number): T {
  const a = checkTensor('A', A);
  if (typeof fn !== 'function')
    throw new InvalidArgumentError(`fn: expected a function, got ${describe(fn)}`);
  const out = freshCopy(a, a.dtype, a instanceof Matrix);
  const d = out.data;
  for (let i = 0; i < d.length; i++) {
    const v = fn(d[i]!, i);
    d[i] = typeof v === 'number' ? v : Number.NaN;
  }
  return out as T;
}
