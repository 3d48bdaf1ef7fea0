import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { decodeSafetensor, Matrix, readSafetensors } from '@lr/core';

const WEIGHTS = '/work/shared/data/weights/stories260K/model.safetensors';
const DIGITS = '/work/shared/data/tabular/digits.csv.gz';

let cache: Map<string, Matrix> | null = null;

/** The 2-d weights of stories260K (float32 as stored), in file order. */
export function storiesWeights(): Map<string, Matrix> {
  if (cache) return cache;
  const file = readSafetensors(new Uint8Array(readFileSync(WEIGHTS)));
  const out = new Map<string, Matrix>();
  for (const e of file.tensors) {
    if (e.shape.length !== 2) continue;
    out.set(e.name, decodeSafetensor(e) as Matrix);
  }
  cache = out;
  return out;
}

/** digits: X [1797, 64] (pixel intensities 0–16) and labels. */
export function digits(): { X: Matrix; y: Int32Array } {
  const text = gunzipSync(readFileSync(DIGITS)).toString('utf8').trim().split('\n');
  const n = text.length;
  const X = new Matrix(new Float64Array(n * 64), n, 64);
  const y = new Int32Array(n);
  text.forEach((line, i) => {
    const v = line.split(',').map(Number);
    for (let j = 0; j < 64; j++) X.data[i * 64 + j] = v[j]!;
    y[i] = v[64]!;
  });
  return { X, y };
}

export const EPS64 = 2.220446049250313e-16;

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

export function froDiff(A: Matrix, B: Matrix): number {
  const a = A.toFloat64Array();
  const b = B.toFloat64Array();
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
}

export function fro(A: Matrix): number {
  const a = A.toFloat64Array();
  let s = 0;
  for (const v of a) s += v * v;
  return Math.sqrt(s);
}

/** Expects fn to throw an LrError with the given code. */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}
