import { EPS, fft, InvalidArgumentError, irfft, NonFiniteError, rfft, ShapeError } from '@lr/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixture, norm, signalIm, signalRe } from './_signals.js';

const eps = EPS.float64;
const tol = (n: number, xn: number) => 4 * eps * (Math.log2(n) + 1) * xn;

describe('rfft vs numpy.fft.rfft', () => {
  it.each(fixture.rfft.map((c) => [c.n, c] as const))('length %i', (n, c) => {
    const x = signalRe(n);
    const X = rfft(x);
    const F = rfft(x, { normalize: 'forward' });
    expect(X.re.length).toBe(Math.floor(n / 2) + 1);
    let err = 0;
    let errF = 0;
    for (let f = 0; f < X.re.length; f++) {
      err = Math.max(err, Math.hypot(X.re[f]! - c.re[f]!, X.im[f]! - c.im[f]!));
      errF = Math.max(errF, Math.hypot(F.re[f]! - c.forwardRe[f]!, F.im[f]! - c.forwardIm[f]!));
    }
    expect(err).toBeLessThan(tol(n, norm(x)));
    expect(errF).toBeLessThan(tol(n, norm(x)) / n);
  });

  it('equals the first half of the complex fft (even, odd, Bluestein lengths)', () => {
    for (const n of [2, 6, 14, 1009, 2018, 4096]) {
      const x = signalIm(n);
      const R = rfft(x);
      const C = fft(x);
      let err = 0;
      for (let f = 0; f < R.re.length; f++)
        err = Math.max(err, Math.hypot(R.re[f]! - C.re[f]!, R.im[f]! - C.im[f]!));
      expect(err).toBeLessThan(tol(n, norm(x)));
      expect(R.im[0]).toBe(0);
      if (n % 2 === 0) expect(Math.abs(R.im[n / 2]!)).toBeLessThan(tol(n, norm(x)));
    }
  });
});

describe('irfft vs numpy.fft.irfft', () => {
  it.each(fixture.irfft.map((c) => [`L=${c.L} n=${c.n}`, c] as const))(
    '%s (pads, truncates, drops imaginary DC/Nyquist)',
    (_, c) => {
      const re = signalRe(c.L);
      const im = signalIm(c.L);
      const y = c.n === null ? irfft(re, im) : irfft(re, im, c.n);
      const yo =
        c.n === null
          ? irfft(re, im, undefined, { normalize: 'ortho' })
          : irfft(re, im, c.n, { normalize: 'ortho' });
      expect(y.length).toBe(c.y.length);
      const xn = norm(re, im);
      for (let j = 0; j < y.length; j++) {
        expect(Math.abs(y[j]! - c.y[j]!)).toBeLessThan(tol(y.length, xn));
        expect(Math.abs(yo[j]! - c.ortho[j]!)).toBeLessThan(tol(y.length, xn));
      }
    },
  );

  it('round trip irfft(rfft(x), n) = x for every length and norm', () => {
    const sig = fc
      .integer({ min: 1, max: 400 })
      .chain((n) =>
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: n, maxLength: n }),
      )
      .map((a) => Float64Array.from(a));
    fc.assert(
      fc.property(sig, fc.constantFrom('backward', 'ortho', 'forward' as const), (x, normalize) => {
        const n = x.length;
        const X = rfft(x, { normalize });
        const y = irfft(X.re, X.im, n, { normalize });
        const d = norm(y.map((v, i) => v - x[i]!));
        expect(d).toBeLessThanOrEqual(16 * eps * (Math.log2(n) + 1) * norm(x));
      }),
      { numRuns: 80, seed: 3 },
    );
  });

  it('rejects bad input', () => {
    expect(() => rfft(new Float64Array(0))).toThrow(InvalidArgumentError);
    expect(() => rfft(new Float64Array([Number.NaN]))).toThrow(NonFiniteError);
    expect(() => irfft(new Float64Array(3), new Float64Array(2))).toThrow(ShapeError);
    expect(() => irfft(new Float64Array(1), new Float64Array(1))).toThrow(/pass n ≥ 1 explicitly/);
    expect(() => irfft(new Float64Array(3), undefined as never)).toThrow(/im: expected/);
    expect(() => irfft(new Float64Array(3), new Float64Array(3), 0)).toThrow(
      /n: expected an integer/,
    );
    expect(() => irfft(new Float64Array(3), new Float64Array(3), 2.5)).toThrow(
      InvalidArgumentError,
    );
  });
});
