import { Tensor } from '@lr/core';
import { describe, expect, it } from 'vitest';
import {
  causalConvolve,
  discretize,
  s4dInit,
  ssmConvolve,
  ssmKernel,
  ssmRecurrence,
  ssmScan,
} from '../src/index.js';
import { directConv, EPS, noise, relErr } from './helpers.js';

describe('convolution = recurrence = scan', () => {
  const cases = [
    [1, 2, 1, 1, 'lin', 'zoh'],
    [2, 4, 2, 3, 'inv', 'zoh'],
    [3, 8, 3, 2, 'legs', 'bilinear'],
    [100, 16, 2, 2, 'inv', 'zoh'],
    [257, 64, 3, 1, 'lin', 'bilinear'],
    [1000, 32, 4, 2, 'legs', 'zoh'],
    [1023, 10, 2, 2, 'real', 'zoh'],
    [4096, 64, 2, 1, 'random', 'zoh'],
  ] as const;
  for (const [L, N, H, batch, init, method] of cases) {
    it(`L=${L} N=${N} H=${H} batch=${batch} ${init} ${method}`, () => {
      const ssm = s4dInit({ N, channels: H, init, seed: L * 7 + N });
      const u = new Tensor(noise(batch * L * H, L + N), [batch, L, H]);
      const yc = ssmConvolve(ssm, u, { method });
      const yr = ssmRecurrence(ssm, u, { method });
      const ys = ssmScan(ssm, u, { method });
      expect(yr.y.shape).toEqual([batch, L, H]);
      const tol = 20 * (Math.log2(2 * L) + N) * EPS;
      const c = yc.data;
      const r = yr.y.data;
      const s = ys.y.data;
      expect(relErr(c, r)).toBeLessThan(tol);
      expect(relErr(s, r)).toBeLessThan(tol);
      expect(relErr(ys.state.re, yr.state.re)).toBeLessThan(tol);
      expect(relErr(ys.state.im, yr.state.im)).toBeLessThan(tol);
    });
  }

  it('causalConvolve equals the direct O(L²) sum, both layouts', () => {
    const ssm = s4dInit({ N: 16, channels: 3, seed: 5 });
    const L = 77;
    const { K } = ssmKernel(ssm, { L });
    const u = new Tensor(noise(2 * 3 * L, 9), [2, 3, L]); // BHL
    const y = causalConvolve(u, K, { D: ssm.D, layout: 'BHL' });
    for (let b = 0; b < 2; b++) {
      for (let h = 0; h < 3; h++) {
        const uu = u.data.subarray((b * 3 + h) * L, (b * 3 + h + 1) * L);
        const ref = directConv(K.rowArray(h), uu).map((v, l) => v + ssm.D[h]! * uu[l]!);
        const got = y.data.subarray((b * 3 + h) * L, (b * 3 + h + 1) * L);
        expect(relErr(got, ref)).toBeLessThan(20 * Math.log2(2 * L) * EPS * 10);
      }
    }
    // the same data in BLH layout gives the transposed output
    const uBlh = u.permute([0, 2, 1]); // a strided view [2, L, 3]
    const y2 = causalConvolve(uBlh, K, { D: ssm.D });
    expect(y2.shape).toEqual([2, L, 3]);
    expect(relErr(y2.permute([0, 2, 1]).contiguous().data, y.data)).toBeLessThan(EPS * 8);
  });

  it('streaming: two chunks with initialState equal one pass (recurrence and scan)', () => {
    const ssm = s4dInit({ N: 32, channels: 2, init: 'legs', seed: 2 });
    const L = 300;
    const u = new Tensor(noise(L * 2, 3), [L, 2]);
    const full = ssmRecurrence(ssm, u).y.data;
    const first = new Tensor(u.data.slice(0, 120 * 2), [120, 2]);
    const second = new Tensor(u.data.slice(120 * 2), [L - 120, 2]);
    for (const run of [ssmRecurrence, ssmScan]) {
      const a = run(ssm, first);
      const b = run(ssm, second, { initialState: a.state });
      const joined = new Float64Array(L * 2);
      joined.set(a.y.data);
      joined.set(b.y.data, 240);
      expect(relErr(joined, full)).toBeLessThan(100 * EPS * 32);
    }
  });

  it('does not modify its inputs', () => {
    const ssm = s4dInit({ N: 8, channels: 2, seed: 1 });
    const before = JSON.stringify([...ssm.A.re, ...ssm.C.im, ...ssm.logDt]);
    const u = new Tensor(noise(40, 1), [20, 2]);
    const u0 = Float64Array.from(u.data);
    ssmConvolve(ssm, u);
    ssmScan(ssm, u);
    ssmRecurrence(ssm, u);
    discretize(ssm);
    expect(u.data).toEqual(u0);
    expect(JSON.stringify([...ssm.A.re, ...ssm.C.im, ...ssm.logDt])).toBe(before);
  });
});
