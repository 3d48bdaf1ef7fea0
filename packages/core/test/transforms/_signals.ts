// Closed-form test signals, rebuilt identically by fixtures/make_fft.py.
import { readFileSync } from 'node:fs';

export function signalRe(n: number): Float64Array {
  const x = new Float64Array(n);
  for (let k = 0; k < n; k++) x[k] = Math.sin(0.7 * k * k + 0.3 * k + 1);
  return x;
}

export function signalIm(n: number): Float64Array {
  const x = new Float64Array(n);
  for (let k = 0; k < n; k++) x[k] = Math.cos(1.3 * k + 0.01 * k * k);
  return x;
}

export interface FftFixture {
  fft: {
    n: number;
    idx: number[];
    re: number[];
    im: number[];
    ifftOrthoRe: number[];
    ifftOrthoIm: number[];
  }[];
  rfft: { n: number; re: number[]; im: number[]; forwardRe: number[]; forwardIm: number[] }[];
  irfft: { L: number; n: number | null; y: number[]; ortho: number[] }[];
  convolve: { na: number; nb: number; full: number[]; same: number[]; valid: number[] }[];
}

export const fixture: FftFixture = JSON.parse(
  readFileSync(new URL('./fixtures/fft.json', import.meta.url), 'utf8'),
);

/** Euclidean norm of the concatenation of the arrays (scaled: no underflow or overflow). */
export function norm(...xs: ArrayLike<number>[]): number {
  let scale = 0;
  for (const x of xs) for (let i = 0; i < x.length; i++) scale = Math.max(scale, Math.abs(x[i]!));
  if (scale === 0) return 0;
  let s = 0;
  for (const x of xs) for (let i = 0; i < x.length; i++) s += (x[i]! / scale) ** 2;
  return scale * Math.sqrt(s);
}

/** Naive O(n²) DFT, for checking lengths the fixture does not cover. */
export function naiveDft(
  re: Float64Array,
  im: Float64Array,
  sign = -1,
): { re: Float64Array; im: Float64Array } {
  const n = re.length;
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  for (let f = 0; f < n; f++) {
    let sr = 0;
    let si = 0;
    for (let k = 0; k < n; k++) {
      const t = (sign * 2 * Math.PI * ((k * f) % n)) / n;
      const c = Math.cos(t);
      const s = Math.sin(t);
      sr += re[k]! * c - im[k]! * s;
      si += re[k]! * s + im[k]! * c;
    }
    outRe[f] = sr;
    outIm[f] = si;
  }
  return { re: outRe, im: outIm };
}
