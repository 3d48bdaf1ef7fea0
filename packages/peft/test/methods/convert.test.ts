import { type Matrix, normFro, Rng, svd } from '@lr/core';
import { describe, expect, test } from 'vitest';
import {
  collectCovariance,
  corda,
  extractLora,
  mergeAdapter,
  olora,
  pissa,
  toPlainLora,
} from '../../src/methods/index.js';
import {
  calibration,
  GATE_PROJ,
  identityTol,
  Q_PROJ,
  reconstruct,
  relDiff,
  weight,
} from './helpers.js';

/** "Training": a seeded perturbation of each factor entry by ±10 % of the factor's RMS. */
function perturb(M: Matrix, seed: number): Matrix {
  const rng = new Rng(seed);
  const out = M.clone('float64');
  const rms = normFro(M) / Math.sqrt(M.data.length);
  for (let i = 0; i < out.data.length; i++) out.data[i] = out.data[i]! + 0.1 * rms * rng.normal();
  return out;
}

describe('toPlainLora: residual-base adapters → plain LoRA of rank 2r on the original base', () => {
  const W = weight(GATE_PROJ);
  const C = collectCovariance(calibration(GATE_PROJ)).covariance;
  const inits = [
    pissa(W, { rank: 8, alpha: 16 }),
    olora(W, { rank: 8, alpha: 8 }),
    corda(W, C, { rank: 8, alpha: 4, mode: 'kpm' }),
    pissa(W, { rank: 8, alpha: 16, useRslora: true }),
  ];
  for (const init of inits) {
    const rs = init === inits[3];
    test(`${init.method}${rs ? ' (rsLoRA)' : ''}: W + s·B′A′ = W_res + s·B·A`, () => {
      const trained = { A: perturb(init.A, 1), B: perturb(init.B, 2) };
      const plain = toPlainLora(init, trained, { useRslora: rs });
      expect(plain.rank).toBe(16);
      expect(plain.alpha).toBe(rs ? Math.SQRT2 * init.alpha : 2 * init.alpha);
      expect(plain.scaling).toBeCloseTo(init.scaling, 14);
      expect(plain.A.shape).toEqual([16, W.cols]);
      expect(plain.B.shape).toEqual([W.rows, 16]);
      const viaPlain = mergeAdapter(W, plain);
      const viaResidual = mergeAdapter(init.residual!, { ...trained, scaling: init.scaling });
      expect(relDiff(viaPlain, viaResidual, W)).toBeLessThan(identityTol(W));
      // and the converted adapter of an untrained init is ΔW = 0
      const zero = toPlainLora(init, { A: init.A, B: init.B }, { useRslora: rs });
      expect(relDiff(mergeAdapter(W, zero), W)).toBeLessThan(identityTol(W));
    });
  }
});

describe('mergeAdapter and extractLora', () => {
  const W = weight(Q_PROJ);
  test('merge(W_res, adapter) = W; extract → merge ≈ tuned to the truncation error', () => {
    const init = pissa(W, { rank: 4 });
    expect(relDiff(mergeAdapter(init.residual, init), W)).toBeLessThan(identityTol(W));
    // a "fine-tuned" weight: W plus a rank-6 update plus a little full-rank noise
    const trained = { A: perturb(init.A, 3), B: perturb(init.B, 4) };
    const tunedLowRank = mergeAdapter(init.residual, { ...trained, scaling: init.scaling });
    const rng = new Rng(9);
    const tuned = tunedLowRank.clone();
    for (let i = 0; i < tuned.data.length; i++)
      tuned.data[i] = tuned.data[i]! + 1e-4 * rng.normal();
    for (const rank of [2, 4, 8, 16]) {
      const ex = extractLora(W, tuned, { rank, alpha: 2 * rank });
      expect(ex.scaling).toBe(2);
      const merged = mergeAdapter(W, ex);
      // the truncation error, measured two ways, equals the singular-value tail of Δ
      const D = tuned.clone('float64');
      for (let i = 0; i < D.data.length; i++) D.data[i] = D.data[i]! - W.data[i]!;
      const S = svd(D, { valuesOnly: true }).S;
      let tail = 0;
      let total = 0;
      for (let i = 0; i < S.length; i++) {
        total += S[i]! ** 2;
        if (i >= rank) tail += S[i]! ** 2;
      }
      const expected = Math.sqrt(tail / total);
      expect(Math.abs(ex.diagnostics.relativeError - expected)).toBeLessThan(1e-10);
      expect(Math.abs(relDiff(merged, tuned, D) - expected)).toBeLessThan(1e-10);
      expect(ex.diagnostics.tunedError).toBeCloseTo(relDiff(merged, tuned), 12);
    }
    // the pure rank-8 update plus noise: rank 8 keeps all but the noise
    expect(extractLora(W, tunedLowRank, { rank: 8 }).diagnostics.relativeError).toBeLessThan(1e-12);
  });

  test('reconstruct helper agrees with mergeAdapter', () => {
    const init = olora(W, { rank: 3, alpha: 6 });
    expect(
      relDiff(
        mergeAdapter(init.residual, init),
        reconstruct(init.residual, init.B, init.A, init.scaling),
      ),
    ).toBe(0);
  });
});
