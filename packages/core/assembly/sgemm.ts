// Single-precision GEMM on WebAssembly SIMD (f32x4): the structure of dgemm.ts with a 4×8
// micro-kernel (two f32x4 per row, eight accumulators; 6×8 spilled and ran ~40 % slower
// here). Products and sums are rounded to f32, as in BLAS sgemm.
//
// Blocking: a KC×NR sliver of packed B (256·8·4 = 8 KiB) stays in L1 while MC×KC of packed
// A (128·256·4 = 128 KiB) streams from L2; NC bounds the packed B panel (1 MiB).

const MR = 4;
const NR = 8;
const KC = 256;
const MC = 128;
const NC = 1024;

const PACK_A_BYTES: i32 = MC * KC * 4;
const PACK_B_BYTES: i32 = KC * NC * 4;
const TILE_BYTES: i32 = MR * NR * 4;

/** Bytes of workspace one call of {@link sgemm} needs. */
export function sgemmWorkspaceBytes(): i32 {
  return PACK_A_BYTES + PACK_B_BYTES + TILE_BYTES;
}

// Tile update modes, as in dgemm.ts: C = α·AB; C += α·AB; C = α·AB + β·C.
const MODE_SET = 0;
const MODE_ADD = 1;
const MODE_SCALE = 2;

function storeRow(p: usize, lo: v128, hi: v128, va: v128, vb: v128, mode: i32): void {
  if (mode === MODE_SET) {
    v128.store(p, f32x4.mul(lo, va));
    v128.store(p, f32x4.mul(hi, va), 16);
  } else if (mode === MODE_ADD) {
    v128.store(p, f32x4.add(v128.load(p), f32x4.mul(lo, va)));
    v128.store(p, f32x4.add(v128.load(p, 16), f32x4.mul(hi, va)), 16);
  } else {
    v128.store(p, f32x4.add(f32x4.mul(v128.load(p), vb), f32x4.mul(lo, va)));
    v128.store(p, f32x4.add(f32x4.mul(v128.load(p, 16), vb), f32x4.mul(hi, va)), 16);
  }
}

function kernel4x8(
  kc: i32,
  pa: usize,
  pb: usize,
  c: usize,
  ldc: usize,
  alpha: f32,
  beta: f32,
  mode: i32,
): void {
  let c00 = f32x4.splat(0);
  let c01 = c00;
  let c10 = c00;
  let c11 = c00;
  let c20 = c00;
  let c21 = c00;
  let c30 = c00;
  let c31 = c00;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = f32x4.add(c00, f32x4.mul(a, b0));
    c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 4);
    c10 = f32x4.add(c10, f32x4.mul(a, b0));
    c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 8);
    c20 = f32x4.add(c20, f32x4.mul(a, b0));
    c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 12);
    c30 = f32x4.add(c30, f32x4.mul(a, b0));
    c31 = f32x4.add(c31, f32x4.mul(a, b1));
    pa += 16;
    pb += 32;
  }
  const va = f32x4.splat(alpha);
  const vb = f32x4.splat(beta);
  storeRow(c, c00, c01, va, vb, mode);
  storeRow(c + ldc, c10, c11, va, vb, mode);
  storeRow(c + 2 * ldc, c20, c21, va, vb, mode);
  storeRow(c + 3 * ldc, c30, c31, va, vb, mode);
}

// MR-row slivers of A: sliver s, step p holds A[s·MR + 0..MR)[p]; rows past mc are zero.
function packA(mc: i32, kc: i32, a: usize, ars: i32, acs: i32, pa: usize): void {
  const rs = (<usize>ars) << 2;
  const cs = (<usize>acs) << 2;
  let q = pa;
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const mr = min<i32>(MR, mc - i0);
    let r0 = a + <usize>i0 * rs;
    if (mr === MR && ars === 1) {
      for (let p = 0; p < kc; p++) {
        v128.store(q, v128.load(r0));
        r0 += cs;
        q += 16;
      }
    } else if (mr === MR) {
      let r1 = r0 + rs;
      let r2 = r1 + rs;
      let r3 = r2 + rs;
      for (let p = 0; p < kc; p++) {
        store<f32>(q, load<f32>(r0));
        store<f32>(q, load<f32>(r1), 4);
        store<f32>(q, load<f32>(r2), 8);
        store<f32>(q, load<f32>(r3), 12);
        r0 += cs;
        r1 += cs;
        r2 += cs;
        r3 += cs;
        q += 16;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let ii = 0; ii < MR; ii++) {
          store<f32>(q, ii < mr ? load<f32>(r0 + <usize>ii * rs) : <f32>0);
          q += 4;
        }
        r0 += cs;
      }
    }
  }
}

// NR-column slivers of B: sliver s, step p holds B[p][s·NR + 0..NR); columns past nc are 0.
function packB(kc: i32, nc: i32, b: usize, brs: i32, bcs: i32, pb: usize): void {
  const rs = (<usize>brs) << 2;
  const cs = (<usize>bcs) << 2;
  let q = pb;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const nr = min<i32>(NR, nc - j0);
    let s0 = b + <usize>j0 * cs;
    if (nr === NR && bcs === 1) {
      for (let p = 0; p < kc; p++) {
        v128.store(q, v128.load(s0));
        v128.store(q, v128.load(s0, 16), 16);
        s0 += rs;
        q += 32;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let jj = 0; jj < NR; jj++) {
          store<f32>(q, jj < nr ? load<f32>(s0 + <usize>jj * cs) : <f32>0);
          q += 4;
        }
        s0 += rs;
      }
    }
  }
}

function macroKernel(
  mc: i32,
  nc: i32,
  kc: i32,
  alpha: f32,
  beta: f32,
  mode: i32,
  c: usize,
  crs: i32,
  ccs: i32,
  pa: usize,
  pb: usize,
  tile: usize,
): void {
  const rs = (<usize>crs) << 2;
  const cs = (<usize>ccs) << 2;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const nr = min<i32>(NR, nc - j0);
    const pbj = pb + ((<usize>j0 * <usize>kc) << 2);
    for (let i0 = 0; i0 < mc; i0 += MR) {
      const mr = min<i32>(MR, mc - i0);
      const pai = pa + ((<usize>i0 * <usize>kc) << 2);
      const cp = c + <usize>i0 * rs + <usize>j0 * cs;
      if (mr === MR && nr === NR && ccs === 1) {
        kernel4x8(kc, pai, pbj, cp, rs, alpha, beta, mode);
      } else {
        kernel4x8(kc, pai, pbj, tile, NR * 4, alpha, 0, MODE_SET);
        for (let ii = 0; ii < mr; ii++) {
          const row = cp + <usize>ii * rs;
          const t = tile + <usize>(ii * NR * 4);
          for (let jj = 0; jj < nr; jj++) {
            const q = row + <usize>jj * cs;
            const v = load<f32>(t + ((<usize>jj) << 2));
            if (mode === MODE_SET) store<f32>(q, v);
            else if (mode === MODE_ADD) store<f32>(q, load<f32>(q) + v);
            else store<f32>(q, v + beta * load<f32>(q));
          }
        }
      }
    }
  }
}

/**
 * C ← α·A·B + β·C in single precision; the contract of `dgemm` with 4-byte elements.
 * Assumes validated input.
 */
export function sgemm(
  m: i32,
  n: i32,
  k: i32,
  alpha: f32,
  a: usize,
  ars: i32,
  acs: i32,
  b: usize,
  brs: i32,
  bcs: i32,
  beta: f32,
  c: usize,
  crs: i32,
  ccs: i32,
  ws: usize,
): void {
  if (m <= 0 || n <= 0) return;
  const crsB = (<usize>crs) << 2;
  const ccsB = (<usize>ccs) << 2;
  if (k <= 0 || alpha === 0) {
    for (let i = 0; i < m; i++) {
      const row = c + <usize>i * crsB;
      for (let j = 0; j < n; j++) {
        const q = row + <usize>j * ccsB;
        store<f32>(q, beta === 0 ? <f32>0 : beta * load<f32>(q));
      }
    }
    return;
  }
  const pa = ws;
  const pb = ws + PACK_A_BYTES;
  const tile = pb + PACK_B_BYTES;
  const firstMode = beta === 0 ? MODE_SET : beta === 1 ? MODE_ADD : MODE_SCALE;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min<i32>(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min<i32>(KC, k - pc);
      const mode = pc === 0 ? firstMode : MODE_ADD;
      packB(kc, nc, b + ((<usize>(pc * brs + jc * bcs)) << 2), brs, bcs, pb);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min<i32>(MC, m - ic);
        packA(mc, kc, a + ((<usize>(ic * ars + pc * acs)) << 2), ars, acs, pa);
        const cp = c + <usize>ic * crsB + <usize>jc * ccsB;
        macroKernel(mc, nc, kc, alpha, beta, mode, cp, crs, ccs, pa, pb, tile);
      }
    }
  }
}
