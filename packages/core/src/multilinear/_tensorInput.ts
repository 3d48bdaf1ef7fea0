// Input handling shared by the multilinear functions: tensor checks with the finiteness
// test folded into a contiguous float64 copy, mode checks, and ranks options.
import { InvalidArgumentError, NonFiniteError, ShapeError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { assertInt, describe } from '../validate.js';

/** Throws unless `value` is a Tensor with at least one dimension. */
export function _assertTensor(name: string, value: unknown): Tensor {
  if (!(value instanceof Tensor)) {
    throw new InvalidArgumentError(`${name}: expected a Tensor, got ${describe(value)}`);
  }
  if (value.ndim < 1) {
    throw new ShapeError(`${name}: expected a tensor with at least one dimension, got shape []`);
  }
  return value;
}

/** A fresh C-order float64 copy of `t`, throwing `NON_FINITE` at the first NaN/±Infinity. */
export function _finiteCopy(name: string, t: Tensor): Float64Array {
  const out = t.toFloat64Array();
  for (let i = 0; i < out.length; i++) {
    const v = out[i]!;
    if (v - v !== 0) {
      throw new NonFiniteError(
        `${name}: expected finite values, found ${v} at flat (C-order) index ${i}`,
      );
    }
  }
  return out;
}

/** Validates a mode index for a tensor with `ndim` dimensions. */
export function _assertMode(name: string, mode: unknown, ndim: number): number {
  return assertInt(name, mode, 0, ndim - 1);
}

/**
 * Resolves a ranks option: undefined → the full shape, a number → that rank on every mode,
 * an array → one rank per mode. Each rank must be an integer in [1, shape[n]].
 */
export function _resolveRanks(name: string, value: unknown, shape: readonly number[]): number[] {
  if (shape.some((d) => d < 1)) {
    throw new InvalidArgumentError(
      `t: expected every dimension to be at least 1, got shape [${shape.join(', ')}]`,
    );
  }
  if (value === undefined) return [...shape];
  if (typeof value === 'number') {
    return shape.map((d, n) => assertInt(`${name} (mode ${n})`, value, 1, d));
  }
  if (!Array.isArray(value) || value.length !== shape.length) {
    throw new InvalidArgumentError(
      `${name}: expected a number or an array of ${shape.length} ranks (one per mode), got ${describe(value)}`,
    );
  }
  return shape.map((d, n) => assertInt(`${name}[${n}]`, value[n], 1, d));
}

/** Product of the entries of `dims`. */
export function _prod(dims: readonly number[]): number {
  let p = 1;
  for (const d of dims) p *= d;
  return p;
}
