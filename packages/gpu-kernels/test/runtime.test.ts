import { InvalidArgumentError, LrError, Matrix, randn, Tensor } from '@lr/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  absMatrix,
  attention,
  attentionReference,
  fromHalfBits,
  type GpuContext,
  getGpu,
  roundToHalf,
  toHalfBits,
  workgroupGrid,
} from '../src/index.js';
import { attentionGamma, expectWithin } from './_check.js';
import { closeGpu } from './_gpu.js';

afterAll(closeGpu);
afterAll(() => ctx?.dispose());

let ctx: GpuContext;

describe('getGpu on the real WebGPU implementation (default device)', () => {
  it('opens an adapter and a device (fails, never skips, when there is none)', async () => {
    ctx = await getGpu({ timeoutMs: 20_000 });
    expect(typeof ctx.device.createComputePipeline).toBe('function');
    expect(ctx.isLost).toBe(false);
    expect(ctx.limits.maxComputeWorkgroupsPerDimension).toBeGreaterThanOrEqual(65535);
    expect(ctx.source).toBe('webgpu-package');
    console.info(
      `[gpu-kernels] adapter: ${JSON.stringify(ctx.info)}; features: ${[...ctx.features].join(', ')}`,
    );
  });

  it('uploads and downloads matrices, strided views and typed arrays', async () => {
    const A = Matrix.from([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const t = ctx.upload(A.T);
    expect(t.shape).toEqual([3, 2]);
    expect(t.dtype).toBe('float32');
    const back = await ctx.downloadMatrix(t);
    expect(Array.from(back.data)).toEqual([1, 4, 2, 5, 3, 6]);
    const u = ctx.upload(new Uint32Array([7, 8, 9]));
    expect(Array.from(await ctx.download(u))).toEqual([7, 8, 9]);
    const e = ctx.upload(new Float32Array(0));
    expect((await ctx.download(e)).length).toBe(0);
    const t3 = ctx.upload(new Tensor(new Float64Array([1, 2, 3, 4, 5, 6, 7, 8]), [2, 2, 2]));
    expect(Array.from(await ctx.download(t3))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(() => ctx.upload([1, 2, 3], { shape: [2, 2] })).toThrow(/4 elements/);
    expect(() => ctx.upload('x' as never)).toThrow(InvalidArgumentError);
    for (const x of [t, u, e, t3]) x.destroy();
  });

  it('caches pipelines by source, entry point and constants; dispatches over a 2-D grid', async () => {
    const code = /* wgsl */ `
override SCALE: f32 = 1.0;
@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@group(0) @binding(1) var<uniform> n: vec4<u32>;
@compute @workgroup_size(1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let i = wid.x + wid.y * nwg.x + li;
  if (i < n.x) { x[i] = x[i] * SCALE + 1.0; }
}`;
    const n = 70_005; // more workgroups than one dimension may hold
    const x = ctx.empty([n]);
    const before = ctx.stats.pipelinesCompiled;
    await ctx.dispatch({
      code,
      constants: { SCALE: 2 },
      bindings: [x, new Uint32Array([n, 0, 0, 0])],
      workgroups: n,
    });
    await ctx.dispatch({
      code,
      constants: { SCALE: 2 },
      bindings: [x, new Uint32Array([n, 0, 0, 0])],
      workgroups: n,
    });
    expect(ctx.stats.pipelinesCompiled - before).toBe(1);
    expect(ctx.stats.pipelineCacheHits).toBeGreaterThanOrEqual(1);
    const out = await ctx.download(x);
    expect(out[0]).toBe(3);
    expect(out[n - 1]).toBe(3);
    x.destroy();
    await expect(
      ctx.dispatch({ code, bindings: [x], workgroups: [70_000, 1, 1] }),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });

  it('runs a kernel with workgroup memory on the default device (zero-init on)', async () => {
    const Q = randn(9, 5, { seed: 1, dtype: 'float32' });
    const K = randn(11, 5, { seed: 2, dtype: 'float32' });
    const V = randn(11, 3, { seed: 3, dtype: 'float32' });
    const O = await attention(ctx, Q, K, V);
    const ref = attentionReference(Q, K, V, { scale: Math.fround(1 / Math.sqrt(5)) });
    const scale = Math.fround(1 / Math.sqrt(5));
    const bound = attentionReference(Q, K, absMatrix(V), { scale });
    expectWithin('attention (default device)', O, ref, bound, attentionGamma(Q, K, scale, false));
  });

  it('turns WGSL errors into INVALID_ARGUMENT', async () => {
    await expect(ctx.pipeline('fn main( {', 'main')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('reports device loss as UNSUPPORTED and refuses further work', async () => {
    const c = await getGpu({ timeoutMs: 20_000 });
    c.dispose();
    expect(c.isLost).toBe(true);
    expect(() => c.empty([2])).toThrow(LrError);
    try {
      c.empty([2]);
    } catch (e) {
      expect((e as LrError).code).toBe('UNSUPPORTED');
    }
    const info = await c.lost;
    expect(info.reason).toBeTypeOf('string');
  });
});

describe('getGpu without a usable WebGPU', () => {
  it('fails with UNSUPPORTED when requestAdapter returns null', async () => {
    const gpu = { requestAdapter: async () => null } as unknown as GPU;
    await expect(getGpu({ gpu })).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringMatching(/no WebGPU adapter/),
    });
  });

  it('fails with UNSUPPORTED instead of hanging when requestAdapter never answers', async () => {
    const gpu = { requestAdapter: () => new Promise(() => {}) } as unknown as GPU;
    const t0 = Date.now();
    await expect(getGpu({ gpu, timeoutMs: 200 })).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringMatching(/requestAdapter did not answer within 200 ms/),
    });
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('fails with UNSUPPORTED when requestDevice never answers', async () => {
    const adapter = {
      features: new Set(),
      limits: {},
      info: {},
      requestDevice: () => new Promise(() => {}),
    };
    const gpu = { requestAdapter: async () => adapter } as unknown as GPU;
    await expect(getGpu({ gpu, timeoutMs: 100 })).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringMatching(/requestDevice/),
    });
  });

  it('uses a fake navigator.gpu when one is present', async () => {
    const g = globalThis as { navigator?: unknown };
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
    Object.defineProperty(globalThis, 'navigator', {
      value: { gpu: { requestAdapter: async () => null } },
      configurable: true,
    });
    try {
      await expect(getGpu()).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    } finally {
      if (saved) Object.defineProperty(globalThis, 'navigator', saved);
      else delete g.navigator;
    }
  });

  it('rejects a missing required feature and bad options', async () => {
    const adapter = { features: new Set(), limits: {}, info: {}, requestDevice: async () => ({}) };
    const gpu = { requestAdapter: async () => adapter } as unknown as GPU;
    await expect(getGpu({ gpu, features: ['shader-f16'] })).rejects.toMatchObject({
      code: 'UNSUPPORTED',
    });
    await expect(getGpu({ gpu, timeoutMs: -1 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});

describe('helpers', () => {
  it('workgroupGrid keeps every dimension under the limit', () => {
    expect(workgroupGrid(10, 65535)).toEqual([10, 1, 1]);
    const [x, y, z] = workgroupGrid(100_000, 65535);
    expect(x * y * z).toBeGreaterThanOrEqual(100_000);
    expect(Math.max(x, y, z)).toBeLessThanOrEqual(65535);
    const g = workgroupGrid(1000, 10);
    expect(g[0] * g[1] * g[2]).toBeGreaterThanOrEqual(1000);
    expect(Math.max(...g)).toBeLessThanOrEqual(10);
    expect(() => workgroupGrid(1001, 10)).toThrow(/exceed/);
  });

  it('half encode/decode rounds to nearest even and round-trips halves', () => {
    expect(toHalfBits(1)).toBe(0x3c00);
    expect(toHalfBits(-2)).toBe(0xc000);
    expect(toHalfBits(65504)).toBe(0x7bff);
    expect(toHalfBits(1e6)).toBe(0x7c00);
    expect(fromHalfBits(0x0001)).toBe(2 ** -24);
    expect(fromHalfBits(toHalfBits(1 + 2 ** -11))).toBe(1); // tie → even
    expect(fromHalfBits(toHalfBits(1 + 3 * 2 ** -11))).toBe(1 + 2 ** -9);
    for (let h = 0; h < 0x7c00; h += 37) expect(toHalfBits(fromHalfBits(h))).toBe(h);
    expect(Array.from(roundToHalf([0.1]))[0]).toBeCloseTo(0.0999755859375, 12);
  });
});
