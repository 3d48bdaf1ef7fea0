import { FormatError, readSafetensors, Tensor, writeSafetensors } from '@lr/core';
import { describe, expect, it } from 'vitest';
import {
  type DiagonalSsm,
  S4DLayer,
  S5Layer,
  s4dInit,
  s4dToSafetensors,
  s5Init,
  s5ToSafetensors,
  ssmRecurrence,
} from '../src/index.js';
import { EPS, noise, relErr } from './helpers.js';

describe('S4DLayer', () => {
  const ssm = s4dInit({ N: 32, channels: 3, init: 'legs', seed: 8 });

  it('forward: conv = recurrence = scan, and equals ssmRecurrence', () => {
    const layer = new S4DLayer(ssm);
    const u = new Tensor(noise(2 * 200 * 3, 4), [2, 200, 3]);
    const a = layer.forward(u, 'conv').data;
    const b = layer.forward(u, 'recurrence').data;
    const c = layer.forward(u, 'scan').data;
    const d = layer.forward(u).data; // auto → conv at L = 200
    const ref = ssmRecurrence(ssm, u).y.data;
    const tol = 20 * (Math.log2(400) + 32) * EPS;
    expect(relErr(a, ref)).toBeLessThan(tol);
    expect(relErr(b, ref)).toBe(0);
    expect(relErr(c, ref)).toBeLessThan(tol);
    expect(d).toEqual(a);
  });

  it('step (streaming) reproduces forward sample by sample, batch 2', () => {
    const layer = new S4DLayer(ssm, { layout: 'BHL' });
    const L = 50;
    const u = new Tensor(noise(2 * 3 * L, 5), [2, 3, L]);
    const y = layer.forward(u, 'recurrence').data;
    layer.reset(2);
    const out = new Float64Array(2 * 3 * L);
    for (let l = 0; l < L; l++) {
      const uk = new Float64Array(6);
      for (let b = 0; b < 2; b++)
        for (let h = 0; h < 3; h++) uk[b * 3 + h] = u.data[(b * 3 + h) * L + l]!;
      const yk = layer.step(uk);
      for (let b = 0; b < 2; b++)
        for (let h = 0; h < 3; h++) out[(b * 3 + h) * L + l] = yk[b * 3 + h]!;
    }
    expect(relErr(out, y)).toBe(0);
    expect(layer.state!.re.length).toBe(2 * 3 * 16);
  });

  it('safetensors round trip (S4D reference names), F64 exact and F32 within float32 rounding', () => {
    const bytes = s4dToSafetensors(ssm);
    const names = readSafetensors(bytes)
      .tensors.map((t) => t.name)
      .sort();
    expect(names).toEqual(['A_imag', 'B', 'C', 'D', 'log_A_real', 'log_dt']);
    const layer = S4DLayer.fromSafetensors(bytes);
    expect(layer.ssm.C.re).toEqual(ssm.C.re);
    expect(relErr(layer.ssm.A.re, ssm.A.re)).toBeLessThan(4 * EPS);
    const f32 = S4DLayer.fromSafetensors(
      s4dToSafetensors(ssm, { dtype: 'F32', prefix: 'layers.0.kernel.' }),
    );
    expect(relErr(f32.ssm.C.im, ssm.C.im)).toBeLessThan(2 ** -23);
    const u = new Tensor(noise(100 * 3, 1), [100, 3]);
    // float32 parameters perturb each phase l·dt·Im A by up to l·|dt·A|·2⁻²⁴: bound by L·max|dtA|·2⁻²³
    let zmax = 0;
    for (let k = 0; k < layer.discrete.logAbar.re.length; k++)
      zmax = Math.max(
        zmax,
        Math.hypot(layer.discrete.logAbar.re[k]!, layer.discrete.logAbar.im[k]!),
      );
    expect(relErr(f32.forward(u).data, layer.forward(u).data)).toBeLessThan(100 * zmax * 2 ** -23);
  });

  it('reads the minimal S4D layout: no B, C as [1, H, M, 2], log_A_real, prefix lookup', () => {
    const H = 2;
    const M = 4;
    const C = new Float64Array(H * M * 2).map((_, i) => (i % 3) - 1);
    const bytes = writeSafetensors({
      'kernel.log_dt': new Tensor(Float64Array.of(Math.log(0.01), Math.log(0.05)), [H]),
      'kernel.log_A_real': new Tensor(new Float64Array(H * M).fill(Math.log(0.5)), [H, M]),
      'kernel.A_imag': new Tensor(
        Float64Array.from({ length: H * M }, (_, i) => Math.PI * (i % M)),
        [H, M],
      ),
      'kernel.C': new Tensor(C, [1, H, M, 2]),
      D: new Tensor(Float64Array.of(0.5, -1), [H]),
    });
    const layer = S4DLayer.fromSafetensors(bytes);
    expect(Array.from(layer.ssm.A.re)).toEqual(new Array(H * M).fill(-0.5));
    expect(Array.from(layer.ssm.B.re)).toEqual(new Array(H * M).fill(1));
    expect(Array.from(layer.ssm.D)).toEqual([0.5, -1]);
    expect(() => S4DLayer.fromSafetensors(bytes, { prefix: 'nope.' })).toThrow(FormatError);
  });

  it('bad weights → FORMAT', () => {
    const bad = writeSafetensors({
      log_dt: new Tensor(new Float64Array(2), [2]),
      A_imag: new Tensor(new Float64Array(8), [2, 4]),
      log_A_real: new Tensor(new Float64Array(8), [2, 4]),
      C: new Tensor(new Float64Array(16), [2, 8, 1]), // should be [2, 4, 2]
    });
    expect(() => S4DLayer.fromSafetensors(bad)).toThrow(
      expect.objectContaining({ code: 'FORMAT' }),
    );
    expect(() => S4DLayer.fromSafetensors(new Uint8Array(10))).toThrow(
      expect.objectContaining({ code: 'FORMAT' }),
    );
  });
});

describe('S5Layer', () => {
  it('scan = recurrence = step, and a brute-force convolution sum', () => {
    const params = s5Init({ H: 3, P: 8, seed: 2 });
    const layer = new S5Layer(params);
    const L = 37;
    const u = new Tensor(noise(2 * L * 3, 6), [2, L, 3]);
    const ys = layer.forward(u).data;
    const yr = layer.forward(u, 'recurrence').data;
    expect(relErr(ys, yr)).toBeLessThan(100 * Math.log2(64) * EPS);
    // brute force: y_k = 2·Re(C̃ Σ_{j≤k} Λ̄^{k−j} B̄ u_j) + D u_k
    const { H, P } = params;
    const ref = new Float64Array(2 * L * H);
    for (let b = 0; b < 2; b++) {
      for (let k = 0; k < L; k++) {
        for (let h = 0; h < H; h++) {
          let s = 0;
          for (let q = 0; q < P; q++) {
            let xr = 0;
            let xi = 0;
            for (let j = 0; j <= k; j++) {
              let vr = 0;
              let vi = 0;
              for (let g = 0; g < H; g++) {
                const ug = u.data[b * L * H + j * H + g]!;
                vr += layer.Bbar.re[q * H + g]! * ug;
                vi += layer.Bbar.im[q * H + g]! * ug;
              }
              const m = Math.exp(
                (k - j) * Math.log(Math.hypot(layer.Lbar.re[q]!, layer.Lbar.im[q]!)),
              );
              const th = (k - j) * Math.atan2(layer.Lbar.im[q]!, layer.Lbar.re[q]!);
              const pr = m * Math.cos(th);
              const pi = m * Math.sin(th);
              xr += pr * vr - pi * vi;
              xi += pr * vi + pi * vr;
            }
            s += params.C.re[h * P + q]! * xr - params.C.im[h * P + q]! * xi;
          }
          ref[b * L * H + k * H + h] = 2 * s + params.D[h]! * u.data[b * L * H + k * H + h]!;
        }
      }
    }
    expect(relErr(ys, ref)).toBeLessThan(1e3 * EPS);
    layer.reset(2);
    const st = new Float64Array(2 * L * 3);
    for (let k = 0; k < L; k++) {
      const uk = Float64Array.of(
        ...u.data.subarray(k * 3, k * 3 + 3),
        ...u.data.subarray(L * 3 + k * 3, L * 3 + k * 3 + 3),
      );
      const yk = layer.step(uk);
      st.set(yk.subarray(0, 3), k * 3);
      st.set(yk.subarray(3), L * 3 + k * 3);
    }
    expect(relErr(st, yr)).toBeLessThan(10 * EPS);
  });

  it('with H = 1 and one step size it is the S4D SSM with A = Λ, B = B̃, C = C̃', () => {
    const p = s5Init({ H: 1, P: 6, seed: 3 });
    p.logStep.fill(Math.log(0.03));
    const ssm: DiagonalSsm = {
      channels: 1,
      modes: 6,
      A: p.Lambda,
      B: { re: p.B.re, im: p.B.im },
      C: { re: p.C.re, im: p.C.im },
      D: p.D,
      logDt: Float64Array.of(Math.log(0.03)),
    };
    const u = new Tensor(noise(300, 2), [300, 1]);
    for (const method of ['zoh', 'bilinear'] as const) {
      const a = new S5Layer(p, { method }).forward(u).data;
      const b = new S4DLayer(ssm, { method }).forward(u, 'recurrence').data;
      expect(relErr(a, b)).toBeLessThan(200 * EPS);
    }
  });

  it('safetensors round trip', () => {
    const p = s5Init({ H: 2, P: 4, seed: 1 });
    const layer = S5Layer.fromSafetensors(s5ToSafetensors(p));
    expect(layer.params.B.re).toEqual(p.B.re);
    expect(layer.params.C.im).toEqual(p.C.im);
    expect(layer.params.conjSym).toBe(true);
  });
});
