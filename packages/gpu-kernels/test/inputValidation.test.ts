// Bad scalars and non-tensor operands fail fast with an LrError before any dispatch.
import { Matrix } from '@lr/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attentionGpu,
  fromHalfBits,
  type GpuContext,
  type GpuTensor,
  gemmGpu,
  loraGpu,
  monarchGpu,
  ssmScanGpu,
  toHalfBits,
  uploadSsmParams,
} from '../src/index.js';
import { closeGpu, openGpu } from './_gpu.js';

const INVALID = { code: 'INVALID_ARGUMENT' };

describe('input validation', () => {
  let ctx: GpuContext;
  let a: GpuTensor;
  beforeAll(async () => {
    ctx = await openGpu();
    a = ctx.upload(
      Matrix.from([
        [1, 2],
        [3, 4],
      ]),
    );
  }, 60_000);
  afterAll(async () => {
    a?.destroy();
    await closeGpu();
  });

  it('gemmGpu: non-finite alpha, non-tensor operand, bad options', async () => {
    await expect(gemmGpu(ctx, a, a, { alpha: Number.NaN })).rejects.toMatchObject(INVALID);
    await expect(gemmGpu(ctx, a, a, { alpha: '2' as never })).rejects.toMatchObject(INVALID);
    await expect(gemmGpu(ctx, {} as GpuTensor, a)).rejects.toMatchObject(INVALID);
    await expect(gemmGpu(ctx, a, a, null as never)).rejects.toMatchObject(INVALID);
  });

  it('loraGpu and attentionGpu: non-finite scale, non-tensor operand', async () => {
    await expect(loraGpu(ctx, a, a, a, a, { scale: Infinity })).rejects.toMatchObject(INVALID);
    await expect(loraGpu(ctx, a, a, null as never, a)).rejects.toMatchObject(INVALID);
    await expect(attentionGpu(ctx, a, a, a, { scale: Number.NaN })).rejects.toMatchObject(INVALID);
    await expect(attentionGpu(ctx, [] as never, a, a)).rejects.toMatchObject(INVALID);
  });

  it('monarchGpu and ssmScanGpu: non-tensor operands', async () => {
    await expect(monarchGpu(ctx, a, {} as GpuTensor, a)).rejects.toMatchObject(INVALID);
    await expect(ssmScanGpu(ctx, a, 3 as never, a)).rejects.toMatchObject(INVALID);
  });

  it('uploadSsmParams: bad H and mismatched parameters', () => {
    const m = Matrix.from([[0.5], [0.5]]);
    const p = { AbarRe: m, AbarIm: m, BbarRe: m, BbarIm: m, CRe: m, CIm: m, D: [1, 1] };
    expect(() => uploadSsmParams(ctx, p, 2.5)).toThrow(expect.objectContaining(INVALID));
    expect(() => uploadSsmParams(ctx, p, 3)).toThrow(
      expect.objectContaining({ code: 'SHAPE_MISMATCH' }),
    );
    expect(() => uploadSsmParams(ctx, { ...p, D: [1] }, 2)).toThrow(
      expect.objectContaining({ code: 'SHAPE_MISMATCH' }),
    );
  });
});

describe('half helpers (via @lr/core)', () => {
  it('encode and decode through @lr/core, quiet NaN', () => {
    expect(toHalfBits(1)).toBe(0x3c00);
    expect(toHalfBits(65520)).toBe(0x7c00);
    expect(toHalfBits(Number.NaN) & 0x7fff).toBe(0x7e00);
    expect(toHalfBits(-Number.NaN) & 0x7fff).toBe(0x7e00);
    expect(fromHalfBits(0x7bff)).toBe(65504);
    expect(() => fromHalfBits(1.5)).toThrow(expect.objectContaining(INVALID));
  });
});
