import { irfft, Matrix } from '@lr/core';
import { describe, expect, it } from 'vitest';
import {
  conjTransposeApply,
  denseKernel,
  diagonalTransfer,
  discretize,
  dplrTransfer,
  kernelFromTransfer,
  nplrLegS,
  s4dInit,
  ssmKernel,
  unitCircle,
} from '../src/index.js';
import { EPS, noise, relErr } from './helpers.js';

describe('transfer function', () => {
  for (const [L, N, init, method] of [
    [1, 4, 'lin', 'zoh'],
    [2, 8, 'inv', 'bilinear'],
    [7, 8, 'legs', 'zoh'],
    [100, 16, 'inv', 'zoh'],
    [999, 64, 'lin', 'bilinear'],
    [1024, 32, 'legs', 'bilinear'],
  ] as const) {
    it(`kernelFromTransfer (truncated generating function + irfft) = Vandermonde kernel: L=${L} N=${N} ${init} ${method}`, () => {
      const ssm = s4dInit({ N, channels: 3, init, seed: L });
      const a = kernelFromTransfer(ssm, { L, method });
      const b = ssmKernel(ssm, { L, method }).K;
      let zmax = 0;
      const d = discretize(ssm, { method });
      for (let i = 0; i < d.logAbar.re.length; i++)
        zmax = Math.max(zmax, Math.hypot(d.logAbar.re[i]!, d.logAbar.im[i]!));
      expect(relErr(a.data, b.data)).toBeLessThan(50 * (L * zmax + N + Math.log2(2 * L)) * EPS);
    });
  }

  it('dplrTransfer with P = Q = 0 equals diagonalTransfer of the bilinear discretization', () => {
    const ssm = s4dInit({ N: 16, channels: 1, init: 'inv', seed: 4 });
    const d = discretize(ssm, { method: 'bilinear' });
    const z = unitCircle(64, 64);
    const G = diagonalTransfer(d, z);
    const zero = { re: new Float64Array(8), im: new Float64Array(8) };
    const H = dplrTransfer(
      { lambda: ssm.A, P: zero, Q: zero, B: ssm.B, C: ssm.C, dt: Math.exp(ssm.logDt[0]!) },
      z,
    );
    expect(relErr(H.re, G.re)).toBeLessThan(1e3 * EPS);
    expect(relErr(H.im, G.im)).toBeLessThan(1e3 * EPS);
  });

  it('HiPPO-LegS via DPLR + Woodbury/Cauchy equals the dense kernel (aliased) at the roots of unity', () => {
    const N = 32;
    const P = 256;
    const dt = 0.1;
    const r = nplrLegS(N);
    const c = noise(N, 11);
    // C̃ = c·V (row vector times V)
    const M = N / 2;
    const Ct = { re: new Float64Array(M), im: new Float64Array(M) };
    for (let i = 0; i < N; i++) {
      for (let n = 0; n < M; n++) {
        Ct.re[n]! += c[i]! * r.V.re[i * M + n]!;
        Ct.im[n]! += c[i]! * r.V.im[i * M + n]!;
      }
    }
    const z = unitCircle(P);
    const G = dplrTransfer(
      { lambda: r.lambda, P: r.Ptilde, Q: r.Ptilde, B: conjTransposeApply(r.V, r.B), C: Ct, dt },
      z,
    );
    const aliased = irfft(G.re, G.im, P);
    // dense reference: K of length 8P (the tail e^{−0.1·8·256} is far below rounding), folded mod P
    const K = denseKernel(r.A, r.B, new Matrix(c, 1, N), Float64Array.of(Math.log(dt)), 8 * P);
    const folded = new Float64Array(P);
    for (let l = 0; l < 8 * P; l++) folded[l % P]! += K.data[l]!;
    console.log('DPLR-vs-dense relative error', relErr(aliased, folded).toExponential(2));
    expect(relErr(aliased, folded)).toBeLessThan(1e4 * N * EPS);
  });
});
