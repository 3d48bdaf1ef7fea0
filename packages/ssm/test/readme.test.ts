import { Tensor } from '@lr/core';
import { expect, it } from 'vitest';
import { S4DLayer, s4dInit, ssmConvolve, ssmKernel, ssmRecurrence, ssmScan } from '../src/index.js';
import { relErr } from './helpers.js';

it('the README example runs and its three modes agree', () => {
  const ssm = s4dInit({ N: 64, init: 'legs', channels: 4, seed: 0 });
  const { K } = ssmKernel(ssm, { L: 1024 });
  expect(K.rows).toBe(4);
  const u = new Tensor(
    Float64Array.from({ length: 2 * 1024 * 4 }, (_, i) => Math.sin(i / 7)),
    [2, 1024, 4],
  );
  const yConv = ssmConvolve(ssm, u);
  const yRec = ssmRecurrence(ssm, u).y;
  const yScan = ssmScan(ssm, u).y;
  expect(relErr(yConv.data, yRec.data)).toBeLessThan(1e-12);
  expect(relErr(yScan.data, yRec.data)).toBeLessThan(1e-12);
  const layer = new S4DLayer(ssm);
  layer.reset(1);
  const y0 = layer.step(Float64Array.of(1, 0, 0, 0));
  expect(y0.length).toBe(4);
});
