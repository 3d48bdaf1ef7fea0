/**
 * WGSL of the bit-serial bipolar-INT product C = A·Bᵀ (Ma et al. 2024, bit-level
 * decomposition and recovery), on plain u32 XOR + `countOneBits` (WebGPU has no 1-bit
 * tensor-core path).
 *
 * One 16×16-thread workgroup computes a 64×64 tile of C; each thread a 4×4 block kept in
 * four vec4 registers. The columns are walked segment by segment (a segment = one scale
 * group of both operands, word-aligned), and each segment in chunks of 4 words: the chunk's
 * words of the b_A (b_B) bit planes of the tile's 64 A (B) rows are staged in workgroup
 * memory, laid out [plane][row][word] (at most 2 × 8·64·4 u32 = 16 KiB, WebGPU's default
 * limit), words past the segment staged as 0. A thread accumulates, per output,
 * wsum = Σ_{i,j} 2^(i+j)·popcount(A_i ⊕ B_j) (`countOneBits` on vec4<u32>); at the segment
 * end it recovers the exact integer dot acc = cnt·(2^b_A − 1)(2^b_B − 1) − 2·wsum (in u32
 * arithmetic, which wraps modulo 2^32, so the i32 bit pattern is exact whenever
 * |acc| < 2^31) and adds s_A·s_B·f32(acc) to C.
 * Pad bits past K are 0 in both operands (XOR 0) and `cnt` counts only real columns.
 *
 * Bindings: 0 params (uniform, 16 × u32), 1 A planes, 2 B planes, 3 A scales, 4 B scales,
 * 5 C (f32, M×N), 6 accumulators (i32 bit patterns as u32, M×N×nSeg; written only when
 * params.writeAcc ≠ 0).
 * @internal
 */
export const BIT_SERIAL_WGSL = /* wgsl */ `
struct Params {
  M: u32, N: u32, K: u32, words: u32,
  ba: u32, bb: u32, segSize: u32, nSeg: u32,
  segWords: u32, groupsA: u32, groupSizeA: u32, groupsB: u32,
  groupSizeB: u32, writeAcc: u32, pad0: u32, pad1: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> A: array<u32>;
@group(0) @binding(2) var<storage, read> B: array<u32>;
@group(0) @binding(3) var<storage, read> SA: array<f32>;
@group(0) @binding(4) var<storage, read> SB: array<f32>;
@group(0) @binding(5) var<storage, read_write> C: array<f32>;
@group(0) @binding(6) var<storage, read_write> ACC: array<u32>;

const TILE: u32 = 64u;   // rows of A and of B per workgroup
const RB: u32 = 4u;      // register block per thread (RB × RB outputs)
const CH: u32 = 4u;      // words per chunk
const TSZ: u32 = 2048u;  // 8 planes * TILE * CH

var<workgroup> tA: array<u32, TSZ>;
var<workgroup> tB: array<u32, TSZ>;

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3u,
        @builtin(local_invocation_id) lid: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let m0 = wid.y * TILE;
  let n0 = wid.x * TILE;
  let mb = m0 + lid.y * RB; // this thread's first row and column of C
  let nb = n0 + lid.x * RB;
  let full = ((1u << P.ba) - 1u) * ((1u << P.bb) - 1u);
  let ra = (lid.y * RB) * CH;
  let rb = (lid.x * RB) * CH;
  let countA = P.ba * TILE * CH;
  let countB = P.bb * TILE * CH;
  // o_y[x] = C(mb + x, nb + y); vectors keep the 4×4 block in registers.
  var o0 = vec4<f32>(0.0);
  var o1 = vec4<f32>(0.0);
  var o2 = vec4<f32>(0.0);
  var o3 = vec4<f32>(0.0);
  for (var seg = 0u; seg < P.nSeg; seg++) {
    let sw0 = seg * P.segWords;
    let sw1 = min(sw0 + P.segWords, P.words);
    var ws0 = vec4<u32>(0u);
    var ws1 = vec4<u32>(0u);
    var ws2 = vec4<u32>(0u);
    var ws3 = vec4<u32>(0u);
    for (var w0 = sw0; w0 < sw1; w0 += CH) {
      for (var e = li; e < countA; e += 256u) {
        let gw = w0 + e % CH;
        let r = (e / CH) % TILE;
        let p = e / (CH * TILE);
        var v = 0u;
        if (gw < sw1 && m0 + r < P.M) { v = A[(p * P.M + m0 + r) * P.words + gw]; }
        tA[e] = v;
      }
      for (var e = li; e < countB; e += 256u) {
        let gw = w0 + e % CH;
        let r = (e / CH) % TILE;
        let p = e / (CH * TILE);
        var v = 0u;
        if (gw < sw1 && n0 + r < P.N) { v = B[(p * P.N + n0 + r) * P.words + gw]; }
        tB[e] = v;
      }
      workgroupBarrier();
      // Words past the segment were staged as 0 in both operands: XOR 0, popcount 0.
      for (var w = 0u; w < CH; w++) {
        for (var i = 0u; i < P.ba; i++) {
          let ai = i * TILE * CH + ra + w;
          let av = vec4<u32>(tA[ai], tA[ai + CH], tA[ai + 2u * CH], tA[ai + 3u * CH]);
          for (var j = 0u; j < P.bb; j++) {
            let sh = vec4<u32>(i + j);
            let bj = j * TILE * CH + rb + w;
            ws0 += countOneBits(av ^ vec4<u32>(tB[bj])) << sh;
            ws1 += countOneBits(av ^ vec4<u32>(tB[bj + CH])) << sh;
            ws2 += countOneBits(av ^ vec4<u32>(tB[bj + 2u * CH])) << sh;
            ws3 += countOneBits(av ^ vec4<u32>(tB[bj + 3u * CH])) << sh;
          }
        }
      }
      workgroupBarrier();
    }
    let col = seg * P.segSize;
    let cnt = min(P.segSize, P.K - col);
    o0 += closeColumn(ws0, seg, col, cnt * full, mb, nb);
    o1 += closeColumn(ws1, seg, col, cnt * full, mb, nb + 1u);
    o2 += closeColumn(ws2, seg, col, cnt * full, mb, nb + 2u);
    o3 += closeColumn(ws3, seg, col, cnt * full, mb, nb + 3u);
  }
  store(o0, mb, nb);
  store(o1, mb, nb + 1u);
  store(o2, mb, nb + 2u);
  store(o3, mb, nb + 3u);
}

fn scaleA(m: u32, col: u32) -> f32 {
  if (m >= P.M) { return 0.0; }
  return SA[m * P.groupsA + col / P.groupSizeA];
}

fn writeAcc(m: u32, n: u32, seg: u32, acc: i32) {
  if (m < P.M) { ACC[(m * P.N + n) * P.nSeg + seg] = bitcast<u32>(acc); }
}

// Ends a segment for column n, rows mb..mb+3: the exact integer dots
// acc = cnt·full − 2·wsum (written to ACC when asked) scaled by s_A·s_B.
fn closeColumn(ws: vec4<u32>, seg: u32, col: u32, cntFull: u32, mb: u32, n: u32) -> vec4<f32> {
  if (n >= P.N) { return vec4<f32>(0.0); }
  let acc = bitcast<vec4<i32>>(vec4<u32>(cntFull) - 2u * ws);
  if (P.writeAcc != 0u) {
    writeAcc(mb, n, seg, acc.x);
    writeAcc(mb + 1u, n, seg, acc.y);
    writeAcc(mb + 2u, n, seg, acc.z);
    writeAcc(mb + 3u, n, seg, acc.w);
  }
  let sb = SB[n * P.groupsB + col / P.groupSizeB];
  let sa = vec4<f32>(scaleA(mb, col), scaleA(mb + 1u, col), scaleA(mb + 2u, col), scaleA(mb + 3u, col));
  return (sa * sb) * vec4<f32>(acc);
}

fn store(o: vec4<f32>, mb: u32, n: u32) {
  if (n >= P.N) { return; }
  if (mb < P.M) { C[mb * P.N + n] = o.x; }
  if (mb + 1u < P.M) { C[(mb + 1u) * P.N + n] = o.y; }
  if (mb + 2u < P.M) { C[(mb + 2u) * P.N + n] = o.z; }
  if (mb + 3u < P.M) { C[(mb + 3u) * P.N + n] = o.w; }
}
`;
