import { readFileSync } from 'node:fs';
import { Matrix, randn } from '@lr/core';
import { describe, expect, it } from 'vitest';
import {
  dequantizeNf,
  nfLevels,
  nfMemoryBits,
  nfOffset,
  quantizeNf,
  unpackNfCodes,
} from '../../src/compress/index.js';
import { codeOf, storiesWeights } from './helpers.js';

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/nf_levels.json', import.meta.url), 'utf8'),
) as { offset4: number; levels: Record<string, number[]>; publishedNf4: number[] };

describe('NormalFloat levels', () => {
  it('NF4 matches the published QLoRA table to 1e-6', () => {
    const l = nfLevels(4);
    expect(l.length).toBe(16);
    for (let i = 0; i < 16; i++)
      expect(Math.abs(l[i]! - fixture.publishedNf4[i]!)).toBeLessThan(1e-6);
    expect(nfOffset(4)).toBeCloseTo(0.9677083, 7);
  });

  it('2, 3, 4, 8-bit levels match the scipy computation of the same recipe to 1e-12', () => {
    for (const b of [2, 3, 4, 8]) {
      const l = nfLevels(b);
      const ref = fixture.levels[String(b)]!;
      expect(l.length).toBe(2 ** b);
      let m = 0;
      for (let i = 0; i < l.length; i++) m = Math.max(m, Math.abs(l[i]! - ref[i]!));
      expect(m).toBeLessThan(1e-12);
      expect(l[2 ** (b - 1) - 1]).toBe(0);
    }
  });
});

describe('quantizeNf / dequantizeNf', () => {
  it('every weight dequantises to the nearest level of its block (no double quant)', () => {
    const W = randn(7, 19, { seed: 3 }); // 133 weights: a partial last block
    for (const bits of [2, 3, 4, 8]) {
      const q = quantizeNf(W, { bits, blockSize: 16, doubleQuant: false });
      const D = dequantizeNf(q);
      const codes = unpackNfCodes(q);
      const levels = nfLevels(bits);
      for (let i = 0; i < 133; i++) {
        const s = q.scales[Math.floor(i / 16)]!;
        const v = W.data[i]! / s;
        let best = Infinity;
        for (const l of levels) best = Math.min(best, Math.abs(l - v));
        expect(Math.abs(levels[codes[i]!]! - v)).toBeLessThanOrEqual(best + 1e-15);
        expect(D.data[i]).toBe(levels[codes[i]!]! * s);
      }
      // block absmax is representable exactly (±1 level), up to the fp32 scale
      expect(q.codes.length).toBe(Math.ceil((133 * bits) / 8));
    }
  });

  it('memory is exact and NF4/64/double-quant is QLoRA’s 4.127 bits', () => {
    const n = 4096 * 4096;
    expect(nfMemoryBits(n).bitsPerParam).toBeCloseTo(4 + 8 / 64 + 32 / (64 * 256) + 32 / n, 12);
    expect(nfMemoryBits(n, { doubleQuant: false }).bitsPerParam).toBeCloseTo(4.5, 12);
    const W = randn(10, 13, { seed: 1 });
    const q = quantizeNf(W, { bits: 3 });
    // 130 weights: 390 code bits → 49 bytes; 3 blocks → 3·8 + 1·32 + 32
    expect(q.totalBits).toBe(49 * 8 + 24 + 32 + 32);
    expect(q.bitsPerParam).toBe(q.totalBits / 130);
  });

  it('error falls with bits on real weights, and double quantisation costs little', () => {
    const W = storiesWeights().get('model.layers.0.mlp.up_proj.weight')!;
    const errs = [2, 3, 4, 8].map((bits) => {
      const D = dequantizeNf(quantizeNf(W, { bits }));
      let s = 0;
      for (let i = 0; i < D.data.length; i++) s += (D.data[i]! - W.data[i]!) ** 2;
      return Math.sqrt(s);
    });
    for (let i = 1; i < errs.length; i++) expect(errs[i]!).toBeLessThan(errs[i - 1]!);
    const D1 = dequantizeNf(quantizeNf(W, { doubleQuant: false }));
    const D2 = dequantizeNf(quantizeNf(W, { doubleQuant: true }));
    let e1 = 0;
    let e2 = 0;
    for (let i = 0; i < W.data.length; i++) {
      e1 += (D1.data[i]! - W.data[i]!) ** 2;
      e2 += (D2.data[i]! - W.data[i]!) ** 2;
    }
    expect(Math.sqrt(e2)).toBeLessThan(1.05 * Math.sqrt(e1));
  });

  it('does not mutate its input and handles strided views', () => {
    const W = randn(8, 8, { seed: 2 });
    const before = Float64Array.from(W.data);
    const a = dequantizeNf(quantizeNf(W.T));
    const b = dequantizeNf(quantizeNf(W.T.contiguous()));
    expect(W.data).toEqual(before);
    expect(a.data).toEqual(b.data);
  });

  it('bad input gives documented codes', () => {
    const W = randn(4, 4);
    const bad = W.clone();
    bad.data[3] = Number.NaN;
    expect(codeOf(() => quantizeNf(bad))).toBe('NON_FINITE');
    expect(codeOf(() => quantizeNf(W, { bits: 1 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => quantizeNf(W, { bits: 9 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => quantizeNf(W, { bits: 3.5 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => quantizeNf(W, { blockSize: 0 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => quantizeNf(new Matrix(new Float64Array(0), 0, 3)))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(codeOf(() => nfLevels(0))).toBe('INVALID_ARGUMENT');
  });
});
