// PTD (Yu et al., ICLR 2024): the objective's gradient against finite differences, the
// shipped tables against a fresh optimisation (N = 16) and their diagnostics, ptdInit's
// construction, and bad input.
import { Matrix, Rng } from '@lr/core';
import { describe, expect, it } from 'vitest';
import { hippoLegS } from '../src/hippo.js';
import { ssmKernel } from '../src/kernel.js';
import { _ptdObjective, ptdDiagonalize, ptdInit, ptdPerturbation } from '../src/ptd.js';
import { PTD_TABLES } from '../src/ptd-tables/index.js';
import { hippoDiagonalBank } from '../src/robustness.js';

function hippoData(n: number): Float64Array {
  return hippoLegS(n).A.data as Float64Array;
}

describe('PTD objective J(E) = Σκ(λ_i)² + δ‖E‖_F', () => {
  it('analytic gradient matches central differences (n = 6, random E)', () => {
    const n = 6;
    const a = hippoData(n);
    const rng = new Rng(3);
    const e = new Float64Array(n * n);
    rng.fillNormal(e);
    for (let k = 0; k < e.length; k++) e[k] = e[k]! * 0.8;
    const d = new Float64Array(n * n);
    rng.fillNormal(d);
    const g = _ptdObjective(a, e, n, 0.25, true).grad!;
    let slope = 0;
    for (let k = 0; k < d.length; k++) slope += g[k]! * d[k]!;
    const h = 1e-6;
    const fp = _ptdObjective(
      a,
      e.map((v, k) => v + h * d[k]!),
      n,
      0.25,
      false,
    ).f;
    const fm = _ptdObjective(
      a,
      e.map((v, k) => v - h * d[k]!),
      n,
      0.25,
      false,
    ).f;
    const fd = (fp - fm) / (2 * h);
    console.log(`gradient check: analytic ${slope}, central difference ${fd}`);
    expect(Math.abs(fd - slope)).toBeLessThan(1e-5 * Math.abs(slope));
  });

  it('Σκ(λ_i)² ≥ n, with equality for a normal matrix (E = P·Pᵀ: the S4D normal part)', () => {
    const n = 8;
    const e = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) e[i * n + j] = Math.sqrt(i + 0.5) * Math.sqrt(j + 0.5);
    }
    const r = _ptdObjective(hippoData(n), e, n, 0, false);
    expect(Math.abs(r.kappaSum - n)).toBeLessThan(1e-10);
    const raw = _ptdObjective(hippoData(n), new Float64Array(n * n), n, 0, false);
    expect(raw.kappaSum).toBeGreaterThan(1e6);
  });
});

describe('shipped PTD tables', () => {
  it('N = 16: the table equals a fresh optimisation with the default options', () => {
    const fresh = ptdPerturbation({ N: 16, useTable: false });
    const table = ptdPerturbation({ N: 16 });
    expect(table.diagnostics.fromTable).toBe(true);
    expect(fresh.diagnostics.fromTable).toBe(false);
    expect(fresh.diagnostics.iterations).toBe(PTD_TABLES[16]!.iterations);
    // the table stores E rounded to float32: |ΔE| ≤ 2⁻²⁴·|E| per entry
    for (let i = 0; i < 8; i++) {
      for (let j = 0; j < 8; j++) {
        const f = fresh.E.get(i, j);
        expect(Math.abs(table.E.get(i, j) - f)).toBeLessThanOrEqual(2 ** -24 * Math.abs(f));
      }
    }
    expect(table.diagnostics.kappaV).toBeCloseTo(fresh.diagnostics.kappaV, 5);
    expect(table.diagnostics.relPerturbation).toBeCloseTo(fresh.diagnostics.relPerturbation, 6);
  });

  it('every table: κ₂(V) < 20 (unperturbed: 1e4…1e19+), ‖E‖/‖A‖ in [1e-2, 1], backward error at rounding level', () => {
    const lines: string[] = [];
    for (const N of [16, 32, 64, 128, 256]) {
      const r = ptdPerturbation({ N });
      const d = r.diagnostics;
      const raw = hippoDiagonalBank('unperturbed', { N }).diagonalization.diagnostics;
      lines.push(
        `N=${N}: κ₂(V) ${d.kappaV.toFixed(2)} (unperturbed ${raw.kappaV.toExponential(1)}), ` +
          `‖E‖/‖A‖ ${d.relPerturbation.toFixed(4)}, backward error ${d.backwardError.toExponential(1)}, ` +
          `iterations ${d.iterations}, reflected ${d.reflected}`,
      );
      expect(d.fromTable).toBe(true);
      expect(d.kappaV).toBeLessThan(20);
      expect(d.kappaV).toBeLessThan(1e-3 * raw.kappaV);
      expect(d.kappaV).toBeCloseTo(PTD_TABLES[N]!.kappaV, 6);
      expect(d.relPerturbation).toBeGreaterThanOrEqual(1e-2);
      expect(d.relPerturbation).toBeLessThanOrEqual(1);
      expect(d.backwardError).toBeLessThan(1e-13);
      for (let k = 0; k < N / 2; k++) expect(r.lambda.re[k]).toBeLessThan(0);
    }
    console.log(lines.join('\n'));
  }, 30_000);
});

describe('ptdInit', () => {
  it('builds A = Λ, B = V⁻¹B, C = c·V with M = N/2 modes per channel', () => {
    const { ssm, ptd } = ptdInit({ N: 32, channels: 3, seed: 5 });
    expect(ssm.modes).toBe(16);
    expect(ssm.channels).toBe(3);
    expect(ptd.diagnostics.fromTable).toBe(true);
    for (let k = 0; k < 48; k++) expect(ssm.A.re[k]).toBeLessThan(0);
    // the same draws as hippoDiagonalBank('ptd'): identical kernels
    const bank = hippoDiagonalBank('ptd', { N: 32, channels: 3, seed: 5 });
    const K1 = ssmKernel(ssm, { L: 64 }).K;
    const K2 = ssmKernel(bank.ssm, { L: 64 }).K;
    expect(Array.from(K1.data)).toEqual(Array.from(K2.data));
    // V⁻¹·B recovers B_HiPPO through V
    const { B } = hippoLegS(16);
    for (let i = 0; i < 16; i++) {
      let sr = 0;
      let si = 0;
      for (let k = 0; k < 16; k++) {
        sr += ptd.V.re[i * 16 + k]! * ptd.B.re[k]! - ptd.V.im[i * 16 + k]! * ptd.B.im[k]!;
        si += ptd.V.re[i * 16 + k]! * ptd.B.im[k]! + ptd.V.im[i * 16 + k]! * ptd.B.re[k]!;
      }
      expect(sr).toBeCloseTo(B[i]!, 10);
      expect(si).toBeCloseTo(0, 10);
    }
  });

  it('non-default options optimise (and report progress); N without a table optimises', () => {
    let calls = 0;
    const r = ptdPerturbation({ N: 12, delta: 1, onProgress: () => calls++ });
    expect(r.diagnostics.fromTable).toBe(false);
    expect(r.diagnostics.iterations).toBeGreaterThan(0);
    expect(calls).toBe(r.diagnostics.history.length - 1);
    expect(r.diagnostics.kappaV).toBeLessThan(10);
    // the objective never increases (Armijo steps)
    const h = r.diagnostics.history;
    for (let k = 1; k < h.length; k++) expect(h[k]!).toBeLessThanOrEqual(h[k - 1]!);
  });

  it('ptdDiagonalize(0) is the plain eigen-decomposition of HiPPO-LegS', () => {
    const r = ptdDiagonalize(new Matrix(new Float64Array(64), 8, 8));
    expect(r.diagnostics.backwardError).toBeLessThan(1e-14);
    const sorted = Array.from(r.lambda.re).sort((x, y) => y - x);
    for (let k = 0; k < 8; k++) expect(sorted[k]).toBe(-(k + 1));
    expect(r.diagnostics.kappaV).toBeGreaterThan(1e3);
  });

  it('bad input: odd N, bad options, abort', () => {
    expect(() => ptdInit({ N: 15 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => ptdInit({ delta: -1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => ptdInit({ useTable: 1 as unknown as boolean })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    const ac = new AbortController();
    ac.abort();
    expect(() => ptdPerturbation({ N: 16, useTable: false, signal: ac.signal })).toThrow(
      expect.objectContaining({ code: 'ABORTED' }),
    );
  });
});
