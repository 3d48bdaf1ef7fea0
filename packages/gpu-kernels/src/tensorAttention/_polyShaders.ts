// Small elementwise WGSL kernels of the GPU polynomial method (tensorAttentionPolyGpu).
// Each is one thread per output element, 64 threads a workgroup; the workgroup index is
// linearised (wid.x + wid.y·nwg.x) so a total may be spread over a 2-D grid.

const HEAD = /* wgsl */ `
fn flat(wid: vec3<u32>, nwg: vec3<u32>, li: u32) -> u32 { return (wid.x + wid.y * nwg.x) * 64u + li; }
`;
const MAIN = `@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let idx = flat(wid, nwg, li);`;

/**
 * Monomial features PHI[i, f] = Π_c (X[i, c]·inv)^E[f, c] for X `[n, d]` and the exponent
 * table E `[r, d]` (u32). `inv` is a power of two (exact), so the only roundings are the
 * |α| − 1 products, as in the CPU tree recurrence. Params: n, d, r, inv (f32).
 * @internal
 */
export const POLY_FEATURES_WGSL = /* wgsl */ `
struct Params { n: u32, d: u32, r: u32, inv: f32 }
@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> X: array<f32>;
@group(0) @binding(2) var<storage, read> E: array<u32>;
@group(0) @binding(3) var<storage, read_write> PHI: array<f32>;
${HEAD}
${MAIN}
  if (idx >= P.n * P.r) { return; }
  let i = idx / P.r;
  let f = idx % P.r;
  var p = 1.0;
  for (var c = 0u; c < P.d; c = c + 1u) {
    let x = X[i * P.d + c] * P.inv;
    let e = E[f * P.d + c];
    for (var k = 0u; k < e; k = k + 1u) { p = p * x; }
  }
  PHI[idx] = p;
}`;

/** OUT[i, :] = [V[i, :] | 1] for V `[n, dv]`. Params: n, dv. @internal */
export const POLY_APPEND_ONE_WGSL = /* wgsl */ `
struct Params { n: u32, dv: u32, p0: u32, p1: u32 }
@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> V: array<f32>;
@group(0) @binding(2) var<storage, read_write> OUT: array<f32>;
${HEAD}
${MAIN}
  let m = P.dv + 1u;
  if (idx >= P.n * m) { return; }
  let i = idx / m;
  let c = idx % m;
  if (c < P.dv) { OUT[idx] = V[i * P.dv + c]; } else { OUT[idx] = 1.0; }
}`;

/** H[f, c] = (W[f]·G1[f, c])·G2[f, c] for G1, G2 `[r, m]`. Params: r, m. @internal */
export const POLY_HADAMARD_WGSL = /* wgsl */ `
struct Params { r: u32, m: u32, p0: u32, p1: u32 }
@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> W: array<f32>;
@group(0) @binding(2) var<storage, read> G1: array<f32>;
@group(0) @binding(3) var<storage, read> G2: array<f32>;
@group(0) @binding(4) var<storage, read_write> H: array<f32>;
${HEAD}
${MAIN}
  if (idx >= P.r * P.m) { return; }
  H[idx] = (W[idx / P.m] * G1[idx]) * G2[idx];
}`;

/**
 * Y `[nq, dv + 1]` (numerators | denominator) → OUT[i, c] = Y[i, c] / Y[i, dv] and
 * DEN[i] = Y[i, dv]. Params: nq, dv. @internal
 */
export const POLY_NORMALIZE_WGSL = /* wgsl */ `
struct Params { nq: u32, dv: u32, p0: u32, p1: u32 }
@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> Y: array<f32>;
@group(0) @binding(2) var<storage, read_write> OUT: array<f32>;
@group(0) @binding(3) var<storage, read_write> DEN: array<f32>;
${HEAD}
${MAIN}
  let m = P.dv + 1u;
  if (idx >= P.nq * m) { return; }
  let i = idx / m;
  let c = idx % m;
  let den = Y[i * m + P.dv];
  if (c < P.dv) { OUT[i * P.dv + c] = Y[idx] / den; } else { DEN[i] = den; }
}`;
