import {
  asMatrix,
  describe,
  InvalidArgumentError,
  type Matrix,
  NonFiniteError,
  Tensor,
} from '@lr/core';

/**
 * Named weight matrices as the compression functions accept them: a `Map`, a plain record,
 * or `[name, matrix]` pairs (e.g. `Object.entries(record)`). Order is kept.
 */
export type NamedMatrices =
  | ReadonlyMap<string, Matrix>
  | Readonly<Record<string, Matrix>>
  | readonly (readonly [string, Matrix])[];

/** Normalises {@link NamedMatrices} into validated `[name, matrix]` pairs (assumes nothing). */
export function namedEntries(name: string, weights: unknown): [string, Matrix][] {
  let pairs: [unknown, unknown][];
  if (weights instanceof Map) pairs = [...weights.entries()];
  else if (Array.isArray(weights)) {
    pairs = weights.map((p, i) => {
      if (!Array.isArray(p) || p.length !== 2)
        throw new InvalidArgumentError(
          `${name}[${i}]: expected a [name, Matrix] pair, got ${describe(p)}`,
        );
      return [p[0], p[1]];
    });
  } else if (weights !== null && typeof weights === 'object' && !(weights instanceof Tensor)) {
    pairs = Object.entries(weights as Record<string, unknown>);
  } else {
    throw new InvalidArgumentError(
      `${name}: expected a Map, record or array of [name, Matrix] pairs, got ${describe(weights)}`,
    );
  }
  if (pairs.length === 0) throw new InvalidArgumentError(`${name}: expected at least one matrix`);
  const seen = new Set<string>();
  return pairs.map(([k, v]) => {
    if (typeof k !== 'string' || k.length === 0)
      throw new InvalidArgumentError(
        `${name}: expected non-empty string names, got ${describe(k)}`,
      );
    if (seen.has(k)) throw new InvalidArgumentError(`${name}: duplicate name ${JSON.stringify(k)}`);
    seen.add(k);
    return [k, finiteMatrix(`${name}[${JSON.stringify(k)}]`, v)];
  });
}

/** Checks a non-empty finite matrix (any strides, any float dtype). */
export function finiteMatrix(name: string, value: unknown): Matrix {
  const m = asMatrix(name, value);
  if (m.rows === 0 || m.cols === 0)
    throw new InvalidArgumentError(`${name}: expected a non-empty matrix, got ${m.rows}×${m.cols}`);
  assertFiniteTensor(name, m);
  return m;
}

/** Throws `NON_FINITE` if any element of the (possibly strided) tensor is NaN or ±∞. */
export function assertFiniteTensor(name: string, t: Tensor): void {
  const c = t.isContiguous() ? t : t.contiguous();
  const d = c.data;
  const end = c.offset + c.size;
  for (let i = c.offset; i < end; i++) {
    const v = d[i]!;
    if (v - v !== 0)
      throw new NonFiniteError(
        `${name}: expected finite values, found ${v} at flat index ${i - c.offset}`,
      );
  }
}

/** ‖A − B‖_F for equal-shaped matrices (any strides). */
export function diffFro(A: Matrix, B: Matrix): number {
  const a = A.toFloat64Array();
  const b = B.toFloat64Array();
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    s += d * d;
  }
  return Math.sqrt(s);
}

/** `value ?? fallback` treating null like undefined. */
export function orDefault<T>(value: T | undefined | null, fallback: T): T {
  return value === undefined || value === null ? fallback : value;
}

/** Validates an optional callback. */
export function functionArg<F>(name: string, value: unknown): F | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'function')
    throw new InvalidArgumentError(`${name}: expected a function, got ${describe(value)}`);
  return value as F;
}

/** Validates an optional AbortSignal. */
export function signalArg(name: string, value: unknown): AbortSignal | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || typeof (value as AbortSignal).aborted !== 'boolean')
    throw new InvalidArgumentError(`${name}: expected an AbortSignal, got ${describe(value)}`);
  return value as AbortSignal;
}

/** Milliseconds since an arbitrary origin, browser- and Node-safe. */
export function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
