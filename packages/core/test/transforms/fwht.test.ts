import { fwht, fwhtInPlace, InvalidArgumentError, NonFiniteError } from '@lr/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signalRe } from './_signals.js';

// Sylvester construction H_{2m} = [[H, H], [H, −H]], built explicitly.
function sylvester(n: number): number[][] {
  let H = [[1]];
  while (H.length < n) {
    const m = H.length;
    const next: number[][] = [];
    for (let i = 0; i < 2 * m; i++) {
      const row: number[] = [];
      for (let j = 0; j < 2 * m; j++) row.push(H[i % m]![j % m]! * (i >= m && j >= m ? -1 : 1));
      next.push(row);
    }
    H = next;
  }
  return H;
}

describe('fwht', () => {
  it.each([1, 2, 4, 8, 32, 128])(
    'equals the explicit Sylvester–Hadamard product for n = %i',
    (n) => {
      const x = signalRe(n);
      const H = sylvester(n);
      const y = fwht(x);
      const yn = fwht(x, { normalize: true });
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += H[i]![j]! * x[j]!;
        expect(y[i]).toBeCloseTo(s, 12);
        expect(yn[i]).toBeCloseTo(s / Math.sqrt(n), 12);
      }
    },
  );

  it('fwht∘fwht = n·I and the normalized transform is an involution (fast-check)', () => {
    const sig = fc
      .integer({ min: 0, max: 9 })
      .chain((k) =>
        fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 2 ** k, maxLength: 2 ** k }),
      )
      .map((a) => Float64Array.from(a));
    fc.assert(
      fc.property(sig, (x) => {
        const n = x.length;
        // integer input: every partial sum is an exact integer, so equality is exact
        const twice = fwht(fwht(x));
        for (let i = 0; i < n; i++) expect(twice[i]).toBe(n * x[i]!);
        const inv = fwht(fwht(x, { normalize: true }), { normalize: true });
        for (let i = 0; i < n; i++)
          expect(Math.abs(inv[i]! - x[i]!)).toBeLessThanOrEqual(1e-12 * 1000 * Math.log2(2 * n));
      }),
      { numRuns: 50, seed: 9 },
    );
  });

  it('fwhtInPlace transforms a segment in place and leaves the rest alone', () => {
    const x = new Float64Array([9, 1, 2, 3, 4, 9]);
    const out = fwhtInPlace(x, { offset: 1, length: 4 });
    expect(out).toBe(x);
    expect(Array.from(x)).toEqual([9, 10, -2, -4, 0, 9]);
    const f32 = new Float32Array([1, 0, 1, 0]);
    fwhtInPlace(f32);
    expect(Array.from(f32)).toEqual([2, 2, 0, 0]);
  });

  it('does not modify its input and rejects non-power-of-two lengths', () => {
    const x = signalRe(8);
    const copy = x.slice();
    fwht(x);
    expect(x).toEqual(copy);
    for (const n of [0, 3, 6, 12, 1000])
      expect(() => fwht(new Float64Array(n))).toThrow(InvalidArgumentError);
    expect(() => fwhtInPlace(new Float64Array(8), { offset: 2 })).toThrow(/power of two/);
    expect(() => fwhtInPlace(new Float64Array(8), { offset: 2, length: 8 })).toThrow(
      /options.length/,
    );
    expect(() => fwht(new Float64Array([1, Number.NaN]))).toThrow(NonFiniteError);
    expect(() => fwht(new Float64Array(2), { normalize: 'yes' as unknown as boolean })).toThrow(
      /options.normalize/,
    );
  });
});
