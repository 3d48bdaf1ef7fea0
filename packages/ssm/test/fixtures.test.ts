import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hippoLegS, nplrLegS, ssmKernel } from '../src/index.js';
import { EPS, maxAbsDiff, relErr } from './helpers.js';

// Made by fixtures/make_fixtures.py (numpy/scipy); see its docstring.
const fx = JSON.parse(readFileSync(new URL('./fixtures/fixtures.json', import.meta.url), 'utf8'));

describe('numpy/scipy fixtures', () => {
  it('HiPPO-LegS A and B (N = 8) equal numpy to the last bit', () => {
    const { A, B } = hippoLegS(8);
    expect(maxAbsDiff(A.data, fx.hippo_legs_8.A)).toBe(0);
    expect(maxAbsDiff(B, fx.hippo_legs_8.B)).toBe(0);
  });

  for (const N of [16, 64]) {
    it(`NPLR eigenvalues of LegS (N = ${N}) match numpy.linalg.eig, and |V*B| too`, () => {
      const ref = fx[`nplr_${N}`];
      const r = nplrLegS(N);
      const scale = Math.abs(ref.im[0]);
      // eigenvalues: absolute error ≤ 10·N·ε·|λ|max (both solvers are backward stable)
      expect(maxAbsDiff(r.lambda.re, ref.re)).toBeLessThan(10 * N * EPS * scale);
      expect(maxAbsDiff(r.lambda.im, ref.im)).toBeLessThan(10 * N * EPS * scale);
      const absBt = r.Btilde.re.map((x, i) => Math.hypot(x, r.Btilde.im[i]!));
      expect(relErr(absBt, ref.absBtilde)).toBeLessThan(1e-9);
    });
  }

  it('S4D-Lin ZOH kernel matches scipy expm of the real 2M×2M realisation', () => {
    const f = fx.s4d_lin_zoh;
    const M = f.N / 2;
    const H = f.H;
    const rep = (v: number[]) => Float64Array.from({ length: H * M }, (_, i) => v[i % M]!);
    const ssm = {
      channels: H,
      modes: M,
      A: {
        re: rep(Array(M).fill(-0.5)),
        im: rep(Array.from({ length: M }, (_, n) => Math.PI * n)),
      },
      B: { re: rep(Array(M).fill(1)), im: new Float64Array(H * M) },
      C: { re: Float64Array.from(f.Cre.flat()), im: Float64Array.from(f.Cim.flat()) },
      D: new Float64Array(H),
      logDt: Float64Array.from(f.logDt),
    };
    const { K } = ssmKernel(ssm, { L: f.L });
    const ref = (f.K as number[][]).flat();
    expect(relErr(K.data, ref)).toBeLessThan(1e-12);
  });
});
