import { Matrix, Tensor } from '@lr/core';
import { describe, expect, it } from 'vitest';
import {
  causalConvolve,
  type DiagonalSsm,
  diagonalTransfer,
  discreteKernel,
  discretize,
  dplrTransfer,
  hippoLegS,
  kernelFromTransfer,
  logUniformDt,
  nplrLegS,
  S4DLayer,
  s4dDiagonal,
  s4dInit,
  ssmConvolve,
  ssmKernel,
  ssmRecurrence,
  ssmScan,
  unitCircle,
} from '../src/index.js';

const good = s4dInit({ N: 8, channels: 2, seed: 1 });
const u = new Tensor(new Float64Array(20), [10, 2]);

function withField(key: keyof DiagonalSsm, f: (s: DiagonalSsm) => void): DiagonalSsm {
  const s: DiagonalSsm = {
    ...good,
    A: { re: good.A.re.slice(), im: good.A.im.slice() },
    B: { re: good.B.re.slice(), im: good.B.im.slice() },
    C: { re: good.C.re.slice(), im: good.C.im.slice() },
    D: good.D.slice(),
    logDt: good.logDt.slice(),
  };
  f(s);
  void key;
  return s;
}

const cases: [string, () => unknown, string][] = [
  // state size
  ['s4dInit N odd', () => s4dInit({ N: 7 }), 'INVALID_ARGUMENT'],
  ['s4dInit N = 0', () => s4dInit({ N: 0 }), 'INVALID_ARGUMENT'],
  ['s4dInit N NaN', () => s4dInit({ N: Number.NaN }), 'INVALID_ARGUMENT'],
  ['s4dInit N huge', () => s4dInit({ N: 1e9 }), 'INVALID_ARGUMENT'],
  ['s4dDiagonal N odd', () => s4dDiagonal('lin', 5), 'INVALID_ARGUMENT'],
  ['nplrLegS N odd', () => nplrLegS(9), 'INVALID_ARGUMENT'],
  ['hippoLegS N = 0', () => hippoLegS(0), 'INVALID_ARGUMENT'],
  ['s4dInit unknown init', () => s4dInit({ init: 'foo' as 'lin' }), 'INVALID_ARGUMENT'],
  // dt range
  ['dtMin > dtMax', () => s4dInit({ dtMin: 0.1, dtMax: 0.01 }), 'INVALID_ARGUMENT'],
  ['dtMin = 0', () => s4dInit({ dtMin: 0 }), 'INVALID_ARGUMENT'],
  ['dtMin < 0', () => s4dInit({ dtMin: -1 }), 'INVALID_ARGUMENT'],
  ['dtMax = Infinity', () => s4dInit({ dtMax: Number.POSITIVE_INFINITY }), 'INVALID_ARGUMENT'],
  ['dtMin NaN', () => logUniformDt(2, Number.NaN, 0.1), 'INVALID_ARGUMENT'],
  ['channels = 0', () => logUniformDt(0, 0.001, 0.1), 'INVALID_ARGUMENT'],
  // kernel length
  ['L = 0', () => ssmKernel(good, { L: 0 }), 'INVALID_ARGUMENT'],
  ['L < 0', () => ssmKernel(good, { L: -5 }), 'INVALID_ARGUMENT'],
  ['L fractional', () => ssmKernel(good, { L: 2.5 }), 'INVALID_ARGUMENT'],
  ['L missing', () => ssmKernel(good, {} as { L: number }), 'INVALID_ARGUMENT'],
  ['kernelFromTransfer L = 0', () => kernelFromTransfer(good, { L: 0 }), 'INVALID_ARGUMENT'],
  ['method unknown', () => discretize(good, { method: 'euler' as 'zoh' }), 'INVALID_ARGUMENT'],
  // malformed ssm
  [
    'C NaN',
    () =>
      ssmKernel(
        withField('C', (s) => {
          s.C.re[3] = Number.NaN;
        }),
        { L: 4 },
      ),
    'NON_FINITE',
  ],
  [
    'A Infinity',
    () =>
      discretize(
        withField('A', (s) => {
          s.A.im[0] = Number.POSITIVE_INFINITY;
        }),
      ),
    'NON_FINITE',
  ],
  [
    'logDt NaN',
    () =>
      discretize(
        withField('logDt', (s) => {
          s.logDt[1] = Number.NaN;
        }),
      ),
    'NON_FINITE',
  ],
  [
    'B wrong length',
    () => discretize({ ...good, B: { re: new Float64Array(3), im: new Float64Array(3) } }),
    'SHAPE_MISMATCH',
  ],
  ['D wrong length', () => discretize({ ...good, D: new Float64Array(5) }), 'SHAPE_MISMATCH'],
  ['modes = 0', () => discretize({ ...good, modes: 0 }), 'INVALID_ARGUMENT'],
  ['not an ssm', () => discretize(null as unknown as DiagonalSsm), 'INVALID_ARGUMENT'],
  // inputs
  [
    'u NaN',
    () => ssmConvolve(good, new Tensor(Float64Array.of(1, Number.NaN, 0, 0), [2, 2])),
    'NON_FINITE',
  ],
  [
    'u wrong channels',
    () => ssmRecurrence(good, new Tensor(new Float64Array(30), [10, 3])),
    'SHAPE_MISMATCH',
  ],
  ['u 1-d', () => ssmScan(good, new Tensor(new Float64Array(10), [10])), 'SHAPE_MISMATCH'],
  [
    'u L = 0',
    () => ssmConvolve(good, new Tensor(new Float64Array(0), [1, 0, 2])),
    'SHAPE_MISMATCH',
  ],
  [
    'u not a tensor',
    () => ssmConvolve(good, new Float64Array(4) as unknown as Tensor),
    'INVALID_ARGUMENT',
  ],
  ['bad layout', () => ssmConvolve(good, u, { layout: 'LHB' as 'BLH' }), 'INVALID_ARGUMENT'],
  [
    'initialState wrong length',
    () =>
      ssmRecurrence(good, u, {
        initialState: { re: new Float64Array(3), im: new Float64Array(3) },
      }),
    'SHAPE_MISMATCH',
  ],
  [
    'kernel too short',
    () => causalConvolve(u, new Matrix(new Float64Array(10), 2, 5)),
    'SHAPE_MISMATCH',
  ],
  [
    'kernel NaN',
    () => causalConvolve(u, new Matrix(new Float64Array(20).fill(Number.NaN), 2, 10)),
    'NON_FINITE',
  ],
  [
    'D wrong length (conv)',
    () => causalConvolve(u, new Matrix(new Float64Array(20), 2, 10), { D: new Float64Array(3) }),
    'SHAPE_MISMATCH',
  ],
  ['layer step wrong length', () => new S4DLayer(good).step(new Float64Array(3)), 'SHAPE_MISMATCH'],
  ['layer step NaN', () => new S4DLayer(good).step(Float64Array.of(Number.NaN, 0)), 'NON_FINITE'],
  ['layer forward mode', () => new S4DLayer(good).forward(u, 'fast' as 'auto'), 'INVALID_ARGUMENT'],
  // transfer
  [
    'dplr lengths differ',
    () =>
      dplrTransfer(
        {
          lambda: good.A,
          P: good.A,
          Q: good.A,
          B: good.B,
          C: { re: new Float64Array(1), im: new Float64Array(1) },
          dt: 0.1,
        },
        unitCircle(4),
      ),
    'SHAPE_MISMATCH',
  ],
  [
    'dplr dt = 0',
    () =>
      dplrTransfer(
        { lambda: good.A, P: good.A, Q: good.A, B: good.B, C: good.C, dt: 0 },
        unitCircle(4),
      ),
    'INVALID_ARGUMENT',
  ],
  ['unitCircle P = 0', () => unitCircle(0), 'INVALID_ARGUMENT'],
  [
    'discreteKernel: hand-built d with short Bbar',
    () => {
      const d = discretize(good);
      return discreteKernel({ ...d, Bbar: { re: d.Bbar.re.slice(1), im: d.Bbar.im.slice(1) } }, 8);
    },
    'SHAPE_MISMATCH',
  ],
  [
    'discreteKernel: NaN in C',
    () => {
      const d = discretize(good);
      const re = d.C.re.slice();
      re[0] = Number.NaN;
      return discreteKernel({ ...d, C: { re, im: d.C.im } }, 8);
    },
    'NON_FINITE',
  ],
  [
    'diagonalTransfer: D of wrong length',
    () => diagonalTransfer({ ...discretize(good), D: new Float64Array(1) }, unitCircle(4)),
    'SHAPE_MISMATCH',
  ],
  [
    'diagonalTransfer: channels not an integer',
    () => diagonalTransfer({ ...discretize(good), channels: 1.5 }, unitCircle(4)),
    'INVALID_ARGUMENT',
  ],
];

describe('hostile inputs → documented LrError codes', () => {
  for (const [name, fn, code] of cases) {
    it(`${name} → ${code}`, () => {
      expect(fn).toThrow(expect.objectContaining({ code }));
    });
  }
});
