import {
  EPS,
  fft,
  fftPlan,
  InvalidArgumentError,
  ifft,
  NonFiniteError,
  ShapeError,
} from '@lr/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOSTILE_NUMBERS } from '../helpers.js';
import { fixture, naiveDft, norm, signalIm, signalRe } from './_signals.js';

const eps = EPS.float64;

// Componentwise bound for the unnormalized transform: |X̂_f − X_f| ≲ c·ε·log₂n·‖x‖₂
// (Higham, Accuracy and Stability of Numerical Algorithms, §24.1). Measured: ≤ 6.8·ε·‖x‖
// up to n = 1009 (Bluestein), ≤ 3.9·ε·‖x‖ for the Stockham lengths.
function fftTol(n: number, xnorm: number): number {
  return 4 * eps * (Math.log2(n) + 1) * xnorm;
}

describe('fft vs numpy.fft', () => {
  it.each(fixture.fft.map((c) => [c.n, c] as const))(
    'length %i (forward and ortho inverse)',
    (n, c) => {
      const re = signalRe(n);
      const im = signalIm(n);
      const X = fft(re, im);
      const Y = ifft(re, im, { normalize: 'ortho' });
      const xn = norm(re, im);
      let err = 0;
      let errO = 0;
      c.idx.forEach((f, i) => {
        err = Math.max(err, Math.hypot(X.re[f]! - c.re[i]!, X.im[f]! - c.im[i]!));
        errO = Math.max(
          errO,
          Math.hypot(Y.re[f]! - c.ifftOrthoRe[i]!, Y.im[f]! - c.ifftOrthoIm[i]!),
        );
      });
      expect(err).toBeLessThan(fftTol(n, xn));
      expect(errO).toBeLessThan(fftTol(n, xn) / Math.sqrt(n));
    },
  );

  it('uses the planned algorithm for each kind of length', () => {
    expect(fftPlan(1).algorithm).toBe('radix-2');
    expect(fftPlan(1024).algorithm).toBe('radix-2');
    expect(fftPlan(210).algorithm).toBe('mixed-radix');
    expect(fftPlan(61 * 4).algorithm).toBe('mixed-radix');
    expect(fftPlan(1009).algorithm).toBe('bluestein');
    expect(fftPlan(2 * 67).algorithm).toBe('bluestein');
    expect(fftPlan(1009)).toBe(fftPlan(1009)); // cached
  });

  it.each([2 * 61, 59 * 3, 67, 134, 2 * 3 * 5 * 7, 11 * 13, 2048 + 1])(
    'length %i agrees with a naive DFT',
    (n) => {
      const re = signalIm(n);
      const im = signalRe(n);
      const X = fft(re, im);
      const R = naiveDft(re, im);
      // the naive DFT itself carries ~n·ε error: compare norm-wise with a bound for both
      const d = norm(
        X.re.map((v, i) => v - R.re[i]!),
        X.im.map((v, i) => v - R.im[i]!),
      );
      expect(d).toBeLessThan(4 * n * eps * Math.sqrt(n) * norm(re, im));
    },
  );
});

describe('fft properties', () => {
  const arr = (n: number) =>
    fc
      .array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: n, maxLength: n })
      .map((a) => Float64Array.from(a));
  const complexSignal = fc.integer({ min: 1, max: 300 }).chain((n) => fc.tuple(arr(n), arr(n)));

  it('ifft(fft(x)) = x for every length and norm', () => {
    fc.assert(
      fc.property(
        complexSignal,
        fc.constantFrom('backward', 'ortho', 'forward' as const),
        ([re, im], normalize) => {
          const X = fft(re, im, { normalize });
          const y = ifft(X.re, X.im, { normalize });
          const n = re.length;
          const d = norm(
            y.re.map((v, i) => v - re[i]!),
            y.im.map((v, i) => v - im[i]!),
          );
          expect(d).toBeLessThanOrEqual(8 * eps * (Math.log2(n) + 1) * (norm(re, im) + 1e-300) * 4);
        },
      ),
      { numRuns: 60, seed: 7 },
    );
  });

  it('Parseval: ‖fft(x, ortho)‖ = ‖x‖, and backward scales by √n', () => {
    fc.assert(
      fc.property(complexSignal, ([re, im]) => {
        const n = re.length;
        const xn = norm(re, im);
        const o = fft(re, im, { normalize: 'ortho' });
        const b = fft(re, im);
        const f = fft(re, im, { normalize: 'forward' });
        const tol = 16 * eps * (Math.log2(n) + 1) * xn;
        expect(Math.abs(norm(o.re, o.im) - xn)).toBeLessThanOrEqual(tol);
        expect(Math.abs(norm(b.re, b.im) / Math.sqrt(n) - xn)).toBeLessThanOrEqual(tol);
        expect(Math.abs(norm(f.re, f.im) * Math.sqrt(n) - xn)).toBeLessThanOrEqual(tol);
      }),
      { numRuns: 60, seed: 11 },
    );
  });

  it('is linear and shifts become phase ramps', () => {
    const n = 45;
    const re = signalRe(n);
    const shifted = new Float64Array(n);
    for (let k = 0; k < n; k++) shifted[(k + 1) % n] = re[k]!;
    const X = fft(re);
    const S = fft(shifted);
    for (let f = 0; f < n; f++) {
      const c = Math.cos((2 * Math.PI * f) / n);
      const s = -Math.sin((2 * Math.PI * f) / n);
      expect(S.re[f]).toBeCloseTo(X.re[f]! * c - X.im[f]! * s, 12);
      expect(S.im[f]).toBeCloseTo(X.re[f]! * s + X.im[f]! * c, 12);
    }
  });

  it('does not modify its inputs and accepts Float32Array', () => {
    const re = signalRe(12);
    const im = signalIm(12);
    const copyRe = re.slice();
    const copyIm = im.slice();
    fft(re, im);
    ifft(re, im);
    expect(re).toEqual(copyRe);
    expect(im).toEqual(copyIm);
    const X32 = fft(Float32Array.from(re));
    const X64 = fft(Float64Array.from(Float32Array.from(re)));
    expect(X32.re).toEqual(X64.re);
  });

  it('a plan reused many times gives identical results', () => {
    const plan = fftPlan(100);
    const re = signalRe(100);
    const im = signalIm(100);
    const a = [re.slice(), im.slice()] as const;
    plan.execute(a[0], a[1]);
    for (let r = 0; r < 3; r++) {
      const b = [re.slice(), im.slice()] as const;
      plan.execute(b[0], b[1]);
      expect(b[0]).toEqual(a[0]);
      expect(b[1]).toEqual(a[1]);
    }
  });
});

describe('fft input validation', () => {
  it('rejects empty, non-typed, mismatched and non-finite input', () => {
    expect(() => fft(new Float64Array(0))).toThrow(InvalidArgumentError);
    expect(() => fft([1, 2] as unknown as Float64Array)).toThrow(/re: expected a Float64Array/);
    expect(() => fft(new Float64Array(3), new Float64Array(2))).toThrow(ShapeError);
    expect(() => fft(new Float64Array([1, Number.NaN]))).toThrow(NonFiniteError);
    expect(() => fft(new Float64Array(2), new Float64Array([0, Infinity]))).toThrow(NonFiniteError);
    expect(() => fft(new Float64Array(2), undefined, { normalize: 'none' as 'ortho' })).toThrow(
      /options.normalize/,
    );
    expect(() => fft(new Float64Array(2), undefined, { inverse: 1 as unknown as boolean })).toThrow(
      /options.inverse/,
    );
    expect(() => fft(new Float64Array(2), undefined, 3 as never)).toThrow(/options/);
  });

  it('fftPlan rejects hostile lengths', () => {
    for (const v of [...HOSTILE_NUMBERS, 0, 2 ** 40])
      expect(() => fftPlan(v as number)).toThrow(InvalidArgumentError);
  });
});
