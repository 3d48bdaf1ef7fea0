import { LrError, Matrix, randn, type Tensor } from '@lr/core';
import { describe, expect, it } from 'vitest';
import {
  chooseBits,
  compressEmbedding,
  dequantizeNf,
  expandCompressed,
  ffnForward,
  flora,
  floraDelta,
  fromCompressedTensors,
  lowRankCompress,
  lowRankCurve,
  lqDecompose,
  matformerSlice,
  mixNMatch,
  monarchMultiply,
  monarchToDense,
  nfLevels,
  outputFeatureCompress,
  projectToMonarch,
  quantizeNf,
  toCompressedTensors,
} from '../../src/compress/index.js';

// One table of hostile values, thrown at every public function's main argument.
const hostile: unknown[] = [
  undefined,
  null,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  -1,
  'W',
  {},
  [],
  [[1, 2]],
  new Float64Array(4),
  new Proxy({}, {}),
  new Matrix(new Float64Array([1, Number.NaN, 3, 4]), 2, 2),
  new Matrix(new Float64Array([1, Number.POSITIVE_INFINITY, 3, 4]), 2, 2),
  new Matrix(new Float64Array(0), 0, 0),
];

const W = randn(8, 8, { seed: 1 });
const calls: [string, (x: unknown) => unknown][] = [
  ['quantizeNf', (x) => quantizeNf(x as Matrix)],
  ['quantizeNf options', (x) => quantizeNf(W, { bits: x as number })],
  ['dequantizeNf', (x) => dequantizeNf(x as never)],
  ['nfLevels', (x) => nfLevels(x as number)],
  ['lqDecompose', (x) => lqDecompose(x as Matrix, { rank: 1 })],
  ['lqDecompose rank', (x) => lqDecompose(W, { rank: x as number })],
  ['chooseBits', (x) => chooseBits(x as never, { budgetBitsPerParam: 4 })],
  ['chooseBits budget', (x) => chooseBits([['w', W]], { budgetBitsPerParam: x as number })],
  ['lowRankCompress', (x) => lowRankCompress(x as never, { rank: 1 })],
  ['lowRankCompress pair', (x) => lowRankCompress([['w', x as Matrix]], { rank: 1 })],
  ['lowRankCompress ratio', (x) => lowRankCompress([['w', W]], { ratio: x as number })],
  ['lowRankCurve', (x) => lowRankCurve([['w', W]], { ratios: x as number[] })],
  ['expandCompressed', (x) => expandCompressed(x as never)],
  ['toCompressedTensors', (x) => toCompressedTensors(x as never)],
  ['fromCompressedTensors', (x) => fromCompressedTensors({}, x as never)],
  ['outputFeatureCompress', (x) => outputFeatureCompress(x as Matrix, null, W, { rank: 1 })],
  ['outputFeatureCompress X', (x) => outputFeatureCompress(W, null, x as Matrix, { rank: 1 })],
  ['compressEmbedding', (x) => compressEmbedding(x as Matrix, { rank: 1 })],
  ['flora', (x) => flora(x as Tensor, { rank: 1 })],
  ['flora rank', (x) => flora(W, { rank: x as number })],
  ['floraDelta', (x) => floraDelta(x as never)],
  ['matformerSlice', (x) => matformerSlice({ up: x as Matrix, down: W }, 1)],
  ['matformerSlice width', (x) => matformerSlice({ up: W, down: W }, x as number)],
  ['mixNMatch', (x) => mixNMatch(x as never, 1)],
  ['ffnForward', (x) => ffnForward({ up: W, down: W }, x as Matrix)],
  ['projectToMonarch', (x) => projectToMonarch(x as Matrix)],
  ['monarchMultiply', (x) => monarchMultiply(x as never, new Float64Array(16))],
  ['monarchToDense', (x) => monarchToDense(x as never)],
];

describe('hostile inputs: every public function fails fast with an LrError', () => {
  for (const [name, fn] of calls) {
    it(name, () => {
      for (const v of hostile) {
        let err: unknown = null;
        try {
          fn(v);
        } catch (e) {
          err = e;
        }
        // undefined/null select the default of an optional argument
        const optional = v == null && (name === 'nfLevels' || name === 'quantizeNf options');
        if (optional) continue;
        expect(err, `${name}(${String(v)})`).toBeInstanceOf(LrError);
        expect(typeof (err as LrError).code).toBe('string');
      }
    });
  }
});
