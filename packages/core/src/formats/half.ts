import { InvalidArgumentError } from '../errors.js';
import { describe } from '../validate.js';

// IEEE 754-2008 binary16 ("half", F16) and bfloat16 (BF16, the top 16 bits of a binary32)
// conversions. Half precision is a storage format in lr: it is decoded to float32 on read
// and encoded from float32/float64 on write, never computed in.

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/** Rounds a non-negative finite `q` to the nearest integer, ties to even (IEEE 754 §4.3.1). */
function roundHalfEven(q: number): number {
  const f = Math.floor(q);
  const d = q - f; // exact: f and q share the same binade or f = 0
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** The largest e with 2^e ≤ a, for a finite a > 0. */
function exponentOf(a: number): number {
  let e = Math.floor(Math.log2(a));
  // Math.log2 may be off by one ulp near powers of two; correct it exactly.
  while (2 ** e > a) e--;
  while (2 ** (e + 1) <= a) e++;
  return e;
}

/**
 * Rounds a finite or infinite non-NaN number to a binary format with `expBits` exponent
 * bits, `mantBits` fraction bits and IEEE infinities, ties to even; returns the bits.
 */
function roundToBinary(x: number, expBits: number, mantBits: number): number {
  const signBit = 1 << (expBits + mantBits);
  const sign = x < 0 || Object.is(x, -0) ? signBit : 0;
  const a = Math.abs(x);
  const bias = (1 << (expBits - 1)) - 1;
  const expAll = (1 << expBits) - 1;
  const emin = 1 - bias;
  // Everything at or above max + ½ulp rounds to infinity (the max has an odd significand,
  // so the tie goes up too).
  const overflow = 2 ** bias * (2 - 2 ** -(mantBits + 1));
  if (a >= overflow) return sign | (expAll << mantBits);
  if (a < 2 ** emin) {
    // Subnormal range: units of 2^(emin − mantBits); a carry into 1 << mantBits is the
    // smallest normal, which is the right encoding.
    return sign | roundHalfEven(a * 2 ** (mantBits - emin));
  }
  const e = exponentOf(a);
  const frac = roundHalfEven((a / 2 ** e - 1) * 2 ** mantBits);
  // A carry out of the fraction (frac = 2^mantBits) bumps the exponent: still correct.
  return sign | ((((e + bias) << mantBits) + frac) >>> 0);
}

/**
 * Decodes IEEE 754 binary16 bits to a number (exact: every half value is a float32).
 *
 * @param bits the 16-bit pattern, an integer in [0, 65535]
 * @returns the value; NaN for any NaN pattern, ±0 and ±Infinity kept
 * @throws {InvalidArgumentError} if `bits` is not an integer in [0, 65535]
 * @example
 * f16ToF32(0x3c00); // 1
 * f16ToF32(0x7bff); // 65504
 * @see IEEE 754-2008 §3.6 (binary16: 1 sign, 5 exponent, 10 fraction bits, bias 15)
 */
export function f16ToF32(bits: number): number {
  checkBits(bits);
  const sign = bits & 0x8000 ? -1 : 1;
  const e = (bits >> 10) & 0x1f;
  const m = bits & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 31) return m === 0 ? sign * Infinity : Number.NaN;
  return sign * (1024 + m) * 2 ** (e - 25);
}

/**
 * Encodes a number as IEEE 754 binary16 bits, rounding to nearest, ties to even, directly
 * from the number's exact value (no double rounding through float32). Values at or above
 * 65520 overflow to Infinity; tiny values become subnormals or ±0; NaN becomes the quiet
 * NaN 0x7e00.
 *
 * @param x any number
 * @returns the 16-bit pattern
 * @example
 * f32ToF16(1); // 0x3c00
 * f32ToF16(65520); // 0x7c00 (Infinity)
 * @see IEEE 754-2008 §4.3.1 (roundTiesToEven)
 */
export function f32ToF16(x: number): number {
  if (typeof x !== 'number')
    throw new InvalidArgumentError(`x: expected a number, got ${describe(x)}`);
  if (Number.isNaN(x)) return 0x7e00;
  return roundToBinary(x, 5, 10);
}

/**
 * Decodes bfloat16 bits (the upper half of a binary32) to a number (exact).
 *
 * @param bits the 16-bit pattern, an integer in [0, 65535]
 * @returns the value; NaN for any NaN pattern
 * @throws {InvalidArgumentError} if `bits` is not an integer in [0, 65535]
 * @example
 * bf16ToF32(0x3f80); // 1
 * @see Google's bfloat16 (1 sign, 8 exponent, 7 fraction bits)
 */
export function bf16ToF32(bits: number): number {
  checkBits(bits);
  U32[0] = bits << 16;
  return F32[0]!;
}

/**
 * Encodes a number as bfloat16 bits, rounding to nearest, ties to even, from the number's
 * exact value. Overflow gives ±Infinity; NaN becomes the quiet NaN 0x7fc0.
 *
 * @param x any number
 * @returns the 16-bit pattern
 * @example
 * f32ToBf16(1); // 0x3f80
 * f32ToBf16(1 + 2 ** -8); // 0x3f80 (tie, rounds to even)
 */
export function f32ToBf16(x: number): number {
  if (typeof x !== 'number')
    throw new InvalidArgumentError(`x: expected a number, got ${describe(x)}`);
  if (Number.isNaN(x)) return 0x7fc0;
  return roundToBinary(x, 8, 7);
}

function checkBits(bits: number): void {
  if (typeof bits !== 'number' || !Number.isInteger(bits) || bits < 0 || bits > 0xffff) {
    throw new InvalidArgumentError(
      `bits: expected an integer in [0, 65535], got ${describe(bits)}`,
    );
  }
}

let f16Table: Uint32Array | undefined;

/** float32 bit patterns of all 65536 half values (NaN payloads kept), built on first use. */
function halfTable(): Uint32Array {
  if (f16Table) return f16Table;
  const t = new Uint32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = (h & 0x8000) << 16;
    const e = (h >> 10) & 0x1f;
    const m = h & 0x3ff;
    if (e === 31) {
      t[h] = (sign | 0x7f800000 | (m << 13)) >>> 0; // Inf or NaN with its payload
    } else if (e === 0 && m === 0) {
      t[h] = sign >>> 0;
    } else {
      F32[0] = f16ToF32(h & 0x7fff);
      t[h] = (sign | U32[0]!) >>> 0;
    }
  }
  f16Table = t;
  return t;
}

/**
 * Decodes an array of binary16 bit patterns to float32 (exact; NaN payloads kept).
 *
 * @param bits half-precision bit patterns (not modified)
 * @returns a new Float32Array of the same length
 * @throws {InvalidArgumentError} if `bits` is not a Uint16Array
 * @example
 * decodeF16(new Uint16Array([0x3c00, 0xc000])); // Float32Array [1, -2]
 */
export function decodeF16(bits: Uint16Array): Float32Array {
  if (!(bits instanceof Uint16Array))
    throw new InvalidArgumentError(`bits: expected a Uint16Array, got ${describe(bits)}`);
  const t = halfTable();
  const out = new Float32Array(bits.length);
  const u = new Uint32Array(out.buffer);
  for (let i = 0; i < bits.length; i++) u[i] = t[bits[i]!]!;
  return out;
}

/**
 * Encodes float32 or float64 values as binary16 bit patterns (round to nearest even). From
 * a Float32Array the conversion works on the bits and keeps NaN sign and upper payload
 * bits (exactly as numpy's `astype(float16)`); from a Float64Array each value goes through {@link f32ToF16}.
 *
 * @param values values to encode (not modified)
 * @returns a new Uint16Array of the same length
 * @throws {InvalidArgumentError} if `values` is not a Float32Array or Float64Array
 * @example
 * encodeF16(new Float32Array([1, 65504, 1e6])); // Uint16Array [0x3c00, 0x7bff, 0x7c00]
 */
export function encodeF16(values: Float32Array | Float64Array): Uint16Array {
  const out = new Uint16Array(checkValues(values).length);
  if (values instanceof Float32Array) {
    const u = new Uint32Array(values.buffer, values.byteOffset, values.length);
    for (let i = 0; i < out.length; i++) {
      const b = u[i]!;
      if ((b & 0x7f800000) === 0x7f800000 && (b & 0x7fffff) !== 0) {
        // NaN: keep the sign and the top 10 payload bits; if those are all zero use 1 so
        // it stays a NaN (numpy's npy_floatbits_to_halfbits does the same).
        const m = (b >>> 13) & 0x3ff;
        out[i] = ((b >>> 16) & 0x8000) | 0x7c00 | (m === 0 ? 1 : m);
      } else {
        out[i] = roundToBinary(values[i]!, 5, 10);
      }
    }
  } else {
    for (let i = 0; i < out.length; i++) out[i] = f32ToF16(values[i]!);
  }
  return out;
}

/**
 * Decodes an array of bfloat16 bit patterns to float32 (exact; NaN payloads kept).
 *
 * @param bits bfloat16 bit patterns (not modified)
 * @returns a new Float32Array of the same length
 * @throws {InvalidArgumentError} if `bits` is not a Uint16Array
 * @example
 * decodeBf16(new Uint16Array([0x3f80])); // Float32Array [1]
 */
export function decodeBf16(bits: Uint16Array): Float32Array {
  if (!(bits instanceof Uint16Array))
    throw new InvalidArgumentError(`bits: expected a Uint16Array, got ${describe(bits)}`);
  const out = new Float32Array(bits.length);
  const u = new Uint32Array(out.buffer);
  for (let i = 0; i < bits.length; i++) u[i] = bits[i]! << 16;
  return out;
}

/**
 * Encodes float32 or float64 values as bfloat16 bit patterns (round to nearest even). From
 * a Float32Array it works on the bits (keeping NaN sign and upper payload bits); from a
 * Float64Array each value goes through {@link f32ToBf16}.
 *
 * @param values values to encode (not modified)
 * @returns a new Uint16Array of the same length
 * @throws {InvalidArgumentError} if `values` is not a Float32Array or Float64Array
 * @example
 * encodeBf16(new Float32Array([1, -2])); // Uint16Array [0x3f80, 0xc000]
 */
export function encodeBf16(values: Float32Array | Float64Array): Uint16Array {
  const out = new Uint16Array(checkValues(values).length);
  if (values instanceof Float32Array) {
    const u = new Uint32Array(values.buffer, values.byteOffset, values.length);
    for (let i = 0; i < out.length; i++) {
      const b = u[i]!;
      if ((b & 0x7f800000) === 0x7f800000 && (b & 0x7fffff) !== 0) {
        // NaN: keep the sign and the top 7 payload bits; if those are all zero use 1 so
        // truncation cannot turn it into Infinity.
        const h = b >>> 16;
        out[i] = (h & 0x7f) === 0 ? h | 1 : h;
      } else {
        // Round to nearest even on the low 16 bits; a carry into the exponent is correct
        // (the largest finite values round up to Infinity).
        out[i] = (b + 0x7fff + ((b >>> 16) & 1)) >>> 16;
      }
    }
  } else {
    for (let i = 0; i < out.length; i++) out[i] = f32ToBf16(values[i]!);
  }
  return out;
}

function checkValues(values: unknown): Float32Array | Float64Array {
  if (!(values instanceof Float32Array || values instanceof Float64Array)) {
    throw new InvalidArgumentError(
      `values: expected a Float32Array or Float64Array, got ${describe(values)}`,
    );
  }
  return values;
}
