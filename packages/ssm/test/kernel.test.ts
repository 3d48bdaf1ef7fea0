import { describe, expect, it } from 'vitest';
import {
  discreteKernel,
  discretize,
  hippoLagT,
  hippoLegS,
  hippoLegT,
  nplrLegS,
  s4dDiagonal,
  s4dInit,
  ssmKernel,
} from '../src/index.js';
import { bankOf, EPS, naiveKernel, relErr } from './helpers.js';

describe('HiPPO matrices', () => {
  it('LegS: lower triangular with the documented entries', () => {
    const { A, B } = hippoLegS(5);
    expect(A.get(0, 0)).toBe(-1);
    expect(A.get(3, 3)).toBe(-4);
    expect(A.get(3, 1)).toBeCloseTo(-Math.sqrt(7 * 3), 14);
    expect(A.get(1, 3)).toBe(0);
    expect(B[4]).toBe(3);
  });
  it('LegT and LagT as S4 transition()', () => {
    const t = hippoLegT(3);
    expect(t.A.get(0, 1)).toBeCloseTo(0.5 * Math.sqrt(3), 14); // −½·√1·√3·(−1)
    expect(t.A.get(0, 2)).toBeCloseTo(-0.5 * Math.sqrt(5), 14);
    expect(t.A.get(2, 0)).toBeCloseTo(-0.5 * Math.sqrt(5), 14);
    expect(t.B[1]).toBeCloseTo(0.5 * Math.sqrt(3), 14);
    const g = hippoLagT(3);
    expect(g.A.toArray()).toEqual([
      [-0.5, 0, 0],
      [-1, -0.5, 0],
      [-1, -1, -0.5],
    ]);
  });
  it('NPLR: S = V_full Λ V_full* reconstructs A + PPᵀ, V has orthonormal columns', () => {
    const N = 32;
    const r = nplrLegS(N);
    const M = N / 2;
    let err = 0;
    let nrm = 0;
    for (let i = 0; i < N; i++) {
      for (let k = 0; k < N; k++) {
        // 2·Re Σ_n V_in Λ_n conj(V_kn)
        let s = 0;
        for (let n = 0; n < M; n++) {
          const vr = r.V.re[i * M + n]!;
          const vi = r.V.im[i * M + n]!;
          const wr = r.V.re[k * M + n]!;
          const wi = -r.V.im[k * M + n]!;
          const pr = vr * wr - vi * wi;
          const pi = vr * wi + vi * wr;
          s += 2 * (r.lambda.re[n]! * pr - r.lambda.im[n]! * pi);
        }
        const sik = r.S.get(i, k);
        err = Math.max(err, Math.abs(s - sik));
        nrm = Math.max(nrm, Math.abs(sik));
        expect(sik).toBeCloseTo(r.A.get(i, k) + r.P[i]! * r.P[k]!, 12);
      }
    }
    expect(err / (nrm * N * EPS)).toBeLessThan(100);
    // orthonormal columns: V*V = I
    for (let a = 0; a < M; a++) {
      for (let b = 0; b < M; b++) {
        let sr = 0;
        let si = 0;
        for (let i = 0; i < N; i++) {
          const xr = r.V.re[i * M + a]!;
          const xi = -r.V.im[i * M + a]!;
          const yr = r.V.re[i * M + b]!;
          const yi = r.V.im[i * M + b]!;
          sr += xr * yr - xi * yi;
          si += xr * yi + xi * yr;
        }
        expect(Math.abs(sr - (a === b ? 1 : 0)) + Math.abs(si)).toBeLessThan(100 * N * EPS);
      }
    }
    // all real parts −½, imaginary parts negative and ascending
    for (let n = 0; n < M; n++) {
      expect(r.lambda.re[n]).toBe(-0.5);
      expect(r.lambda.im[n]).toBeLessThan(0);
      if (n > 0) expect(r.lambda.im[n]).toBeGreaterThan(r.lambda.im[n - 1]!);
    }
  });
});

describe('nplrLegS cache', () => {
  it('returns fresh copies: mutating a result does not change the next', () => {
    const a = nplrLegS(8);
    const lam = a.lambda.im[0]!;
    a.lambda.im[0] = 123;
    a.V.re[0] = 7;
    a.S.set(0, 0, 9);
    const b = nplrLegS(8);
    expect(b.lambda.im[0]).toBe(lam);
    expect(b.V.re[0]).not.toBe(7);
    expect(b.S.get(0, 0)).toBe(-0.5);
  });
});

describe('S4D inits', () => {
  it('Lin / Inv / Real follow the formulas', () => {
    const lin = s4dDiagonal('lin', 8);
    expect(Array.from(lin.A.im)).toEqual([0, Math.PI, 2 * Math.PI, 3 * Math.PI]);
    expect(Array.from(lin.A.re)).toEqual([-0.5, -0.5, -0.5, -0.5]);
    const inv = s4dDiagonal('inv', 8);
    expect(inv.A.im[0]).toBeCloseTo((8 / Math.PI) * 7, 12);
    expect(inv.A.im[3]).toBeCloseTo((8 / Math.PI) * (8 / 7 - 1), 12);
    expect(Array.from(s4dDiagonal('real', 6).A.re)).toEqual([-1, -2, -3]);
    expect(Array.from(s4dDiagonal('real', 6).B.re)).toEqual([1, 1, 1]);
  });
  it('s4dInit: shapes, seeds, dt in range, C ~ complex normal', () => {
    const a = s4dInit({ N: 64, channels: 200, init: 'inv', seed: 3 });
    const b = s4dInit({ N: 64, channels: 200, init: 'inv', seed: 3 });
    const c = s4dInit({ N: 64, channels: 200, init: 'inv', seed: 4 });
    expect(a.C.re).toEqual(b.C.re);
    expect(a.C.re).not.toEqual(c.C.re);
    expect(a.A.re.length).toBe(200 * 32);
    for (const v of a.logDt) {
      expect(v).toBeGreaterThanOrEqual(Math.log(0.001));
      expect(v).toBeLessThan(Math.log(0.1));
    }
    let s2 = 0;
    for (let i = 0; i < a.C.re.length; i++) s2 += a.C.re[i]! ** 2 + a.C.im[i]! ** 2;
    expect(s2 / a.C.re.length).toBeGreaterThan(0.95); // E|C|² = 1, 6400 samples
    expect(s2 / a.C.re.length).toBeLessThan(1.05);
    const r = s4dInit({ N: 16, init: 'random', seed: 1 });
    for (const v of r.A.re) expect(v).toBeLessThan(0);
  });
});

describe('discretization', () => {
  it('ZOH: Ā = e^{dtA}, B̄ = (Ā − 1)/A·B; bilinear: the Tustin formulas', () => {
    const ssm = bankOf([[-0.3, 2]], [[1.5, -0.5]], [[1, 0]], 0, Math.log(0.2));
    const z = discretize(ssm);
    const dt = 0.2;
    const er = Math.exp(-0.3 * dt);
    expect(z.Abar.re[0]).toBeCloseTo(er * Math.cos(2 * dt), 15);
    expect(z.Abar.im[0]).toBeCloseTo(er * Math.sin(2 * dt), 15);
    // (Ā − 1)/A · B
    const nr = z.Abar.re[0]! - 1;
    const ni = z.Abar.im[0]!;
    const den = 0.3 ** 2 + 4;
    const qr = (nr * -0.3 + ni * 2) / den;
    const qi = (ni * -0.3 - nr * 2) / den;
    expect(z.Bbar.re[0]).toBeCloseTo(qr * 1.5 + qi * 0.5, 14);
    expect(z.Bbar.im[0]).toBeCloseTo(qi * 1.5 - qr * 0.5, 14);
    const b = discretize(ssm, { method: 'bilinear' });
    // (1 + dtA/2)/(1 − dtA/2)
    const pr = 1 - 0.03;
    const pi = 0.2;
    const sr = 1 + 0.03;
    const si = -0.2;
    const d2 = sr * sr + si * si;
    expect(b.Abar.re[0]).toBeCloseTo((pr * sr + pi * si) / d2, 15);
    expect(b.Abar.im[0]).toBeCloseTo((pi * sr - pr * si) / d2, 15);
    // exp(logĀ) = Ā
    const lr = b.logAbar.re[0]!;
    const li = b.logAbar.im[0]!;
    expect(Math.exp(lr) * Math.cos(li)).toBeCloseTo(b.Abar.re[0]!, 15);
    expect(Math.exp(lr) * Math.sin(li)).toBeCloseTo(b.Abar.im[0]!, 15);
  });
  it('ZOH B̄ stays accurate for tiny dt·A and at A = 0', () => {
    const ssm = bankOf(
      [
        [-1e-9, 1e-9],
        [0, 0],
      ],
      [
        [1, 0],
        [1, 0],
      ],
      [
        [1, 0],
        [1, 0],
      ],
      0,
      Math.log(1e-3),
    );
    const z = discretize(ssm);
    // dt·(e^z − 1)/z ≈ dt·(1 + z/2), z = dt·A = −1e-12 + 1e-12i
    expect(Math.abs(z.Bbar.re[0]! - 1e-3 * (1 - 0.5e-12)) / 1e-3).toBeLessThan(2 * EPS);
    expect(Math.abs(z.Bbar.im[0]! - 1e-3 * 0.5e-12) / 1e-15).toBeLessThan(1e-12);
    expect(z.Bbar.re[1]).toBe(z.dt[0]);
    expect(z.Bbar.im[1]).toBe(0);
  });
});

describe('Vandermonde kernel', () => {
  for (const [N, H, L, init, method] of [
    [8, 3, 1, 'lin', 'zoh'],
    [8, 3, 7, 'inv', 'bilinear'],
    [16, 2, 100, 'legs', 'zoh'],
    [64, 4, 1000, 'inv', 'zoh'],
    [32, 5, 4096, 'lin', 'bilinear'],
    [12, 2, 997, 'real', 'zoh'],
    [10, 2, 333, 'random', 'bilinear'],
  ] as const) {
    it(`equals the state-space recurrence: N=${N} H=${H} L=${L} ${init} ${method}`, () => {
      const ssm = s4dInit({ N, channels: H, init, seed: N + L });
      const { K, discrete } = ssmKernel(ssm, { L, method });
      expect(K.rows).toBe(H);
      expect(K.cols).toBe(L);
      const ref = naiveKernel(discrete, L);
      // per-term phase error ≈ l·|dt·A|·ε; scale the tolerance by L·max|dtA| + 1
      let zmax = 0;
      for (let i = 0; i < discrete.logAbar.im.length; i++)
        zmax = Math.max(zmax, Math.hypot(discrete.logAbar.re[i]!, discrete.logAbar.im[i]!));
      expect(relErr(K.data, ref)).toBeLessThan(50 * (L * zmax + N) * EPS);
    });
  }
  it('discreteKernel equals ssmKernel', () => {
    const ssm = s4dInit({ N: 8, channels: 2 });
    const d = discretize(ssm);
    expect(discreteKernel(d, 50).data).toEqual(ssmKernel(ssm, { L: 50 }).K.data);
  });
  it('is fast: H = 256, N = 64, L = 16384', () => {
    const ssm = s4dInit({ N: 64, channels: 256, init: 'inv', seed: 1 });
    const { K, seconds } = ssmKernel(ssm, { L: 16384 });
    expect(K.data.length).toBe(256 * 16384);
    console.log(`ssmKernel H=256 N=64 L=16384: ${(seconds * 1000).toFixed(0)} ms`);
    expect(seconds).toBeLessThan(5);
  });
});
