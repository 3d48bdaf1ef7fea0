import {
  decomposeProjection,
  EPS,
  InvalidArgumentError,
  Matrix,
  matmul,
  NonFiniteError,
  qr,
  Rng,
  randn,
  ShapeError,
} from '@lr/core';
import { describe, expect, it } from 'vitest';
import { maxAbsDiff } from '../helpers.js';

const eps = EPS.float64;

function rotationFromEuler(a: number, b: number, c: number): Matrix {
  const Rz = (t: number) =>
    Matrix.from([
      [Math.cos(t), -Math.sin(t), 0],
      [Math.sin(t), Math.cos(t), 0],
      [0, 0, 1],
    ]);
  const Ry = (t: number) =>
    Matrix.from([
      [Math.cos(t), 0, Math.sin(t)],
      [0, 1, 0],
      [-Math.sin(t), 0, Math.cos(t)],
    ]);
  return matmul(matmul(Rz(a), Ry(b)), Rz(c));
}

function randomRotation(seed: number): Matrix {
  const Q = qr(randn(3, 3, { seed })).Q!;
  const d =
    Q.get(0, 0) * (Q.get(1, 1) * Q.get(2, 2) - Q.get(1, 2) * Q.get(2, 1)) -
    Q.get(0, 1) * (Q.get(1, 0) * Q.get(2, 2) - Q.get(1, 2) * Q.get(2, 0)) +
    Q.get(0, 2) * (Q.get(1, 0) * Q.get(2, 1) - Q.get(1, 1) * Q.get(2, 0));
  if (d < 0) for (let j = 0; j < 3; j++) Q.set(0, j, -Q.get(0, j));
  return Q;
}

function camera(K: Matrix, R: Matrix, t: number[], scale: number): Matrix {
  const Rt = new Matrix(new Float64Array(12), 3, 4);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) Rt.set(i, j, R.get(i, j));
    Rt.set(i, 3, t[i]!);
  }
  const P = matmul(K, Rt);
  for (let k = 0; k < 12; k++) P.data[k] = P.data[k]! * scale;
  return P;
}

describe('decomposeProjection (Hartley & Zisserman §6.2.4; claim #42)', () => {
  const rng = new Rng(42);
  const cases: { name: string; R: Matrix }[] = [
    ...Array.from({ length: 6 }, (_, i) => ({
      name: `random rotation ${i}`,
      R: randomRotation(100 + i),
    })),
    { name: 'identity', R: rotationFromEuler(0, 0, 0) },
    { name: 'gimbal lock (β = π/2)', R: rotationFromEuler(0.7, Math.PI / 2, -0.3) },
    {
      name: 'near gimbal lock (β = π/2 − 1e-9)',
      R: rotationFromEuler(0.2, Math.PI / 2 - 1e-9, 1.1),
    },
    {
      name: 'rotation by π about x',
      R: Matrix.from([
        [1, 0, 0],
        [0, -1, 0],
        [0, 0, -1],
      ]),
    },
    { name: 'β = π (upside down)', R: rotationFromEuler(1.3, Math.PI, 0.4) },
  ];
  for (const [ci, { name, R }] of cases.entries()) {
    for (const scale of [1, -1, 3.7e-4, -250]) {
      it(`round trip: ${name}, scale ${scale}`, () => {
        const fx = 300 + 1500 * rng.uniform();
        const fy = fx * (0.8 + 0.4 * rng.uniform());
        const skew = (rng.uniform() - 0.5) * 10;
        const K = Matrix.from([
          [fx, skew, 320 + 50 * rng.normal()],
          [0, fy, 240 + 50 * rng.normal()],
          [0, 0, 1],
        ]);
        const t = [rng.normal(), rng.normal(), 5 + rng.normal()];
        const P = camera(K, R, t, scale);
        const d = decomposeProjection(ci % 2 === 0 ? P : P.T.contiguous().T); // also a strided view
        expect(d.scale / scale).toBeCloseTo(1, 12);
        // measured over 200 random cameras: K ≤ 4ε·f_x, R ≤ 3.3ε, t ≤ 22ε, P·[C; 1] ≤ 0.45ε·‖P‖(‖C‖ + 1)
        expect(maxAbsDiff(d.K, K) / fx).toBeLessThan(20 * eps);
        expect(maxAbsDiff(d.R, R)).toBeLessThan(20 * eps);
        for (let i = 0; i < 3; i++) expect(Math.abs(d.t[i]! - t[i]!)).toBeLessThan(200 * eps);
        expect(d.K.get(2, 2)).toBe(1);
        for (let i = 0; i < 3; i++) expect(d.K.get(i, i)).toBeGreaterThan(0);
        expect(d.K.get(1, 0)).toBe(0);
        expect(d.rotationResidual).toBeLessThan(10 * eps);
        expect(d.reprojectionResidual).toBeLessThan(10 * eps);
        // the centre is P's right null vector, C = −Rᵀt
        const pn = Math.hypot(...P.toFloat64Array());
        const cn = Math.hypot(...d.center);
        for (let i = 0; i < 3; i++) {
          let s = P.get(i, 3);
          for (let j = 0; j < 3; j++) s += P.get(i, j) * d.center[j]!;
          expect(Math.abs(s)).toBeLessThan(10 * eps * pn * (cn + 1));
        }
      });
    }
  }

  it('returns a proper rotation (det +1) for a random P, and does not modify P', () => {
    const P = randn(3, 4, { seed: 7 });
    const copy = P.toFloat64Array();
    const d = decomposeProjection(P);
    expect(P.toFloat64Array()).toEqual(copy);
    const R = d.R;
    const det =
      R.get(0, 0) * (R.get(1, 1) * R.get(2, 2) - R.get(1, 2) * R.get(2, 1)) -
      R.get(0, 1) * (R.get(1, 0) * R.get(2, 2) - R.get(1, 2) * R.get(2, 0)) +
      R.get(0, 2) * (R.get(1, 0) * R.get(2, 1) - R.get(1, 1) * R.get(2, 0));
    expect(det).toBeCloseTo(1, 14);
    expect(d.rotationResidual).toBeLessThan(10 * eps);
    expect(d.reprojectionResidual).toBeLessThan(10 * eps);
  });

  it('rejects wrong shapes, singular M, zero and non-finite P', () => {
    expect(() => decomposeProjection(randn(3, 3))).toThrow(ShapeError);
    expect(() => decomposeProjection(randn(4, 3))).toThrow(/expected a 3×4 camera matrix/);
    expect(() => decomposeProjection([[1]] as never)).toThrow(InvalidArgumentError);
    const singular = Matrix.from([
      [1, 2, 3, 4],
      [2, 4, 6, 1],
      [0, 1, 1, 1],
    ]); // rows 0, 1 of M dependent
    expect(() => decomposeProjection(singular)).toThrow(/non-singular left 3×3 block/);
    expect(() => decomposeProjection(new Matrix(new Float64Array(12), 3, 4))).toThrow(
      InvalidArgumentError,
    );
    const bad = randn(3, 4, { seed: 1 });
    bad.set(1, 2, Number.NaN);
    expect(() => decomposeProjection(bad)).toThrow(NonFiniteError);
  });
});
