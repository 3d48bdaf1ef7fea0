import { asMatrix, assertNumber, type Matrix, optionsObject, UnsupportedError } from '@lr/core';
import { type AttentionOptions, checkAttentionShapes } from '../reference/attention.js';
import { assertF32Tensor } from '../runtime/_check.js';
import type { GpuContext } from '../runtime/context.js';
import type { GpuTensor } from '../runtime/gpuTensor.js';

/** Threads per query row (and keys per block). */
const WG = 64;

/**
 * One workgroup per query row. Keys stream in blocks of 64: each thread scores one key
 * (q·k over d, q cached in workgroup memory), then every thread reads the block's 64
 * scores, updates the running max m and normaliser l with the online-softmax rescaling
 * (Milakov & Gimelshein 2018) and accumulates p·v for the output columns it owns
 * (c ≡ thread mod 64), kept in workgroup memory. Memory is O(d + dv) per row, never
 * O(n·m); the max subtraction keeps every exp ≤ 1.
 */
function attentionWgsl(): string {
  return /* wgsl */ `
@group(0) @binding(0) var<storage, read> Q: array<f32>;
@group(0) @binding(1) var<storage, read> K: array<f32>;
@group(0) @binding(2) var<storage, read> V: array<f32>;
@group(0) @binding(3) var<storage, read_write> O: array<f32>;
struct Params { n: u32, m: u32, d: u32, dv: u32, causal: u32, scale: f32, p0: u32, p1: u32 }
@group(0) @binding(4) var<uniform> P: Params;

override MAXD: u32 = 256u;
override MAXDV: u32 = 256u;
var<workgroup> qs: array<f32, MAXD>;
var<workgroup> accs: array<f32, MAXDV>;
var<workgroup> ps: array<f32, ${WG}>;

@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) t: u32) {
  let i = wid.x + wid.y * nwg.x;
  if (i >= P.n) { return; }
  for (var c = t; c < P.d; c += ${WG}u) { qs[c] = Q[i * P.d + c]; }
  for (var c = t; c < P.dv; c += ${WG}u) { accs[c] = 0.0; }
  workgroupBarrier();
  var jend = P.m;
  if (P.causal != 0u) { jend = min(P.m, i + 1u); }
  var mx = -3.0e38;
  var l = 0.0;
  for (var j0 = 0u; j0 < jend; j0 += ${WG}u) {
    let j = j0 + t;
    var s = -3.0e38;
    if (j < jend) {
      var dot = 0.0;
      for (var c = 0u; c < P.d; c++) { dot = fma(qs[c], K[j * P.d + c], dot); }
      s = P.scale * dot;
    }
    ps[t] = s;
    workgroupBarrier();
    let cnt = min(${WG}u, jend - j0);
    var bm = mx;
    for (var u = 0u; u < cnt; u++) { bm = max(bm, ps[u]); }
    workgroupBarrier();
    if (t < cnt) { ps[t] = exp(ps[t] - bm); }
    workgroupBarrier();
    var corr = 0.0;
    if (j0 > 0u) { corr = exp(mx - bm); }
    var bl = 0.0;
    for (var u = 0u; u < cnt; u++) { bl += ps[u]; }
    l = l * corr + bl;
    for (var c = t; c < P.dv; c += ${WG}u) {
      var a = accs[c] * corr;
      for (var u = 0u; u < cnt; u++) { a = fma(ps[u], V[(j0 + u) * P.dv + c], a); }
      accs[c] = a;
    }
    mx = bm;
    workgroupBarrier();
  }
  for (var c = t; c < P.dv; c += ${WG}u) { O[i * P.dv + c] = accs[c] / l; }
}
`;
}

/** WGSL of the attention kernel. */
export const ATTENTION_WGSL = attentionWgsl();

/**
 * Single-head scaled softmax attention `O = softmax(s·Q·Kᵀ)·V` on GPU tensors, with an
 * optional causal mask, numerically stable (running max subtracted before exp).
 *
 * @param Q n×d; @param K m×d; @param V m×dv (float32)
 * @returns n×dv float32
 * @throws {ShapeError} shapes that disagree
 * @throws {UnsupportedError} d + dv too large for workgroup memory
 * @example
 * const o = await attentionGpu(ctx, ctx.upload(Q), ctx.upload(K), ctx.upload(V), { causal: true });
 */
export async function attentionGpu(
  ctx: GpuContext,
  Q: GpuTensor,
  K: GpuTensor,
  V: GpuTensor,
  options: AttentionOptions = {},
): Promise<GpuTensor> {
  options = optionsObject('options', options);
  assertF32Tensor('attention', 'Q', Q, 2);
  assertF32Tensor('attention', 'K', K, 2);
  assertF32Tensor('attention', 'V', V, 2);
  const causal = options.causal ?? false;
  checkAttentionShapes(Q, K, V, causal);
  const n = Q.rows;
  const m = K.rows;
  const d = Q.cols;
  const dv = V.cols;
  const scale =
    options.scale === undefined ? 1 / Math.sqrt(d) : assertNumber('options.scale', options.scale);
  const out = ctx.empty([n, dv], 'float32', 'lr:attention');
  if (n === 0 || dv === 0) return out;
  // Workgroup arrays are sized by override constants rounded up to powers of two, so a
  // handful of pipelines serve every d.
  const maxd = 2 ** Math.ceil(Math.log2(Math.max(d, 16)));
  const maxdv = 2 ** Math.ceil(Math.log2(Math.max(dv, 16)));
  const bytes = 4 * (maxd + maxdv + WG);
  const limit = ctx.limits.maxComputeWorkgroupStorageSize ?? 16384;
  if (bytes > limit) {
    out.destroy();
    throw new UnsupportedError(
      `attention: d = ${d}, dv = ${dv} need ${bytes} bytes of workgroup memory, the device allows ${limit}`,
    );
  }
  if (m === 0) return out; // no keys: zeros by convention of an empty sum
  const params = new ArrayBuffer(32);
  new Uint32Array(params).set([n, m, d, dv, causal ? 1 : 0]);
  new Float32Array(params, 20, 1)[0] = scale;
  await ctx.dispatch({
    code: ATTENTION_WGSL,
    constants: { MAXD: maxd, MAXDV: maxdv },
    bindings: [Q, K, V, out, new Uint8Array(params)],
    workgroups: n,
    label: 'lr:attention',
  });
  return out;
}

/**
 * Softmax attention for `@lr/core` matrices: uploads, runs {@link attentionGpu},
 * downloads an n×dv float32 Matrix.
 *
 * @example
 * const ctx = await getGpu();
 * const O = await attention(ctx, Q, K, V, { causal: true });
 */
export async function attention(
  ctx: GpuContext,
  Q: Matrix,
  K: Matrix,
  V: Matrix,
  options: AttentionOptions = {},
): Promise<Matrix> {
  options = optionsObject('options', options);
  const mats = [asMatrix('Q', Q), asMatrix('K', K), asMatrix('V', V)] as const;
  checkAttentionShapes(mats[0], mats[1], mats[2], options.causal ?? false);
  const ts = mats.map((x) => ctx.upload(x));
  try {
    const o = await attentionGpu(ctx, ts[0]!, ts[1]!, ts[2]!, options);
    try {
      return await ctx.downloadMatrix(o);
    } finally {
      o.destroy();
    }
  } finally {
    for (const t of ts) t.destroy();
  }
}
