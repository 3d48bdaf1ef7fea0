import { Matrix, rfft } from '@lr/core';
import { describe, expect, it } from 'vitest';
import {
  type DiagonalSsm,
  denseKernel,
  hippoLegS,
  nplrLegS,
  s4dDiagonal,
  ssmKernel,
} from '../src/index.js';
import { EPS, relErr } from './helpers.js';

/**
 * The S4D-LegS system for output vectors c = e_0…e_{k−1} (the first k HiPPO basis
 * functions): A = Λ, B = scaleB·V*B, C_h = e_h·V, one channel per basis function.
 */
function legsDiagonal(N: number, k: number, dt: number, scaleB: number): DiagonalSsm {
  const r = nplrLegS(N);
  const M = N / 2;
  const rep = (v: Float64Array, s = 1) =>
    Float64Array.from({ length: k * M }, (_, i) => s * v[i % M]!);
  const Cre = new Float64Array(k * M);
  const Cim = new Float64Array(k * M);
  for (let h = 0; h < k; h++) {
    for (let n = 0; n < M; n++) {
      Cre[h * M + n] = r.V.re[h * M + n]!;
      Cim[h * M + n] = r.V.im[h * M + n]!;
    }
  }
  return {
    channels: k,
    modes: M,
    A: { re: rep(r.lambda.re), im: rep(r.lambda.im) },
    B: { re: rep(r.Btilde.re, scaleB), im: rep(r.Btilde.im, scaleB) },
    C: { re: Cre, im: Cim },
    D: new Float64Array(k),
    logDt: new Float64Array(k).fill(Math.log(dt)),
  };
}

function unitRows(k: number, N: number): Matrix {
  const C = new Float64Array(k * N);
  for (let h = 0; h < k; h++) C[h * N + h] = 1;
  return new Matrix(C, k, N);
}

describe('S4D claims (Gu et al. 2022)', () => {
  const dt = 0.1;
  const L = 256;
  const k = 4;

  it('the diagonal kernel equals the kernel of the normal part S = A + PPᵀ (to rounding)', () => {
    const N = 32;
    const r = nplrLegS(N);
    const diag = ssmKernel(legsDiagonal(N, k, dt, 1), { L, method: 'bilinear' }).K;
    const dense = denseKernel(r.S, r.B, unitRows(k, N), new Float64Array(k).fill(Math.log(dt)), L);
    expect(relErr(diag.data, dense.data)).toBeLessThan(1e3 * N * EPS);
  });

  it('S4D-LegS (B halved) approaches the full HiPPO-LegS kernel as N grows', () => {
    const errs: number[] = [];
    for (const N of [8, 16, 32, 64, 128]) {
      const { A, B } = hippoLegS(N);
      const full = denseKernel(A, B, unitRows(k, N), new Float64Array(k).fill(Math.log(dt)), L);
      const diag = ssmKernel(legsDiagonal(N, k, dt, 0.5), { L, method: 'bilinear' }).K;
      errs.push(relErr(diag.data, full.data));
    }
    console.log(
      `S4D-LegS vs HiPPO-LegS, relative L2 over the first ${k} basis kernels, dt=${dt}, L=${L}, N=8..128:`,
      errs.map((e) => e.toFixed(4)).join(' '),
    );
    for (let i = 1; i < errs.length; i++) expect(errs[i]).toBeLessThan(errs[i - 1]!);
    // from N = 16 on the error roughly halves per doubling of N (O(1/N))
    expect(errs[4]! / errs[3]!).toBeLessThan(0.6);
    expect(errs[3]! / errs[2]!).toBeLessThan(0.6);
    expect(errs[4]!).toBeLessThan(0.35);
  });

  it('S4D-Lin modes are damped Fourier modes: envelope e^{−dt·l/2}, spectral peak at n·dt/2 cycles/sample', () => {
    const N = 32;
    const Lf = 4096;
    const step = 0.01;
    const lin = s4dDiagonal('lin', N);
    const M = N / 2;
    // one channel per mode n: C = e_n (only mode n contributes)
    const C = { re: new Float64Array(M * M), im: new Float64Array(M * M) };
    for (let n = 0; n < M; n++) C.re[n * M + n] = 1;
    const rep = (v: Float64Array) => Float64Array.from({ length: M * M }, (_, i) => v[i % M]!);
    const ssm: DiagonalSsm = {
      channels: M,
      modes: M,
      A: { re: rep(lin.A.re), im: rep(lin.A.im) },
      B: { re: rep(lin.B.re), im: rep(lin.B.im) },
      C,
      D: new Float64Array(M),
      logDt: new Float64Array(M).fill(Math.log(step)),
    };
    const { K, discrete } = ssmKernel(ssm, { L: Lf });
    for (let n = 0; n < M; n++) {
      const mod = Math.hypot(discrete.Abar.re[n]!, discrete.Abar.im[n]!);
      expect(Math.abs(mod - Math.exp(-step / 2))).toBeLessThan(4 * EPS);
      if (n === 0) continue;
      const spec = rfft(K.rowArray(n));
      let best = 0;
      let bestAbs = -1;
      for (let f = 0; f < spec.re.length; f++) {
        const a = Math.hypot(spec.re[f]!, spec.im[f]!);
        if (a > bestAbs) {
          bestAbs = a;
          best = f;
        }
      }
      const expected = ((n * step) / 2) * Lf; // πn rad/time · dt / 2π · L bins
      expect(Math.abs(best - expected)).toBeLessThanOrEqual(1);
    }
  });

  it('S4D-Inv frequencies approximate S4D-LegS’s (top mode ever closer as N grows)', () => {
    const top: number[] = [];
    const worst: number[] = [];
    for (const N of [16, 32, 64, 128]) {
      const legs = s4dDiagonal('legs', N);
      const inv = s4dDiagonal('inv', N);
      const M = N / 2;
      // LegS: Λ sorted by Im ascending (most negative first); Inv: Im descending from n = 0.
      let w = 1;
      for (let n = 0; n < M; n++) {
        const a = -legs.A.im[n]!;
        const b = inv.A.im[n]!;
        w = Math.max(w, a / b, b / a);
      }
      top.push(Math.abs(-legs.A.im[0]! - inv.A.im[0]!) / -legs.A.im[0]!);
      worst.push(w);
    }
    console.log(
      'S4D-Inv vs S4D-LegS: top-mode relative gap',
      top.map((e) => e.toFixed(4)).join(' '),
      '; worst ratio',
      worst.map((e) => e.toFixed(3)).join(' '),
    );
    for (let i = 1; i < top.length; i++) expect(top[i]).toBeLessThan(top[i - 1]!);
    expect(top[3]).toBeLessThan(0.01);
    for (const w of worst) expect(w).toBeLessThan(1.6);
  });
});
