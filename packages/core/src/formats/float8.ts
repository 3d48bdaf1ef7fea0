import { InvalidArgumentError } from '../errors.js';
import { describe } from '../validate.js';

// 8-bit floats as safetensors stores them (PyTorch float8_e4m3fn and float8_e5m2;
// Micikevicius et al. 2022, "FP8 Formats for Deep Learning", Table 1).

let e4m3: Float32Array | undefined;
let e5m2: Float32Array | undefined;

/** Values of all 256 E4M3FN patterns: bias 7, no infinities, S.1111.111 is NaN, max 448. */
function e4m3Table(): Float32Array {
  if (e4m3) return e4m3;
  const t = new Float32Array(256);
  for (let b = 0; b < 256; b++) {
    const sign = b & 0x80 ? -1 : 1;
    const e = (b >> 3) & 0xf;
    const m = b & 7;
    if (e === 15 && m === 7) t[b] = Number.NaN;
    else if (e === 0) t[b] = sign * m * 2 ** -9;
    else t[b] = sign * (8 + m) * 2 ** (e - 10);
  }
  e4m3 = t;
  return t;
}

/** Values of all 256 E5M2 patterns: IEEE-like, bias 15, with infinities and NaNs. */
function e5m2Table(): Float32Array {
  if (e5m2) return e5m2;
  const t = new Float32Array(256);
  for (let b = 0; b < 256; b++) {
    const sign = b & 0x80 ? -1 : 1;
    const e = (b >> 2) & 0x1f;
    const m = b & 3;
    if (e === 31) t[b] = m === 0 ? sign * Infinity : Number.NaN;
    else if (e === 0) t[b] = sign * m * 2 ** -16;
    else t[b] = sign * (4 + m) * 2 ** (e - 17);
  }
  e5m2 = t;
  return t;
}

function decodeWith(name: string, bytes: Uint8Array, table: Float32Array): Float32Array {
  if (!(bytes instanceof Uint8Array))
    throw new InvalidArgumentError(`${name}: expected a Uint8Array, got ${describe(bytes)}`);
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = table[bytes[i]!]!;
  return out;
}

/**
 * Decodes float8 E4M3FN bytes (PyTorch `float8_e4m3fn`, safetensors `F8_E4M3`): 1 sign,
 * 4 exponent (bias 7), 3 fraction bits; no infinities; `0x7f`/`0xff` are NaN; max ±448.
 *
 * @param bytes one byte per value (not modified)
 * @returns a new Float32Array of the same length (exact)
 * @throws {InvalidArgumentError} if `bytes` is not a Uint8Array
 * @example
 * decodeF8E4M3(new Uint8Array([0x38, 0x7e])); // Float32Array [1, 448]
 * @see Micikevicius et al. 2022, "FP8 Formats for Deep Learning", Table 1
 */
export function decodeF8E4M3(bytes: Uint8Array): Float32Array {
  return decodeWith('bytes', bytes, e4m3Table());
}

/**
 * Decodes float8 E5M2 bytes (PyTorch `float8_e5m2`, safetensors `F8_E5M2`): 1 sign,
 * 5 exponent (bias 15), 2 fraction bits, IEEE infinities and NaNs; max ±57344.
 *
 * @param bytes one byte per value (not modified)
 * @returns a new Float32Array of the same length (exact)
 * @throws {InvalidArgumentError} if `bytes` is not a Uint8Array
 * @example
 * decodeF8E5M2(new Uint8Array([0x3c, 0x7c])); // Float32Array [1, Infinity]
 * @see Micikevicius et al. 2022, "FP8 Formats for Deep Learning", Table 1
 */
export function decodeF8E5M2(bytes: Uint8Array): Float32Array {
  return decodeWith('bytes', bytes, e5m2Table());
}
