import { EPS, fftConvolve, InvalidArgumentError, NonFiniteError, nextFastLength } from '@lr/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixture, norm, signalIm, signalRe } from './_signals.js';

const eps = EPS.float64;

function direct(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length - 1);
  for (let i = 0; i < a.length; i++) for (let j = 0; j < b.length; j++) out[i + j] += a[i]! * b[j]!;
  return out;
}

// FFT convolution error: |ĉ_k − c_k| ≲ c·ε·log₂N·‖a‖‖b‖ per output (plus an absolute
// floor for products that fall below the normal range, where rounding is absolute).
const tol = (a: Float64Array, b: Float64Array) =>
  8 * eps * (Math.log2(a.length + b.length) + 1) * norm(a) * norm(b) + 1e-300;

describe('fftConvolve', () => {
  it.each(fixture.convolve.map((c) => [`${c.na}∗${c.nb}`, c] as const))(
    '%s matches scipy.signal.fftconvolve in every mode',
    (_, c) => {
      const a = signalRe(c.na);
      const b = signalIm(c.nb);
      for (const mode of ['full', 'same', 'valid'] as const) {
        const got = fftConvolve(a, b, { mode });
        const ref = c[mode];
        expect(got.length).toBe(ref.length);
        for (let k = 0; k < ref.length; k++)
          expect(Math.abs(got[k]! - ref[k]!)).toBeLessThan(tol(a, b));
      }
    },
  );

  it('full mode equals the direct sum (random lengths, fast-check)', () => {
    const sig = (max: number) =>
      fc
        .array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: max })
        .map((v) => Float64Array.from(v));
    fc.assert(
      fc.property(sig(70), sig(70), (a, b) => {
        const got = fftConvolve(a, b);
        const ref = direct(a, b);
        expect(got.length).toBe(ref.length);
        for (let k = 0; k < ref.length; k++)
          expect(Math.abs(got[k]! - ref[k]!)).toBeLessThanOrEqual(tol(a, b));
      }),
      { numRuns: 60, seed: 5 },
    );
  });

  it('is commutative in full mode and keeps long prime-length products exact to rounding', () => {
    const a = signalRe(1009);
    const b = signalIm(331);
    const ab = fftConvolve(a, b);
    const ba = fftConvolve(b, a);
    const ref = direct(a, b);
    for (let k = 0; k < ref.length; k++) {
      expect(Math.abs(ab[k]! - ref[k]!)).toBeLessThan(tol(a, b));
      expect(Math.abs(ab[k]! - ba[k]!)).toBeLessThan(tol(a, b));
    }
  });

  it('handles empty inputs like scipy and validates the rest', () => {
    expect(fftConvolve(new Float64Array(0), new Float64Array(3)).length).toBe(0);
    expect(() =>
      fftConvolve(new Float64Array(2), new Float64Array(2), { mode: 'circular' as 'full' }),
    ).toThrow(InvalidArgumentError);
    expect(() => fftConvolve(new Float64Array([1, Infinity]), new Float64Array(2))).toThrow(
      NonFiniteError,
    );
    expect(() => fftConvolve([1] as never, new Float64Array(1))).toThrow(/a: expected/);
  });
});

describe('nextFastLength', () => {
  it('returns the smallest 5-smooth length (even when asked)', () => {
    const smooth = (v: number) => {
      for (const p of [2, 3, 5]) while (v % p === 0) v /= p;
      return v === 1;
    };
    for (let n = 1; n <= 600; n++) {
      const m = nextFastLength(n);
      expect(m).toBeGreaterThanOrEqual(n);
      expect(smooth(m)).toBe(true);
      for (let k = n; k < m; k++) expect(smooth(k)).toBe(false);
      const e = nextFastLength(n, { even: true });
      expect(e % 2).toBe(0);
      expect(smooth(e)).toBe(true);
      for (let k = n; k < e; k++) expect(smooth(k) && k % 2 === 0).toBe(false);
    }
    expect(nextFastLength(1009)).toBe(1024);
    expect(() => nextFastLength(0)).toThrow(InvalidArgumentError);
  });
});
