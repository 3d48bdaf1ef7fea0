import {
  asMatrix,
  assertFiniteArray,
  describe,
  InvalidArgumentError,
  type Matrix,
  NonFiniteError,
  ShapeError,
} from '@lr/core';

// Shared argument checks of @lr/ot. Internal: not re-exported from the package index.

/** Relative tolerance on |Σa − Σb| / max(Σa, Σb) accepted by every solver. */
export const MASS_RTOL = 1e-6;

/** `value ?? fallback`, treating null like undefined. */
export function orDefault<T>(value: T | null | undefined, fallback: T): T {
  return value === undefined || value === null ? fallback : value;
}

/** Validates an optional callback. */
export function functionArg<T>(name: string, f: T | undefined): T | undefined {
  if (f === undefined || f === null) return undefined;
  if (typeof f !== 'function')
    throw new InvalidArgumentError(`${name}: expected a function, got ${describe(f)}`);
  return f;
}

/** Validates an optional AbortSignal. */
export function signalArg(name: string, s: unknown): AbortSignal | undefined {
  if (s === undefined || s === null) return undefined;
  const sig = s as AbortSignal;
  if (typeof sig !== 'object' || typeof sig.aborted !== 'boolean')
    throw new InvalidArgumentError(`${name}: expected an AbortSignal, got ${describe(s)}`);
  return sig;
}

/** Copies an array-like of numbers into a Float64Array, checking the type. */
export function toFloat64(name: string, value: unknown): Float64Array {
  if (value instanceof Float64Array) return Float64Array.from(value);
  if (Array.isArray(value) || value instanceof Float32Array) {
    const out = new Float64Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (typeof v !== 'number')
        throw new InvalidArgumentError(`${name}[${i}]: expected a number, got ${describe(v)}`);
      out[i] = v;
    }
    return out;
  }
  throw new InvalidArgumentError(
    `${name}: expected an array or Float64Array of numbers, got ${describe(value)}`,
  );
}

/**
 * Validates a histogram of length n: finite, non-negative, positive total mass. An empty
 * array means the uniform histogram 1/n (as POT). Returns a fresh Float64Array.
 */
export function histogramArg(name: string, value: unknown, n: number): Float64Array {
  const h = toFloat64(name, value);
  if (h.length === 0) return new Float64Array(n).fill(1 / n);
  if (h.length !== n)
    throw new ShapeError(`${name}: expected length ${n} (from the cost matrix), got ${h.length}`);
  assertFiniteArray(name, h);
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (h[i] < 0)
      throw new InvalidArgumentError(
        `${name}: expected non-negative masses, got ${h[i]} at index ${i}`,
      );
    s += h[i];
  }
  if (!(s > 0)) throw new InvalidArgumentError(`${name}: expected a positive total mass, got 0`);
  return h;
}

/** Throws INVALID_ARGUMENT unless Σa and Σb agree within {@link MASS_RTOL}. */
export function assertEqualMass(a: Float64Array, b: Float64Array): void {
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < a.length; i++) sa += a[i];
  for (let j = 0; j < b.length; j++) sb += b[j];
  if (Math.abs(sa - sb) > MASS_RTOL * Math.max(sa, sb)) {
    throw new InvalidArgumentError(
      `a, b: expected equal total masses (relative tolerance ${MASS_RTOL}), got Σa = ${sa} and Σb = ${sb}`,
    );
  }
}

/** Validates a dense cost matrix (non-empty, finite) and copies it to row-major storage. */
export function costArg(name: string, value: unknown): { M: Float64Array; n: number; m: number } {
  const A: Matrix = asMatrix(name, value);
  const n = A.rows;
  const m = A.cols;
  if (n === 0 || m === 0)
    throw new ShapeError(`${name}: expected a non-empty matrix, got ${n}×${m}`);
  const M = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const v = A.get(i, j);
      if (v - v !== 0)
        throw new NonFiniteError(`${name}: expected finite costs, found ${v} at (${i}, ${j})`);
      M[i * m + j] = v;
    }
  }
  return { M, n, m };
}

/** Monotonic clock in seconds that works in Node and browsers. */
export function now(): number {
  return (globalThis.performance?.now() ?? Date.now()) / 1000;
}

/** log Σ exp(x[off + k·inc]) for k < len, stable; −∞ for an empty or all −∞ input. */
export function logSumExp(x: Float64Array, off: number, inc: number, len: number): number {
  let mx = -Infinity;
  for (let k = 0, p = off; k < len; k++, p += inc) if (x[p] > mx) mx = x[p];
  if (mx === -Infinity) return -Infinity;
  if (mx === Infinity) return Infinity;
  let s = 0;
  for (let k = 0, p = off; k < len; k++, p += inc) s += Math.exp(x[p] - mx);
  return mx + Math.log(s);
}
