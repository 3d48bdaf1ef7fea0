/**
 * WGSL generator shared by the GEMM and fused-LoRA kernels: a 64×64 output tile per
 * workgroup of 16×16 threads, each thread accumulating a 4×4 register block in f32;
 * operands stream through workgroup memory in 64×8 / 8×64 slabs (4 KiB, well under
 * the 16 KiB default `maxComputeWorkgroupStorageSize`). Out-of-range rows, columns and k are
 * loaded as zeros, so any M, N, K works. The caller supplies the bindings and three WGSL
 * functions: `loadA(row, k) -> f32`, `loadB(k, col) -> f32` and
 * `store(row, col, acc: f32)`, plus `dims() -> vec3<u32>` giving (M, N, K).
 *
 * Thread (tx, ty) owns rows `4·ty + i` and columns `4·tx + j` (i, j < 4) and reads one
 * vec4 of each slab per k step.
 */

/** Output tile edge (rows and columns per workgroup). */
export const TILE = 64;
/** Depth of one k slab. */
export const TILE_K = 8;

/** @internal */
export interface TiledSpec {
  /** `enable f16;` etc. */
  header?: string;
  /** Binding declarations and helper functions, including loadA, loadB, store, dims. */
  body: string;
}

/** @internal Builds the WGSL module of a tiled product with entry point `main`. */
export function tiledMatmulWgsl(spec: TiledSpec): string {
  return /* wgsl */ `${spec.header ?? ''}
${spec.body}

fn storeRow(gi: u32, gj: u32, M: u32, N: u32, v: vec4<f32>) {
  if (gi >= M) { return; }
  if (gj < N) { store(gi, gj, v.x); }
  if (gj + 1u < N) { store(gi, gj + 1u, v.y); }
  if (gj + 2u < N) { store(gi, gj + 2u, v.z); }
  if (gj + 3u < N) { store(gi, gj + 3u, v.w); }
}

const BM: u32 = ${TILE}u;
const BN: u32 = ${TILE}u;
const BK: u32 = ${TILE_K}u;
// vec4 words: SwiftShader's compile time grows with the element count of workgroup
// arrays (Dawn zero-initialises them), so 256 vec4s compile ~4× faster than 1024 f32s.
var<workgroup> As: array<vec4<f32>, ${(TILE * TILE_K) / 4}>;
var<workgroup> Bs: array<vec4<f32>, ${(TILE * TILE_K) / 4}>;

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let d = dims();
  let M = d.x;
  let N = d.y;
  let K = d.z;
  let row0 = wid.y * BM;
  let col0 = wid.x * BN;
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  let nk = (K + BK - 1u) / BK;
  for (var t = 0u; t < nk; t++) {
    let k0 = t * BK;
    for (var r = 0u; r < ${(TILE * TILE_K) / 256}u; r++) {
      let e = li + 256u * r;
      // A slab: 64 rows × 8 k, k fastest.
      let am = e / BK;
      let ak = e % BK;
      let gi = row0 + am;
      let gk = k0 + ak;
      var av = 0.0;
      if (gi < M && gk < K) { av = loadA(gi, gk); }
      let ia = ak * BM + am;
      As[ia >> 2u][ia & 3u] = av;
      // B slab: 8 k × 64 columns, column fastest.
      let bk = e / BN;
      let bn = e % BN;
      let gj = col0 + bn;
      let gk2 = k0 + bk;
      var bv = 0.0;
      if (gj < N && gk2 < K) { bv = loadB(gk2, gj); }
      let ib = bk * BN + bn;
      Bs[ib >> 2u][ib & 3u] = bv;
    }
    workgroupBarrier();
    for (var k = 0u; k < BK; k++) {
      let a = As[k * (BM / 4u) + lid.y];
      let b = Bs[k * (BN / 4u) + lid.x];
      acc0 = fma(vec4<f32>(a.x), b, acc0);
      acc1 = fma(vec4<f32>(a.y), b, acc1);
      acc2 = fma(vec4<f32>(a.z), b, acc2);
      acc3 = fma(vec4<f32>(a.w), b, acc3);
    }
    workgroupBarrier();
  }
  let r0 = row0 + 4u * lid.y;
  let c0 = col0 + 4u * lid.x;
  storeRow(r0, c0, M, N, acc0);
  storeRow(r0 + 1u, c0, M, N, acc1);
  storeRow(r0 + 2u, c0, M, N, acc2);
  storeRow(r0 + 3u, c0, M, N, acc3);
}
`;
}

/** @internal Workgroup counts `[x, y]` for an M×N output. */
export function tiledWorkgroups(M: number, N: number): [number, number, number] {
  return [Math.ceil(N / TILE), Math.ceil(M / TILE), 1];
}
