import { asMatrix, assertInt, type Matrix, ShapeError } from '@lr/core';
import { type SsmParams, ssmDims, ssmParamCols } from '../reference/ssm.js';
import { assertF32Tensor } from '../runtime/_check.js';
import type { GpuContext } from '../runtime/context.js';
import type { GpuTensor } from '../runtime/gpuTensor.js';

/** Threads per channel = chunks the sequence is cut into. */
const T = 64;

/**
 * Chunked parallel scan. One workgroup per channel h, 64 threads; the sequence is cut
 * into 64 contiguous chunks of ⌈L/64⌉ steps, one per thread. For each complex state n:
 *
 * 1. each thread runs its chunk from a zero state, keeping (Ā^len, x_end) — the chunk as
 *    one affine map x ↦ a·x + b;
 * 2. a Hillis–Steele inclusive scan over the 64 maps in workgroup memory with the S5
 *    operator (a_i, b_i)∘(a_j, b_j) = (a_j·a_i, a_j·b_i + b_j) gives every chunk's
 *    carry-in state (log₂ 64 = 6 steps);
 * 3. each thread re-runs its chunk from its carry and adds 2·Re(C·x_k) to y_k, which
 *    only it owns (so no atomics; y starts as D·u).
 *
 * Work per channel is 2·L·N/2 complex multiply-adds plus the 6-step scan per state —
 * twice the sequential recurrence, spread over 64 threads; depth 2·⌈L/64⌉ + 6 per state.
 */
export const SSM_SCAN_WGSL = /* wgsl */ `
@group(0) @binding(0) var<storage, read> U: array<f32>;
// per (h, n): Re Ā, Im Ā, Re B̄, Im B̄, Re C, Im C
@group(0) @binding(1) var<storage, read> Pm: array<f32>;
@group(0) @binding(2) var<storage, read> Dv: array<f32>;
@group(0) @binding(3) var<storage, read_write> Y: array<f32>;
@group(0) @binding(4) var<uniform> S: vec4<u32>; // H, L, N2, chunk

var<workgroup> sa: array<vec2<f32>, ${T}>;
var<workgroup> sb: array<vec2<f32>, ${T}>;

fn cmul(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  return vec2<f32>(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x);
}

@compute @workgroup_size(${T})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) t: u32) {
  let h = wid.x + wid.y * nwg.x;
  let H = S.x; let L = S.y; let N2 = S.z; let chunk = S.w;
  if (h >= H) { return; }
  let k0 = min(t * chunk, L);
  let k1 = min(k0 + chunk, L);
  let d = Dv[h];
  for (var k = k0; k < k1; k++) { Y[h * L + k] = d * U[h * L + k]; }
  for (var n = 0u; n < N2; n++) {
    let o = (h * N2 + n) * 6u;
    let a = vec2<f32>(Pm[o], Pm[o + 1u]);
    let b = vec2<f32>(Pm[o + 2u], Pm[o + 3u]);
    let c = vec2<f32>(Pm[o + 4u], Pm[o + 5u]);
    var x = vec2<f32>(0.0, 0.0);
    var ap = vec2<f32>(1.0, 0.0);
    for (var k = k0; k < k1; k++) {
      x = cmul(a, x) + b * U[h * L + k];
      ap = cmul(a, ap);
    }
    sa[t] = ap;
    sb[t] = x;
    workgroupBarrier();
    for (var off = 1u; off < ${T}u; off *= 2u) {
      var pa = vec2<f32>(1.0, 0.0);
      var pb = vec2<f32>(0.0, 0.0);
      let has = t >= off;
      if (has) { pa = sa[t - off]; pb = sb[t - off]; }
      workgroupBarrier();
      if (has) {
        let ca = sa[t];
        sb[t] = cmul(ca, pb) + sb[t];
        sa[t] = cmul(ca, pa);
      }
      workgroupBarrier();
    }
    x = vec2<f32>(0.0, 0.0);
    if (t > 0u) { x = sb[t - 1u]; }
    for (var k = k0; k < k1; k++) {
      x = cmul(a, x) + b * U[h * L + k];
      Y[h * L + k] += 2.0 * (c.x * x.x - c.y * x.y);
    }
    workgroupBarrier();
  }
}`;

/**
 * Packs {@link SsmParams} into the H×(N/2)×6 float32 tensor and the D tensor that
 * {@link ssmScanGpu} reads.
 */
export function uploadSsmParams(
  ctx: GpuContext,
  params: SsmParams,
  H: number,
): { packed: GpuTensor; D: GpuTensor } {
  const N2 = ssmParamCols(assertInt('H', H, 0), params);
  const f = new Float32Array(H * N2 * 6);
  const fields = [
    params.AbarRe,
    params.AbarIm,
    params.BbarRe,
    params.BbarIm,
    params.CRe,
    params.CIm,
  ];
  for (let h = 0; h < H; h++)
    for (let n = 0; n < N2; n++)
      for (let q = 0; q < 6; q++) f[(h * N2 + n) * 6 + q] = fields[q]!.get(h, n);
  const packed = ctx.upload(f, { shape: [H, N2, 6] });
  const D = ctx.upload(Float32Array.from(params.D));
  return { packed, D };
}

/**
 * Diagonal-SSM scan on GPU tensors: `x_k = Ā·x_{k−1} + B̄·u_k`, `y_k = 2·Re(C·x_k) + D·u_k`
 * per channel, as a chunked parallel scan (see {@link SSM_SCAN_WGSL}).
 *
 * @param u H×L float32; @param packed H×(N/2)×6 from {@link uploadSsmParams}; @param D [H]
 * @returns y, H×L float32
 * @throws {ShapeError} shapes that disagree
 * @example
 * const { packed, D } = uploadSsmParams(ctx, params, H);
 * const y = await ssmScanGpu(ctx, ctx.upload(u), packed, D);
 */
export async function ssmScanGpu(
  ctx: GpuContext,
  u: GpuTensor,
  packed: GpuTensor,
  D: GpuTensor,
): Promise<GpuTensor> {
  assertF32Tensor('ssm', 'u', u);
  assertF32Tensor('ssm', 'packed', packed);
  assertF32Tensor('ssm', 'D', D);
  if (u.shape.length !== 2) throw new ShapeError(`ssm: u must be H×L, got [${u.shape}]`);
  const [H, L] = u.shape as [number, number];
  if (packed.shape.length !== 3 || packed.shape[0] !== H || packed.shape[2] !== 6)
    throw new ShapeError(`ssm: packed params must be [${H}, N/2, 6], got [${packed.shape}]`);
  if (D.size !== H) throw new ShapeError(`ssm: D must have ${H} entries, got ${D.size}`);
  const N2 = packed.shape[1]!;
  const y = ctx.empty([H, L], 'float32', 'lr:ssm');
  if (H === 0 || L === 0) return y;
  await ctx.dispatch({
    code: SSM_SCAN_WGSL,
    bindings: [u, packed, D, y, new Uint32Array([H, L, N2, Math.ceil(L / T)])],
    workgroups: H,
    label: 'lr:ssm-scan',
  });
  return y;
}

/**
 * Diagonal-SSM scan for `@lr/core` matrices (u H×L, parameters H×(N/2)); returns y as an
 * H×L float32 Matrix.
 *
 * @example
 * const y = await ssmScan(ctx, u, { AbarRe, AbarIm, BbarRe, BbarIm, CRe, CIm, D });
 */
export async function ssmScan(ctx: GpuContext, u: Matrix, params: SsmParams): Promise<Matrix> {
  const U = asMatrix('u', u);
  const [H] = ssmDims(U, params);
  const ut = ctx.upload(U);
  const { packed, D } = uploadSsmParams(ctx, params, H);
  try {
    const y = await ssmScanGpu(ctx, ut, packed, D);
    try {
      return await ctx.downloadMatrix(y);
    } finally {
      y.destroy();
    }
  } finally {
    ut.destroy();
    packed.destroy();
    D.destroy();
  }
}
