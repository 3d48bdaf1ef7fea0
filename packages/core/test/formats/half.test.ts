import {
  bf16ToF32,
  decodeBf16,
  decodeF8E4M3,
  decodeF8E5M2,
  decodeF16,
  encodeBf16,
  encodeF16,
  f16ToF32,
  f32ToBf16,
  f32ToF16,
} from '@lr/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectLrError, expectSameValues, fixture } from './_helpers.js';

// Reference decoders written from the definitions (sign · 2^(e − bias) · 1.m), not from
// the implementation's arithmetic.
function refHalf(h: number): number {
  const s = h >> 15 ? -1 : 1;
  const e = (h >> 10) & 31;
  const m = h & 1023;
  if (e === 31) return m ? Number.NaN : s * Infinity;
  if (e === 0) return s * 2 ** -14 * (m / 1024);
  return s * 2 ** (e - 15) * (1 + m / 1024);
}

function refBf16(h: number): number {
  const s = h >> 15 ? -1 : 1;
  const e = (h >> 7) & 255;
  const m = h & 127;
  if (e === 255) return m ? Number.NaN : s * Infinity;
  if (e === 0) return s * 2 ** -126 * (m / 128);
  return s * 2 ** (e - 127) * (1 + m / 128);
}

const ALL = Uint16Array.from({ length: 65536 }, (_, i) => i);

/** Checks round-to-nearest-even at, just above and just below every midpoint. */
function checkMidpoints(
  maxFinite: number,
  ref: (h: number) => number,
  encode: (x: number) => number,
): void {
  for (let h = 0; h < maxFinite; h++) {
    const lo = ref(h);
    const hi = ref(h + 1);
    const mid = (lo + hi) / 2; // exact in double
    const even = h % 2 === 0 ? h : h + 1;
    const up = mid * (1 + 2 ** -40);
    const down = mid * (1 - 2 ** -40);
    for (const sign of [0, 0x8000]) {
      const k = sign ? -1 : 1;
      if (encode(k * mid) !== (sign | even))
        throw new Error(`tie ${k * mid} (between ${h} and ${h + 1}) → ${encode(k * mid)}`);
      if (encode(k * up) !== (sign | (h + 1)))
        throw new Error(`${k * up} above tie of ${h} → ${encode(k * up)}`);
      if (encode(k * down) !== (sign | h))
        throw new Error(`${k * down} below tie of ${h} → ${encode(k * down)}`);
    }
  }
}

describe('float16', () => {
  it('decodes all 65536 bit patterns exactly (scalar and array)', () => {
    const arr = decodeF16(ALL);
    for (let h = 0; h < 65536; h++) {
      const want = refHalf(h);
      if (!Object.is(f16ToF32(h), want))
        throw new Error(`f16ToF32(${h}) = ${f16ToF32(h)}, want ${want}`);
      if (!Object.is(arr[h], want)) {
        throw new Error(`decodeF16 at ${h}: ${arr[h]}, want ${want}`);
      }
    }
  });

  it('round-trips every non-NaN pattern and keeps NaN payloads through the array path', () => {
    for (let h = 0; h < 65536; h++) {
      if (Number.isNaN(refHalf(h))) continue;
      if (f32ToF16(f16ToF32(h)) !== h)
        throw new Error(`f32ToF16(f16ToF32(${h})) = ${f32ToF16(f16ToF32(h))}`);
    }
    expectSameValues(encodeF16(decodeF16(ALL)), ALL, 'encodeF16(decodeF16(all))');
  });

  it('rounds to nearest, ties to even, at every midpoint (normal and subnormal)', () => {
    checkMidpoints(0x7bff, refHalf, f32ToF16);
  });

  it('handles overflow, underflow, signed zeros and NaN', () => {
    expect(f32ToF16(65504)).toBe(0x7bff);
    expect(f32ToF16(65519.99)).toBe(0x7bff);
    expect(f32ToF16(65520)).toBe(0x7c00);
    expect(f32ToF16(-1e300)).toBe(0xfc00);
    expect(f32ToF16(Infinity)).toBe(0x7c00);
    expect(f32ToF16(-Infinity)).toBe(0xfc00);
    expect(f32ToF16(0)).toBe(0);
    expect(f32ToF16(-0)).toBe(0x8000);
    expect(f32ToF16(2 ** -25)).toBe(0); // tie between 0 and the smallest subnormal → even (0)
    expect(f32ToF16(2 ** -25 * 1.0001)).toBe(1);
    expect(f32ToF16(-(2 ** -26))).toBe(0x8000);
    expect(f32ToF16(Number.NaN)).toBe(0x7e00);
    expect(f32ToF16(2 ** -14)).toBe(0x0400); // smallest normal
    expect(f32ToF16(2 ** -14 - 2 ** -25)).toBe(0x0400); // subnormal rounding carries into the exponent
  });

  it('rounds a double directly, without double rounding through float32', () => {
    const x = 1 + 2 ** -11 + 2 ** -30; // just above the tie between 0x3c00 and 0x3c01
    expect(Math.fround(x)).toBe(1 + 2 ** -11); // float32 would land exactly on the tie
    expect(f32ToF16(x)).toBe(0x3c01);
    expect(encodeF16(new Float64Array([x]))[0]).toBe(0x3c01);
    expect(encodeF16(new Float32Array([x]))[0]).toBe(0x3c00);
  });

  it('matches numpy astype(float16) on float32 inputs, ties and NaN payloads included', () => {
    const ref = JSON.parse(new TextDecoder().decode(fixture('f16_from_numpy.json'))) as {
      f32_bits: number[];
      f16_bits: number[];
    };
    const f32 = new Float32Array(Uint32Array.from(ref.f32_bits).buffer);
    expectSameValues(encodeF16(f32), ref.f16_bits, 'encodeF16 vs numpy');
  });

  it('array and scalar encoders agree on float32 values (property)', () => {
    fc.assert(
      fc.property(fc.float32Array({ maxLength: 50 }), (values) => {
        const a = encodeF16(values);
        const b = encodeF16(Float64Array.from(values));
        for (let i = 0; i < values.length; i++) {
          if (Number.isNaN(values[i])) {
            expect(Number.isNaN(f16ToF32(a[i]!))).toBe(true);
            expect(b[i]).toBe(0x7e00);
          } else {
            expect(a[i]).toBe(f32ToF16(values[i]!));
            expect(b[i]).toBe(a[i]);
          }
        }
      }),
    );
  });

  it('the nearest half is never beaten by a neighbour (property on doubles)', () => {
    fc.assert(
      fc.property(fc.double({ min: -70000, max: 70000, noNaN: true }), (x) => {
        const h = f32ToF16(x);
        const v = f16ToF32(h);
        if (!Number.isFinite(v)) {
          expect(Math.abs(x)).toBeGreaterThanOrEqual(65520);
          return;
        }
        const err = Math.abs(v - x);
        for (const n of [h - 1, h + 1]) {
          if (n < 0 || n > 0xffff) continue;
          const w = f16ToF32(n);
          if (Number.isFinite(w) && (n & 0x8000) === (h & 0x8000))
            expect(err).toBeLessThanOrEqual(Math.abs(w - x));
        }
      }),
    );
  });

  it('rejects bad arguments with InvalidArgumentError', () => {
    expectLrError(() => f16ToF32(65536), 'INVALID_ARGUMENT');
    expectLrError(() => f16ToF32(1.5), 'INVALID_ARGUMENT');
    expectLrError(() => f16ToF32(-1), 'INVALID_ARGUMENT');
    expectLrError(() => f32ToF16('1' as unknown as number), 'INVALID_ARGUMENT');
    expectLrError(() => decodeF16([1, 2] as unknown as Uint16Array), 'INVALID_ARGUMENT');
    expectLrError(() => encodeF16([1, 2] as unknown as Float32Array), 'INVALID_ARGUMENT');
  });
});

describe('bfloat16', () => {
  it('decodes all 65536 bit patterns exactly (scalar and array)', () => {
    const arr = decodeBf16(ALL);
    for (let h = 0; h < 65536; h++) {
      const want = refBf16(h);
      if (!Object.is(bf16ToF32(h), want))
        throw new Error(`bf16ToF32(${h}) = ${bf16ToF32(h)}, want ${want}`);
      if (!Object.is(arr[h], want)) throw new Error(`decodeBf16 at ${h}: ${arr[h]}, want ${want}`);
    }
  });

  it('round-trips every pattern (NaN payloads through the array path)', () => {
    for (let h = 0; h < 65536; h++) {
      if (Number.isNaN(refBf16(h))) continue;
      if (f32ToBf16(bf16ToF32(h)) !== h)
        throw new Error(`f32ToBf16(bf16ToF32(${h})) = ${f32ToBf16(bf16ToF32(h))}`);
    }
    expectSameValues(encodeBf16(decodeBf16(ALL)), ALL, 'encodeBf16(decodeBf16(all))');
  });

  it('rounds to nearest, ties to even, at every midpoint', () => {
    checkMidpoints(0x7f7f, refBf16, f32ToBf16);
  });

  it('handles overflow, zeros and NaN', () => {
    const max = refBf16(0x7f7f);
    expect(f32ToBf16(max)).toBe(0x7f7f);
    expect(f32ToBf16(max + 2 ** (127 - 8))).toBe(0x7f80); // the tie above max goes to Infinity
    expect(f32ToBf16(-0)).toBe(0x8000);
    expect(f32ToBf16(Number.NaN)).toBe(0x7fc0);
    expect(encodeBf16(new Float32Array([3.4028234663852886e38]))[0]).toBe(0x7f80); // float32 max rounds up
    expect(f32ToBf16(1 + 2 ** -8)).toBe(0x3f80);
    expect(f32ToBf16(1 + 3 * 2 ** -8)).toBe(0x3f82);
  });

  it('the bit-level float32 encoder agrees with the exact scalar one (property)', () => {
    fc.assert(
      fc.property(fc.float32Array({ maxLength: 50 }), (values) => {
        const a = encodeBf16(values);
        for (let i = 0; i < values.length; i++) {
          if (Number.isNaN(values[i])) expect(Number.isNaN(bf16ToF32(a[i]!))).toBe(true);
          else expect(a[i]).toBe(f32ToBf16(values[i]!));
        }
        const b = encodeBf16(Float64Array.from(values));
        for (let i = 0; i < values.length; i++)
          if (!Number.isNaN(values[i])) expect(b[i]).toBe(a[i]);
      }),
    );
  });
});

describe('float8', () => {
  it('decodes E4M3FN per its definition (bias 7, no infinities, S.1111.111 = NaN)', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const got = decodeF8E4M3(all);
    for (let b = 0; b < 256; b++) {
      const s = b & 0x80 ? -1 : 1;
      const e = (b >> 3) & 15;
      const m = b & 7;
      const want =
        e === 15 && m === 7
          ? Number.NaN
          : e === 0
            ? s * 2 ** -6 * (m / 8)
            : s * 2 ** (e - 7) * (1 + m / 8);
      expect(Object.is(got[b], want), `E4M3 ${b}`).toBe(true);
    }
    expectSameValues(decodeF8E4M3(new Uint8Array([0x38, 0x7e, 0xfe, 0x01, 0x80])), [
      1,
      448,
      -448,
      2 ** -9,
      -0,
    ]);
  });

  it('decodes E5M2 per its definition (IEEE-like, bias 15)', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const got = decodeF8E5M2(all);
    for (let b = 0; b < 256; b++) {
      const want = refHalf(b << 8); // E5M2 is the top byte of a binary16
      expect(Object.is(got[b], want), `E5M2 ${b}`).toBe(true);
    }
    expectSameValues(decodeF8E5M2(new Uint8Array([0x3c, 0x7b, 0x7c, 0x01])), [
      1,
      57344,
      Infinity,
      2 ** -16,
    ]);
  });
});
