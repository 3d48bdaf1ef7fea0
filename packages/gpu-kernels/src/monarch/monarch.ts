import { asMatrix, type Matrix, ShapeError, type Tensor } from '@lr/core';
import { type MonarchDims, monarchDims } from '../reference/monarch.js';
import { assertF32Tensor } from '../runtime/_check.js';
import type { GpuContext } from '../runtime/context.js';
import type { GpuTensor } from '../runtime/gpuTensor.js';

/**
 * Both block-diagonal stages of the Monarch product, one thread per output element
 * (64-thread workgroups over a 1-D index spread on a 2-D grid). Stage 1 reads x
 * contiguously per block; stage 2 gathers the grid transpose with stride l, so the
 * permutation costs no pass of its own.
 */
export const MONARCH_WGSL = /* wgsl */ `
@group(0) @binding(0) var<storage, read> X: array<f32>;
@group(0) @binding(1) var<storage, read> Wt: array<f32>;
@group(0) @binding(2) var<storage, read_write> Y: array<f32>;
// (batch, k, q, p, l, s, r, stage)
@group(0) @binding(3) var<uniform> P: array<vec4<u32>, 2>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let g = (wid.x + wid.y * nwg.x) * 64u + li;
  let batch = P[0].x; let k = P[0].y; let q = P[0].z; let p = P[0].w;
  let l = P[1].x; let s = P[1].y; let r = P[1].z; let stage = P[1].w;
  if (stage == 0u) {
    // z[bb, i·q + a] = Σ_c w1[i, a, c]·x[bb, i·p + c]
    let nz = k * q;
    if (g >= batch * nz) { return; }
    let bb = g / nz;
    let ia = g % nz;
    let i = ia / q;
    var acc = 0.0;
    let xb = bb * k * p + i * p;
    let wb = ia * p;
    for (var c = 0u; c < p; c++) { acc = fma(Wt[wb + c], X[xb + c], acc); }
    Y[g] = acc;
  } else {
    // y[bb, b·l + j] = Σ_t w2[j, b, t]·z[bb, t·l + j]
    let ny = s * l;
    if (g >= batch * ny) { return; }
    let bb = g / ny;
    let bj = g % ny;
    let b = bj / l;
    let j = bj % l;
    var acc = 0.0;
    let zb = bb * k * q + j;
    let wb = (j * s + b) * r;
    for (var t = 0u; t < r; t++) { acc = fma(Wt[wb + t], X[zb + t * l], acc); }
    Y[g] = acc;
  }
}`;

/**
 * Monarch product `y = x·Mᵀ` on GPU tensors (layout in {@link monarchReference}): two
 * dispatches, the k·q intermediate stays on the GPU.
 *
 * @param x batch×n float32; @param w1 [k, q, p] float32; @param w2 [l, s, r] float32
 * @returns batch×(s·l) float32
 * @throws {ShapeError} sizes that do not chain (n = k·p, l·r = k·q)
 * @example
 * const y = await monarchGpu(ctx, ctx.upload(x), ctx.upload(w1), ctx.upload(w2));
 */
export async function monarchGpu(
  ctx: GpuContext,
  x: GpuTensor,
  w1: GpuTensor,
  w2: GpuTensor,
): Promise<GpuTensor> {
  assertF32Tensor('monarch', 'x', x);
  assertF32Tensor('monarch', 'w1', w1);
  assertF32Tensor('monarch', 'w2', w2);
  if (x.shape.length !== 2 || w1.shape.length !== 3 || w2.shape.length !== 3) {
    throw new ShapeError(
      `monarch: expected x [batch, n], w1 [k, q, p], w2 [l, s, r], got [${x.shape}], [${w1.shape}], [${w2.shape}]`,
    );
  }
  const d = dimsOf(w1.shape, w2.shape, x.cols);
  const batch = x.rows;
  const z = ctx.empty([batch, d.k * d.q], 'float32', 'lr:monarch-z');
  const y = ctx.empty([batch, d.s * d.l], 'float32', 'lr:monarch');
  try {
    const base = [batch, d.k, d.q, d.p, d.l, d.s, d.r];
    await ctx.dispatch({
      code: MONARCH_WGSL,
      bindings: [x, w1, z, new Uint32Array([...base, 0])],
      workgroups: Math.ceil((batch * d.k * d.q) / 64),
      label: 'lr:monarch-1',
    });
    await ctx.dispatch({
      code: MONARCH_WGSL,
      bindings: [z, w2, y, new Uint32Array([...base, 1])],
      workgroups: Math.ceil((batch * d.s * d.l) / 64),
      label: 'lr:monarch-2',
    });
  } finally {
    z.destroy();
  }
  return y;
}

function dimsOf(s1: readonly number[], s2: readonly number[], n: number): MonarchDims {
  const [k, q, p] = s1 as [number, number, number];
  const [l, s, r] = s2 as [number, number, number];
  if (k * p !== n)
    throw new ShapeError(`monarch: x has ${n} columns, w1 [${s1}] needs k·p = ${k * p}`);
  if (l * r !== k * q) throw new ShapeError(`monarch: w2 [${s2}] needs l·r = k·q = ${k * q}`);
  return { k, q, p, l, s, r };
}

/**
 * Monarch product for `@lr/core` tensors: uploads x (batch×n), w1 [k, q, p] and
 * w2 [l, s, r], runs {@link monarchGpu}, downloads a batch×(s·l) float32 Matrix.
 *
 * @example
 * const y = await monarch(ctx, x, w1, w2);
 */
export async function monarch(ctx: GpuContext, x: Matrix, w1: Tensor, w2: Tensor): Promise<Matrix> {
  const X = asMatrix('x', x);
  monarchDims(w1, w2, X.cols);
  const ts = [ctx.upload(X), ctx.upload(w1), ctx.upload(w2)];
  try {
    const y = await monarchGpu(ctx, ts[0]!, ts[1]!, ts[2]!);
    try {
      return await ctx.downloadMatrix(y);
    } finally {
      y.destroy();
    }
  } finally {
    for (const t of ts) t.destroy();
  }
}
