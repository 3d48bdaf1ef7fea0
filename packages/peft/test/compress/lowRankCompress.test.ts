import { Matrix, matmul, qr, randn, type Tensor } from '@lr/core';
import { describe, expect, it } from 'vitest';
import {
  expandCompressed,
  fromCompressedTensors,
  lowRankCompress,
  lowRankCurve,
  toCompressedTensors,
} from '../../src/compress/index.js';
import { codeOf, EPS64, fro, froDiff, storiesWeights } from './helpers.js';

const qrOf = (A: Matrix) => ({ Q: qr(A).Q! });

describe('lowRankCompress (LORD) on stories260K', () => {
  const ws = storiesWeights();
  let shared: ReturnType<typeof lowRankCompress> | null = null;
  // one global-budget compression of the whole model, shared by two tests (saves 36 SVDs)
  const at40 = () => {
    shared ??= lowRankCompress(ws, { ratio: 0.4 });
    return shared;
  };

  it('size/error curve: error falls as the parameter budget rises, budget respected', () => {
    const ratios = [0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
    const curve = lowRankCurve(ws, { ratios });
    let prev = Infinity;
    curve.forEach((p, i) => {
      expect(p.compressedParams).toBeLessThanOrEqual(ratios[i]! * 259_328);
      expect(p.relativeError).toBeLessThanOrEqual(prev);
      prev = p.relativeError;
    });
    expect(prev).toBe(0); // full budget: every layer kept dense
    expect(curve[0]!.relativeError).toBeGreaterThan(curve[6]!.relativeError);
    // lowRankCompress at the same budget picks the same ranks and measures the same error
    const res = at40();
    expect(res.originalParams).toBe(259_328);
    expect(res.compressedParams).toBe(curve[5]!.compressedParams);
    for (const l of res.layers) expect(l.rank).toBe(curve[5]!.ranks.get(l.name));
    expect(Math.abs(res.relativeError - curve[5]!.relativeError)).toBeLessThan(1e-9);
  });

  it('round trip toCompressedTensors → fromCompressedTensors equals expandCompressed exactly; reported errors are measured', () => {
    const res = at40();
    const dense = expandCompressed(res);
    const { tensors, metadata } = toCompressedTensors(res);
    expect(metadata.lr_format).toBe('lord-v1');
    const back = fromCompressedTensors(tensors, metadata);
    expect([...back.keys()]).toEqual([...dense.keys()]);
    let num = 0;
    let den = 0;
    for (const l of res.layers) {
      const a = dense.get(l.name)!;
      const b = back.get(l.name)! as Matrix;
      expect(b.shape).toEqual(l.shape);
      const av = a.toFloat64Array();
      const bv = b.toFloat64Array();
      let same = av.length === bv.length;
      for (let i = 0; same && i < av.length; i++) same = Object.is(av[i], bv[i]);
      expect(same).toBe(true);
      const W = ws.get(l.name)!;
      const e = froDiff(W, a);
      // same quantity summed in a different order: agree to the summation bound n·ε
      expect(Math.abs(e / fro(W) - l.relativeError)).toBeLessThan(W.rows * W.cols * EPS64);
      // Eckart–Young: the relative error is the spectral tail
      expect(Math.abs(l.relativeError ** 2 - (1 - l.energy))).toBeLessThan(1e-9);
      if (l.lowRank) {
        expect(tensors[`${l.name}.lr_P`]!.shape).toEqual([l.shape[0], l.rank]);
        expect(tensors[`${l.name}.lr_Q`]!.shape).toEqual([l.rank, l.shape[1]]);
        expect(l.rank * (l.shape[0] + l.shape[1])).toBeLessThan(l.shape[0] * l.shape[1]);
      } else expect(tensors[l.name]).toBe(W);
      num += e * e;
      den += fro(W) ** 2;
    }
    expect(Math.abs(Math.sqrt(num / den) - res.relativeError)).toBeLessThan(
      res.originalParams * EPS64,
    );
    expect(JSON.parse(metadata.lr_ranks!)).toEqual(
      Object.fromEntries(res.layers.filter((l) => l.lowRank).map((l) => [l.name, l.rank])),
    );
    expect(Number(metadata.lr_compressed_params)).toBe(res.compressedParams);
  });

  it('rank mode keeps a layer dense when r·(out+in) ≥ out·in; energy mode picks the smallest rank', () => {
    const W = ws.get('model.layers.0.self_attn.o_proj.weight')!; // 64×64: low rank pays below r = 32
    const a = lowRankCompress([['o', W]], { rank: 31 });
    expect(a.layers[0]!.lowRank).toBe(true);
    const b = lowRankCompress([['o', W]], { rank: 32 });
    expect(b.layers[0]!.lowRank).toBe(false);
    expect(b.compressedParams).toBe(4096);
    const e = lowRankCompress([['o', W]], { energy: 0.5, split: 'left' }).layers[0]!;
    const S = e.singularValues;
    const tot = S.reduce((s, v) => s + v * v, 0);
    let acc = 0;
    for (let i = 0; i < e.rank - 1; i++) acc += S[i]! ** 2;
    expect(acc / tot).toBeLessThan(0.5);
    expect(e.energy).toBeGreaterThanOrEqual(0.5);
    // 'left' split: Q has orthonormal rows
    const QQt = matmul(e.Q!, e.Q!.T);
    for (let i = 0; i < e.rank; i++) expect(QQt.get(i, i)).toBeCloseTo(1, 12);
  });

  it('large layers (min(out, in) > 256) take the values-only + truncated SVD path with the same results', () => {
    // W = U·diag(σ)·Vᵀ with σ_i = 0.9^i, 270×260
    const { Q: U } = qrOf(randn(270, 260, { seed: 21 }));
    const { Q: V } = qrOf(randn(260, 260, { seed: 22 }));
    for (let j = 0; j < 260; j++) for (let i = 0; i < 270; i++) U.data[i * 260 + j]! *= 0.9 ** j;
    const W = matmul(U, V.T);
    let tot = 0;
    for (let j = 0; j < 260; j++) tot += 0.81 ** j;
    for (const opts of [{ rank: 12 }, { energy: 0.95 }, { ratio: 0.1 }]) {
      const res = lowRankCompress([['big', W]], opts);
      const l = res.layers[0]!;
      let tail = 0;
      for (let j = l.rank; j < 260; j++) tail += 0.81 ** j;
      expect(l.lowRank).toBe(true);
      expect(Math.abs(l.relativeError - Math.sqrt(tail / tot))).toBeLessThan(1e-9);
      const measured = froDiff(W, expandCompressed(res).get('big')!) / fro(W);
      expect(Math.abs(measured - l.relativeError)).toBeLessThan(1e-12);
    }
  });

  it('data-aware: lower output error than plain SVD at the same rank', () => {
    const W = ws.get('model.layers.3.mlp.up_proj.weight')!; // 172×64
    // inputs with a strongly anisotropic covariance (a few dominant directions)
    const Z = randn(400, 64, { seed: 5 });
    for (let i = 0; i < 400; i++)
      for (let j = 0; j < 64; j++) Z.data[i * 64 + j]! *= Math.exp(-j / 6);
    const mix = randn(64, 64, { seed: 6 });
    const X = matmul(Z, mix);
    const C = matmul(X.T, X);
    for (let i = 0; i < C.data.length; i++) C.data[i]! /= 400;
    const outErr = (What: Matrix) => {
      const D = new Matrix(W.toFloat64Array(), W.rows, W.cols);
      for (let i = 0; i < D.data.length; i++) D.data[i]! -= What.data[i]!;
      return fro(matmul(X, D.T)) / fro(matmul(X, W.T));
    };
    const before = W.toFloat64Array();
    const cBefore = C.toFloat64Array();
    for (const rank of [4, 8, 16]) {
      const plain = lowRankCompress([['w', W]], { rank });
      const aware = lowRankCompress([['w', W]], {
        rank,
        dataAware: { covariances: [['w', C]], damp: 0 },
      });
      const ep = outErr(expandCompressed(plain).get('w')!);
      const ea = outErr(expandCompressed(aware).get('w')!);
      expect(ea).toBeLessThan(ep);
      expect(Math.abs(aware.layers[0]!.weightedRelativeError! - ea)).toBeLessThan(1e-8);
    }
    // inputs are never mutated
    expect(W.toFloat64Array().every((v, i) => v === before[i])).toBe(true);
    expect(C.toFloat64Array().every((v, i) => v === cBefore[i])).toBe(true);
  });

  it('bad input and bad files give documented codes', () => {
    const W = randn(6, 5, { seed: 1 });
    const nan = W.clone();
    nan.data[2] = Number.POSITIVE_INFINITY;
    expect(codeOf(() => lowRankCompress([['w', nan]], { rank: 2 }))).toBe('NON_FINITE');
    expect(codeOf(() => lowRankCompress([['w', W]], { rank: 6 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => lowRankCompress([['w', W]], {}))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => lowRankCompress([['w', W]], { rank: 2, ratio: 0.5 }))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(codeOf(() => lowRankCompress([['w', W]], { energy: 0 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => lowRankCompress([['w', W]], { ratio: 1.5 }))).toBe('INVALID_ARGUMENT');
    // impossible budget: rank 1 needs 11 of 30 parameters
    expect(codeOf(() => lowRankCompress([['w', W]], { ratio: 0.2 }))).toBe('INVALID_ARGUMENT');
    expect(
      codeOf(() =>
        lowRankCompress([['w', W]], { rank: 2, dataAware: { covariances: [['w', randn(6, 6)]] } }),
      ),
    ).toBe('SHAPE_MISMATCH');
    expect(
      codeOf(() =>
        lowRankCompress(
          [
            ['w', W],
            ['w', W],
          ],
          { rank: 2 },
        ),
      ),
    ).toBe('INVALID_ARGUMENT');
    const ctl = new AbortController();
    ctl.abort();
    expect(codeOf(() => lowRankCompress([['w', W]], { rank: 2, signal: ctl.signal }))).toBe(
      'ABORTED',
    );
    const { tensors, metadata } = toCompressedTensors(lowRankCompress([['w', W]], { rank: 1 }));
    expect(
      codeOf(() => fromCompressedTensors(tensors, { ...metadata, lr_format: 'lord-v2' })),
    ).toBe('FORMAT');
    expect(
      codeOf(() => fromCompressedTensors(tensors, { ...metadata, lr_ranks: '{"w": 2}' })),
    ).toBe('FORMAT');
    expect(codeOf(() => fromCompressedTensors(tensors, { ...metadata, lr_ranks: 'nope' }))).toBe(
      'FORMAT',
    );
    const { 'w.lr_Q': _q, ...noQ } = tensors;
    expect(codeOf(() => fromCompressedTensors(noQ, metadata))).toBe('FORMAT');
    const stray: Record<string, Tensor> = { ...tensors, 'x.lr_P': W };
    expect(codeOf(() => fromCompressedTensors(stray, metadata))).toBe('FORMAT');
  });
});
