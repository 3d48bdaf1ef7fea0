import { type ComplexArray, InvalidArgumentError, ShapeError } from '@lr/core';

/**
 * Complex vectors as split real/imaginary Float64Arrays — the same `{ re, im }` layout as
 * `@lr/core`'s FFTs (`fft`, `rfft`, …), so results pass between them without copies. No
 * per-element objects are ever created; every helper returns fresh arrays and never
 * modifies its inputs.
 */
export type { ComplexArray };

/** Throws unless `z` is a `{ re, im }` pair of Float64Arrays of equal length; returns the length. */
export function assertComplex(name: string, z: unknown, length?: number): number {
  if (
    z === null ||
    typeof z !== 'object' ||
    !((z as ComplexArray).re instanceof Float64Array) ||
    !((z as ComplexArray).im instanceof Float64Array)
  ) {
    throw new InvalidArgumentError(
      `${name}: expected a ComplexArray { re: Float64Array, im: Float64Array }`,
    );
  }
  const { re, im } = z as ComplexArray;
  if (re.length !== im.length) {
    throw new ShapeError(`${name}: re has length ${re.length} but im has length ${im.length}`);
  }
  if (length !== undefined && re.length !== length) {
    throw new ShapeError(`${name}: expected length ${length}, got ${re.length}`);
  }
  return re.length;
}

function same(a: ComplexArray, b: ComplexArray): number {
  const n = assertComplex('a', a);
  assertComplex('b', b, n);
  return n;
}

/**
 * A complex vector of `n` zeros.
 * @example complexZeros(3); // { re: [0, 0, 0], im: [0, 0, 0] }
 */
export function complexZeros(n: number): ComplexArray {
  return { re: new Float64Array(n), im: new Float64Array(n) };
}

/**
 * A complex vector from real and (optional) imaginary parts, copied.
 * @example complexFrom([1, 2], [0, -1]); // 1, 2 − i
 */
export function complexFrom(re: ArrayLike<number>, im?: ArrayLike<number>): ComplexArray {
  const r = Float64Array.from(re);
  const i = im === undefined ? new Float64Array(r.length) : Float64Array.from(im);
  if (i.length !== r.length)
    throw new ShapeError(`im: expected length ${r.length}, got ${i.length}`);
  return { re: r, im: i };
}

/** A deep copy of `z`. */
export function complexClone(z: ComplexArray): ComplexArray {
  assertComplex('z', z);
  return { re: Float64Array.from(z.re), im: Float64Array.from(z.im) };
}

/** Elementwise a + b. */
export function complexAdd(a: ComplexArray, b: ComplexArray): ComplexArray {
  const n = same(a, b);
  const out = complexZeros(n);
  for (let k = 0; k < n; k++) {
    out.re[k] = a.re[k]! + b.re[k]!;
    out.im[k] = a.im[k]! + b.im[k]!;
  }
  return out;
}

/** Elementwise a − b. */
export function complexSub(a: ComplexArray, b: ComplexArray): ComplexArray {
  const n = same(a, b);
  const out = complexZeros(n);
  for (let k = 0; k < n; k++) {
    out.re[k] = a.re[k]! - b.re[k]!;
    out.im[k] = a.im[k]! - b.im[k]!;
  }
  return out;
}

/**
 * Elementwise a·b.
 * @example complexMul(complexFrom([0], [1]), complexFrom([0], [1])); // −1
 */
export function complexMul(a: ComplexArray, b: ComplexArray): ComplexArray {
  const n = same(a, b);
  const out = complexZeros(n);
  for (let k = 0; k < n; k++) {
    const ar = a.re[k]!;
    const ai = a.im[k]!;
    const br = b.re[k]!;
    const bi = b.im[k]!;
    out.re[k] = ar * br - ai * bi;
    out.im[k] = ar * bi + ai * br;
  }
  return out;
}

/**
 * Elementwise a / b by Smith's algorithm (Smith 1962, CACM 5(8):435), which avoids
 * overflow in |b|²; division by 0 gives ±Infinity/NaN as IEEE arithmetic does.
 * @example complexDiv(complexFrom([1]), complexFrom([0], [1])); // −i
 */
export function complexDiv(a: ComplexArray, b: ComplexArray): ComplexArray {
  const n = same(a, b);
  const out = complexZeros(n);
  const t = new Float64Array(2);
  for (let k = 0; k < n; k++) {
    cdivInto(a.re[k]!, a.im[k]!, b.re[k]!, b.im[k]!, t);
    out.re[k] = t[0]!;
    out.im[k] = t[1]!;
  }
  return out;
}

/** Elementwise complex conjugate. */
export function complexConj(z: ComplexArray): ComplexArray {
  assertComplex('z', z);
  const im = new Float64Array(z.im.length);
  for (let k = 0; k < im.length; k++) im[k] = -z.im[k]!;
  return { re: Float64Array.from(z.re), im };
}

/** Elementwise α·z for a real or complex scalar α = `sre + i·sim`. */
export function complexScale(z: ComplexArray, sre: number, sim = 0): ComplexArray {
  const n = assertComplex('z', z);
  const out = complexZeros(n);
  for (let k = 0; k < n; k++) {
    out.re[k] = sre * z.re[k]! - sim * z.im[k]!;
    out.im[k] = sre * z.im[k]! + sim * z.re[k]!;
  }
  return out;
}

/**
 * Elementwise exp(z) = e^{Re z}·(cos Im z + i sin Im z).
 * @example complexExp(complexFrom([0], [Math.PI])); // ≈ −1
 */
export function complexExp(z: ComplexArray): ComplexArray {
  const n = assertComplex('z', z);
  const out = complexZeros(n);
  for (let k = 0; k < n; k++) {
    const m = Math.exp(z.re[k]!);
    const t = z.im[k]!;
    out.re[k] = m * Math.cos(t);
    out.im[k] = m * Math.sin(t);
  }
  return out;
}

/**
 * Elementwise principal logarithm log|z| + i·arg z, arg in (−π, π].
 * @example complexLog(complexFrom([-1])); // iπ
 */
export function complexLog(z: ComplexArray): ComplexArray {
  const n = assertComplex('z', z);
  const out = complexZeros(n);
  for (let k = 0; k < n; k++) {
    out.re[k] = Math.log(Math.hypot(z.re[k]!, z.im[k]!));
    out.im[k] = Math.atan2(z.im[k]!, z.re[k]!);
  }
  return out;
}

/**
 * Elementwise modulus |z| (by `Math.hypot`, no overflow).
 * @example complexAbs(complexFrom([3], [4])); // [5]
 */
export function complexAbs(z: ComplexArray): Float64Array {
  const n = assertComplex('z', z);
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = Math.hypot(z.re[k]!, z.im[k]!);
  return out;
}

/**
 * Elementwise expm1(z)/z = (e^z − 1)/z, accurate for small |z| (where the naive formula
 * cancels) and equal to 1 at z = 0. Used by the ZOH discretization B̄ = (e^{dtA} − 1)/A · B.
 */
export function complexExpm1Over(z: ComplexArray): ComplexArray {
  const n = assertComplex('z', z);
  const out = complexZeros(n);
  const t = new Float64Array(2);
  for (let k = 0; k < n; k++) {
    expm1OverInto(z.re[k]!, z.im[k]!, t);
    out.re[k] = t[0]!;
    out.im[k] = t[1]!;
  }
  return out;
}

/** (ar + i·ai)/(br + i·bi) into out[0], out[1] (Smith's algorithm). Assumes finite inputs. */
export function cdivInto(ar: number, ai: number, br: number, bi: number, out: Float64Array): void {
  if (Math.abs(br) >= Math.abs(bi)) {
    const r = bi / br;
    const d = br + bi * r;
    out[0] = (ar + ai * r) / d;
    out[1] = (ai - ar * r) / d;
  } else {
    const r = br / bi;
    const d = bi + br * r;
    out[0] = (ar * r + ai) / d;
    out[1] = (ai * r - ar) / d;
  }
}

/**
 * (e^z − 1)/z into out[0], out[1]. For |z| < 0.5 a Taylor series Σ z^k/(k+1)! (error
 * below ε after 20 terms); otherwise (e^z − 1)/z with e^z − 1 formed as
 * expm1(x)·cos y − 2 sin²(y/2) + i·e^x sin y, which keeps full relative accuracy.
 */
export function expm1OverInto(x: number, y: number, out: Float64Array): void {
  if (x * x + y * y < 0.25) {
    // Horner: s = c_0 + z(c_1 + z(c_2 + …)), c_k = 1/(k+1)!; |z|^20/21! < ε for |z| < ½.
    let sr = EXPM1_COEFFS[EXPM1_COEFFS.length - 1]!;
    let si = 0;
    for (let k = EXPM1_COEFFS.length - 2; k >= 0; k--) {
      const tr = sr * x - si * y + EXPM1_COEFFS[k]!;
      si = sr * y + si * x;
      sr = tr;
    }
    out[0] = sr;
    out[1] = si;
    return;
  }
  const s = Math.sin(y / 2);
  const nr = Math.expm1(x) * Math.cos(y) - 2 * s * s;
  const ni = Math.exp(x) * Math.sin(y);
  cdivInto(nr, ni, x, y, out);
}

/** c_k = 1/(k+1)!, k = 0…19. */
const EXPM1_COEFFS: Float64Array = (() => {
  const c = new Float64Array(20);
  let f = 1;
  for (let k = 0; k < 20; k++) {
    f *= k + 1;
    c[k] = 1 / f;
  }
  return c;
})();

/**
 * A dense complex matrix, row-major: element (i, j) is `re[i·cols + j] + i·im[i·cols + j]`.
 */
export interface ComplexMatrix extends ComplexArray {
  rows: number;
  cols: number;
}
