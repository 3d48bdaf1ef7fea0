/** Largest value width dv the exact WGSL kernel holds per thread. @internal */
export const TENSOR_ATTENTION_MAX_DV = 64;

/**
 * WGSL of exact tensor attention (Alman & Song 2024): one 64-thread workgroup per query
 * row i. Thread t walks the pairs p = t, t + 64, … < n1·n2 ((j, l) = (p / n2, p % n2)),
 * keeping an online softmax: running max m_t, Σ exp(s − m_t) and
 * Σ exp(s − m_t)·(V1_j ∘ V2_l) (rescaled by exp(m_old − m_new) when the max grows). The 64
 * partial states are merged in workgroup memory: global max M, then tree sums of
 * exp(m_t − M)·(partial sums), column by column. Writes out[i, :] and log D_i = M + log Σ.
 *
 * Bindings: 0 params (uniform: nq, n1, n2, d, dv, scale as f32 bits, 2 pad), 1 Q, 2 K1,
 * 3 K2, 4 V1, 5 V2 (f32, row-major), 6 out (nq×dv), 7 logD (nq). The workgroup index is
 * linearised (wid.x + wid.y·nwg.x) so nq may exceed one grid dimension.
 * @internal
 */
export const TENSOR_ATTENTION_WGSL = /* wgsl */ `
struct Params { nq: u32, n1: u32, n2: u32, d: u32, dv: u32, scaleBits: u32, pad0: u32, pad1: u32 }

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> Q: array<f32>;
@group(0) @binding(2) var<storage, read> K1: array<f32>;
@group(0) @binding(3) var<storage, read> K2: array<f32>;
@group(0) @binding(4) var<storage, read> V1: array<f32>;
@group(0) @binding(5) var<storage, read> V2: array<f32>;
@group(0) @binding(6) var<storage, read_write> OUT: array<f32>;
@group(0) @binding(7) var<storage, read_write> LOGD: array<f32>;

const WG: u32 = 64u;
const MAXDV: u32 = ${TENSOR_ATTENTION_MAX_DV}u;
const NEG: f32 = -3.0e38;

var<workgroup> red: array<f32, WG>;

fn reduceSum(t: u32, v: f32) -> f32 {
  red[t] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (t < s) { red[t] = red[t] + red[t + s]; }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) t: u32) {
  let i = wid.x + wid.y * nwg.x;
  if (i >= P.nq) { return; } // uniform per workgroup
  let scale = bitcast<f32>(P.scaleBits);
  let d = P.d;
  let dv = P.dv;
  var acc: array<f32, MAXDV>;
  for (var c = 0u; c < dv; c++) { acc[c] = 0.0; }
  var mx = NEG;
  var den = 0.0;
  let pairs = P.n1 * P.n2;
  for (var p = t; p < pairs; p += WG) {
    let j = p / P.n2;
    let l = p % P.n2;
    var s = 0.0;
    for (var c = 0u; c < d; c++) {
      s += Q[i * d + c] * K1[j * d + c] * K2[l * d + c];
    }
    s *= scale;
    if (s > mx) {
      let f = exp(mx - s);
      den *= f;
      for (var c = 0u; c < dv; c++) { acc[c] *= f; }
      mx = s;
    }
    let w = exp(s - mx);
    den += w;
    for (var c = 0u; c < dv; c++) { acc[c] += w * V1[j * dv + c] * V2[l * dv + c]; }
  }
  // global max
  red[t] = mx;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (t < s) { red[t] = max(red[t], red[t + s]); }
    workgroupBarrier();
  }
  let M = red[0];
  workgroupBarrier();
  var f = 0.0;
  if (den > 0.0) { f = exp(mx - M); }
  let total = reduceSum(t, den * f);
  for (var c = 0u; c < dv; c++) {
    let v = reduceSum(t, acc[c] * f);
    if (t == 0u) { OUT[i * dv + c] = v / total; }
  }
  if (t == 0u) { LOGD[i] = M + log(total); }
}
`;
