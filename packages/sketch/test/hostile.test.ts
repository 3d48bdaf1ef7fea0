import { LrError, Matrix, randn } from '@lr/core';
import { describe, expect, it } from 'vitest';
import {
  countSketch,
  crsMatmul,
  gaussianSketch,
  leverageScores,
  lewisWeights,
  linfSketch,
  lpSensitivities,
  osnap,
  ridgeLeverageScores,
  sampleRows,
  sensitivitySample,
  sketchedLeastSquares,
  sketchPreconditionedLstsq,
  srht,
} from '../src/index.js';

// One table of hostile matrices thrown at every public function that takes a matrix.
const nanA = randn(40, 3, { seed: 1 });
nanA.set(5, 1, Number.NaN);
const infA = randn(40, 3, { seed: 1 });
infA.set(0, 0, Number.POSITIVE_INFINITY);
const hostile: [string, unknown][] = [
  ['NaN entry', nanA],
  ['∞ entry', infA],
  ['a string', 'matrix'],
  ['null', null],
  ['nested arrays', [[1, 2, 3]]],
  ['a Float64Array', new Float64Array(120)],
];
const b = new Float64Array(40).fill(1);
const fns: [string, (A: never) => unknown][] = [
  ['sketchedLeastSquares', (A) => sketchedLeastSquares(A, b)],
  ['sketchPreconditionedLstsq', (A) => sketchPreconditionedLstsq(A, b)],
  ['leverageScores', (A) => leverageScores(A)],
  ['ridgeLeverageScores', (A) => ridgeLeverageScores(A)],
  ['lewisWeights', (A) => lewisWeights(A)],
  ['lpSensitivities', (A) => lpSensitivities(A)],
  ['sensitivitySample', (A) => sensitivitySample(A, { samples: 3 })],
  ['crsMatmul (A)', (A) => crsMatmul(A, randn(3, 2), { k: 2 })],
  ['gaussianSketch.apply', (A) => gaussianSketch(5, 40).apply(A)],
  ['srht.apply', (A) => srht(5, 40).apply(A)],
  ['countSketch.apply', (A) => countSketch(5, 40).apply(A)],
  ['osnap.apply', (A) => osnap(5, 40).apply(A)],
  ['linfSketch.apply', (A) => linfSketch(5, 40).apply(A)],
];

describe.each(fns)('%s rejects hostile input with an LrError', (_name, fn) => {
  it.each(hostile)('%s', (_label, A) => {
    expect(() => fn(A as never)).toThrow(LrError);
  });
});

describe('hostile options', () => {
  const A = randn(40, 3, { seed: 2 });
  it.each([
    ['m = NaN', () => gaussianSketch(Number.NaN, 10)],
    ['m = 1e9999', () => srht(Number.POSITIVE_INFINITY, 10)],
    ['n = -1', () => countSketch(4, -1)],
    ['seed = 0.5', () => osnap(4, 10, { seed: 0.5 })],
    ['options = 3', () => srht(4, 10, 3 as never)],
    ['p = NaN', () => lewisWeights(A, { p: Number.NaN })],
    ['tol = -1', () => sketchPreconditionedLstsq(A, b, { tol: -1 })],
    ['samples = 1.5', () => sensitivitySample(A, { samples: 1.5 })],
    ['k = NaN', () => crsMatmul(A.T, A, { k: Number.NaN })],
  ] as [string, () => unknown][])('%s', (_l, f) => {
    expect(f).toThrow(LrError);
  });
  it('sampleRows rejects a malformed sample before its loop, with codes', () => {
    const good = sensitivitySample(A, { samples: 4, seed: 1 });
    const code = (c: string) => expect.objectContaining({ code: c });
    expect(() => sampleRows(A, null as never)).toThrow(code('INVALID_ARGUMENT'));
    expect(() => sampleRows(A, { ...good, p: 0 })).toThrow(code('INVALID_ARGUMENT'));
    expect(() => sampleRows(A, { ...good, p: Number.NaN })).toThrow(code('INVALID_ARGUMENT'));
    expect(() => sampleRows(A, { ...good, weights: new Float64Array(3) })).toThrow(
      code('SHAPE_MISMATCH'),
    );
    const nanW = good.weights.slice();
    nanW[2] = Number.NaN;
    expect(() => sampleRows(A, { ...good, weights: nanW })).toThrow(code('NON_FINITE'));
    expect(() => sampleRows(A, { ...good, rows: Int32Array.of(0, 1, 40, 2) })).toThrow(
      code('INVALID_ARGUMENT'),
    );
    expect(sampleRows(A, good).rows).toBe(4);
  });
  it('inputs are never mutated', () => {
    const copy = A.clone();
    const bc = Float64Array.from(b);
    sketchedLeastSquares(A, b, { sketch: 'osnap' });
    sketchPreconditionedLstsq(A, b);
    leverageScores(A, { method: 'approximate' });
    lewisWeights(A, { p: 3 });
    crsMatmul(A.T, A, { k: 5 });
    expect(Array.from(A.data)).toEqual(Array.from(copy.data));
    expect(Array.from(b)).toEqual(Array.from(bc));
    expect(new Matrix(A.data, 40, 3).get(3, 2)).toBe(copy.get(3, 2));
  });
});
