// Comparison tools: kernelDistance, fourierModeResponse (exact values on a delta kernel),
// hippoDiagonalBank (the same draws for every kind), and the readout's state features
// against ssmRecurrence.
import { Matrix, Tensor } from '@lr/core';
import { describe, expect, it } from 'vitest';
import { s4dInit } from '../src/inits.js';
import { ssmStateFeatures } from '../src/readout.js';
import { ssmRecurrence } from '../src/recurrence.js';
import { fourierModeResponse, hippoDiagonalBank, kernelDistance } from '../src/robustness.js';

describe('kernelDistance', () => {
  it('is 0 for equal kernels and the relative L2 error per channel', () => {
    const R = Matrix.from([
      [3, 4],
      [1, 0],
    ]);
    expect(kernelDistance(R, R).max).toBe(0);
    const d = kernelDistance(
      Matrix.from([
        [3, 4],
        [1, 1],
      ]),
      R,
    );
    expect(Array.from(d.perChannel)).toEqual([0, 1]);
    expect(d.mean).toBe(0.5);
    expect(() => kernelDistance(Matrix.from([[1, 2, 3]]), R)).toThrow(
      expect.objectContaining({ code: 'SHAPE_MISMATCH' }),
    );
  });
});

describe('fourierModeResponse', () => {
  it('delta kernel: relative change ε/√2 at every integer frequency', () => {
    const L = 256;
    const K = new Matrix(new Float64Array(L), 1, L);
    K.set(0, 0, 1);
    const u = Float64Array.from({ length: L }, (_, l) => Math.cos(l / 3) + 0.2);
    const r = fourierModeResponse(K, u, { epsilon: 0.1, frequencies: [1, 7, 64] });
    for (const v of r.relChange) expect(v).toBeCloseTo(0.1 / Math.SQRT2, 12);
    expect(r.perChannel.length).toBe(3);
  });

  it('bad input', () => {
    const K = new Matrix(new Float64Array(8), 1, 8);
    expect(() => fourierModeResponse(K, new Float64Array(7))).toThrow(
      expect.objectContaining({ code: 'SHAPE_MISMATCH' }),
    );
    expect(() => fourierModeResponse(K, new Float64Array(8), { epsilon: -1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});

describe('hippoDiagonalBank', () => {
  it('every kind shares log dt, c and D for a seed; hippoC = 2·Re c', () => {
    const a = hippoDiagonalBank('ptd', { N: 16, channels: 2, seed: 4 });
    const b = hippoDiagonalBank('s4d-legs', { N: 16, channels: 2, seed: 4 });
    expect(Array.from(a.ssm.logDt)).toEqual(Array.from(b.ssm.logDt));
    expect(Array.from(a.ssm.D)).toEqual(Array.from(b.ssm.D));
    expect(Array.from(a.hippoC.data)).toEqual(Array.from(b.hippoC.data));
    expect(b.diagonalization.diagnostics.kappaV).toBeCloseTo(1, 10); // normal matrix
    expect(() => hippoDiagonalBank('nope' as 'ptd')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});

describe('ssmStateFeatures', () => {
  it('y = 2·Re(C·x) + D·u from the features equals ssmRecurrence', () => {
    const ssm = s4dInit({ N: 8, channels: 3, init: 'inv', seed: 2 });
    const T = 50;
    const u = Float64Array.from({ length: T }, (_, t) => Math.sin(t / 4));
    const F = ssmStateFeatures(ssm, u);
    expect(F.cols).toBe(2 * 3 * 4);
    // every channel reads the same u: input [1, T, H]
    const uu = new Float64Array(T * 3);
    for (let t = 0; t < T; t++) for (let h = 0; h < 3; h++) uu[t * 3 + h] = u[t]!;
    const { y } = ssmRecurrence(ssm, new Tensor(uu, [1, T, 3]));
    for (let t = 0; t < T; t++) {
      for (let h = 0; h < 3; h++) {
        let v = ssm.D[h]! * u[t]!;
        for (let n = 0; n < 4; n++) {
          const k = h * 4 + n;
          v += 2 * (ssm.C.re[k]! * F.get(t, 2 * k) - ssm.C.im[k]! * F.get(t, 2 * k + 1));
        }
        expect(v).toBeCloseTo(y.data[t * 3 + h]!, 10);
      }
    }
  });
});
