import { f16ToF32, f32ToF16 } from '@lr/core';

/**
 * IEEE 754 binary16 encode / decode. WebGPU's `f16` is storage here: uploads round each
 * float32 to the nearest half (ties to even), downloads widen back to float32.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Rounds `x` to float32, then to the nearest binary16, and returns its 16 bits (ties to even). */
export function toHalfBits(x: number): number {
  const f = Math.fround(x);
  if (Number.isNaN(f)) {
    // NaN: keep the sign, quiet NaN (core's f32ToF16 drops the sign).
    f32[0] = x;
    return ((u32[0]! >>> 16) & 0x8000) | 0x7e00;
  }
  return f32ToF16(f);
}

/** The value of the binary16 whose bits are `h` (an integer in [0, 65535]). */
export function fromHalfBits(h: number): number {
  return f16ToF32(h);
}

/** Rounds every element to binary16 (the values a `float16` upload stores). */
export function roundToHalf(values: ArrayLike<number>): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = fromHalfBits(toHalfBits(values[i]!));
  return out;
}
