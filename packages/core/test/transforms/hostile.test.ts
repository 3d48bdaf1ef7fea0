import {
  fft,
  fftConvolve,
  fftPlan,
  fwht,
  fwhtInPlace,
  ifft,
  irfft,
  LrError,
  nextFastLength,
  rfft,
} from '@lr/core';
import { describe, expect, it } from 'vitest';
import { HOSTILE_NUMBERS } from '../helpers.js';

// Every hostile value in a numeric or array slot must give an LrError, never a hang or a crash.
describe('transforms: hostile inputs', () => {
  const x = new Float64Array([1, 2, 3, 4]);
  const calls: [string, (v: unknown) => unknown][] = [
    ['fftPlan(n)', (v) => fftPlan(v as number)],
    ['nextFastLength(n)', (v) => nextFastLength(v as number)],
    ['irfft(re, im, n)', (v) => irfft(x, x, v as number)],
    ['fwhtInPlace offset', (v) => fwhtInPlace(x.slice(), { offset: v as number })],
    ['fwhtInPlace length', (v) => fwhtInPlace(x.slice(), { length: v as number })],
    ['fft(re)', (v) => fft(v as Float64Array)],
    ['ifft(re, im)', (v) => ifft(x, v as Float64Array)],
    ['rfft(x)', (v) => rfft(v as Float64Array)],
    ['fftConvolve(a, b)', (v) => fftConvolve(x, v as Float64Array)],
    ['fwht(x)', (v) => fwht(v as Float64Array)],
  ];
  for (const [name, call] of calls) {
    it(name, () => {
      for (const v of HOSTILE_NUMBERS) {
        if (name.startsWith('ifft') && v === undefined) continue; // im is optional
        if (name.startsWith('irfft') && v === undefined) continue; // n is optional
        if (name.startsWith('fwhtInPlace') && v === undefined) continue; // optional
        expect(() => call(v), `${name} with ${String(v)}`).toThrow(LrError);
      }
    });
  }
});
