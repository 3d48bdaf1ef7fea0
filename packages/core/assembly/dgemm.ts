// Double-precision GEMM on WebAssembly SIMD (f64x2), Goto/BLIS blocking.
//
// C ← α·A·B + β·C for A m×k, B k×n, C m×n, all addressed as `base + (i·rowStride +
// j·colStride)·8` bytes, so transposes and sub-blocks arrive as strides and the packing
// routines below absorb them. The micro-kernel keeps a 4×4 tile of C in eight v128
// registers (two f64x2 per row): with V8's 16 xmm registers on x64 a 4×4 tile leaves room
// for the two B vectors and the A broadcast; 6×4 and 4×6 tiles (12 accumulators) measured
// 30–50 % slower here because they spill. Baseline wasm SIMD has no FMA, so every update
// is an f64x2.mul then an f64x2.add.
//
// Blocking: a KC×NR sliver of packed B (256·4·8 = 8 KiB) stays in L1 while MC×KC of packed
// A (128·256·8 = 256 KiB) streams from L2; NC bounds the packed B panel (2 MiB).
//
// Memory: no allocation. The caller passes `ws`, a workspace of `dgemmWorkspaceBytes()`
// bytes (packed A, packed B, one spill tile), one per thread.

const MR = 4;
const NR = 4;
const KC = 256;
const MC = 128;
const NC = 1024;

const PACK_A_BYTES: i32 = MC * KC * 8;
const PACK_B_BYTES: i32 = KC * NC * 8;
const TILE_BYTES: i32 = MR * NR * 8;

/** Bytes of workspace one call of {@link dgemm} needs. */
export function dgemmWorkspaceBytes(): i32 {
  return PACK_A_BYTES + PACK_B_BYTES + TILE_BYTES;
}

// Update modes of a C tile: 0: C = α·AB (β = 0, C is not read, NaN in C does not
// propagate); 1: C += α·AB; 2: C = α·AB + β·C.
const MODE_SET = 0;
const MODE_ADD = 1;
const MODE_SCALE = 2;

function storeRow(p: usize, lo: v128, hi: v128, va: v128, vb: v128, mode: i32): void {
  if (mode === MODE_SET) {
    v128.store(p, f64x2.mul(lo, va));
    v128.store(p, f64x2.mul(hi, va), 16);
  } else if (mode === MODE_ADD) {
    v128.store(p, f64x2.add(v128.load(p), f64x2.mul(lo, va)));
    v128.store(p, f64x2.add(v128.load(p, 16), f64x2.mul(hi, va)), 16);
  } else {
    v128.store(p, f64x2.add(f64x2.mul(v128.load(p), vb), f64x2.mul(lo, va)));
    v128.store(p, f64x2.add(f64x2.mul(v128.load(p, 16), vb), f64x2.mul(hi, va)), 16);
  }
}

// The 4×4 micro-kernel: acc = Σ_p packA[p][0..4)ᵀ · packB[p][0..4), then the tile update
// on rows of 4 contiguous doubles at `c`, `c + ldc`, ... (ldc in bytes).
function kernel4x4(
  kc: i32,
  pa: usize,
  pb: usize,
  c: usize,
  ldc: usize,
  alpha: f64,
  beta: f64,
  mode: i32,
): void {
  let c00 = f64x2.splat(0);
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
    let a = v128.load64_splat(pa);
    c00 = f64x2.add(c00, f64x2.mul(a, b0));
    c01 = f64x2.add(c01, f64x2.mul(a, b1));
    a = v128.load64_splat(pa, 8);
    c10 = f64x2.add(c10, f64x2.mul(a, b0));
    c11 = f64x2.add(c11, f64x2.mul(a, b1));
    a = v128.load64_splat(pa, 16);
    c20 = f64x2.add(c20, f64x2.mul(a, b0));
    c21 = f64x2.add(c21, f64x2.mul(a, b1));
    a = v128.load64_splat(pa, 24);
    c30 = f64x2.add(c30, f64x2.mul(a, b0));
    c31 = f64x2.add(c31, f64x2.mul(a, b1));
    pa += 32;
    pb += 32;
  }
  const va = f64x2.splat(alpha);
  const vb = f64x2.splat(beta);
  storeRow(c, c00, c01, va, vb, mode);
  storeRow(c + ldc, c10, c11, va, vb, mode);
  storeRow(c + 2 * ldc, c20, c21, va, vb, mode);
  storeRow(c + 3 * ldc, c30, c31, va, vb, mode);
}

// Packs the mc×kc block of A at `a` into MR-row slivers: sliver s, step p holds
// A[s·MR + 0..MR)[p] contiguously; rows past mc are zero.
function packA(mc: i32, kc: i32, a: usize, ars: i32, acs: i32, pa: usize): void {
  const rs = (<usize>ars) << 3;
  const cs = (<usize>acs) << 3;
  let q = pa;
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const mr = min<i32>(MR, mc - i0);
    let r0 = a + <usize>i0 * rs;
    if (mr === MR && ars === 1) {
      for (let p = 0; p < kc; p++) {
        v128.store(q, v128.load(r0));
        v128.store(q, v128.load(r0, 16), 16);
        r0 += cs;
        q += 32;
      }
    } else if (mr === MR && acs === 1) {
      // row-major A: two steps at a time, a 2×2 transpose of each row pair by shuffles
      let r1 = r0 + rs;
      let r2 = r1 + rs;
      let r3 = r2 + rs;
      let p = 0;
      for (; p + 2 <= kc; p += 2) {
        const x0 = v128.load(r0);
        const x1 = v128.load(r1);
        const x2 = v128.load(r2);
        const x3 = v128.load(r3);
        v128.store(q, f64x2.shuffle(x0, x1, 0, 2));
        v128.store(q, f64x2.shuffle(x2, x3, 0, 2), 16);
        v128.store(q, f64x2.shuffle(x0, x1, 1, 3), 32);
        v128.store(q, f64x2.shuffle(x2, x3, 1, 3), 48);
        r0 += 16;
        r1 += 16;
        r2 += 16;
        r3 += 16;
        q += 64;
      }
      if (p < kc) {
        store<f64>(q, load<f64>(r0));
        store<f64>(q, load<f64>(r1), 8);
        store<f64>(q, load<f64>(r2), 16);
        store<f64>(q, load<f64>(r3), 24);
        q += 32;
      }
    } else if (mr === MR) {
      let r1 = r0 + rs;
      let r2 = r1 + rs;
      let r3 = r2 + rs;
      for (let p = 0; p < kc; p++) {
        store<f64>(q, load<f64>(r0));
        store<f64>(q, load<f64>(r1), 8);
        store<f64>(q, load<f64>(r2), 16);
        store<f64>(q, load<f64>(r3), 24);
        r0 += cs;
        r1 += cs;
        r2 += cs;
        r3 += cs;
        q += 32;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let ii = 0; ii < MR; ii++) {
          store<f64>(q, ii < mr ? load<f64>(r0 + <usize>ii * rs) : 0.0);
          q += 8;
        }
        r0 += cs;
      }
    }
  }
}

// Packs the kc×nc block of B at `b` into NR-column slivers: sliver s, step p holds
// B[p][s·NR + 0..NR) contiguously; columns past nc are zero.
function packB(kc: i32, nc: i32, b: usize, brs: i32, bcs: i32, pb: usize): void {
  const rs = (<usize>brs) << 3;
  const cs = (<usize>bcs) << 3;
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
    } else if (nr === NR && brs === 1) {
      // column-major B: two steps at a time, a 2×2 transpose of each column pair
      let s1 = s0 + cs;
      let s2 = s1 + cs;
      let s3 = s2 + cs;
      let p = 0;
      for (; p + 2 <= kc; p += 2) {
        const x0 = v128.load(s0);
        const x1 = v128.load(s1);
        const x2 = v128.load(s2);
        const x3 = v128.load(s3);
        v128.store(q, f64x2.shuffle(x0, x1, 0, 2));
        v128.store(q, f64x2.shuffle(x2, x3, 0, 2), 16);
        v128.store(q, f64x2.shuffle(x0, x1, 1, 3), 32);
        v128.store(q, f64x2.shuffle(x2, x3, 1, 3), 48);
        s0 += 16;
        s1 += 16;
        s2 += 16;
        s3 += 16;
        q += 64;
      }
      if (p < kc) {
        store<f64>(q, load<f64>(s0));
        store<f64>(q, load<f64>(s1), 8);
        store<f64>(q, load<f64>(s2), 16);
        store<f64>(q, load<f64>(s3), 24);
        q += 32;
      }
    } else if (nr === NR) {
      let s1 = s0 + cs;
      let s2 = s1 + cs;
      let s3 = s2 + cs;
      for (let p = 0; p < kc; p++) {
        store<f64>(q, load<f64>(s0));
        store<f64>(q, load<f64>(s1), 8);
        store<f64>(q, load<f64>(s2), 16);
        store<f64>(q, load<f64>(s3), 24);
        s0 += rs;
        s1 += rs;
        s2 += rs;
        s3 += rs;
        q += 32;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let jj = 0; jj < NR; jj++) {
          store<f64>(q, jj < nr ? load<f64>(s0 + <usize>jj * cs) : 0.0);
          q += 8;
        }
        s0 += rs;
      }
    }
  }
}

// C[mc×nc] (at `c`) updated from the packed panels, one MR×NR tile at a time. Tiles that
// are partial, or whose rows are not contiguous (ccs ≠ 1), go through the spill tile.
function macroKernel(
  mc: i32,
  nc: i32,
  kc: i32,
  alpha: f64,
  beta: f64,
  mode: i32,
  c: usize,
  crs: i32,
  ccs: i32,
  pa: usize,
  pb: usize,
  tile: usize,
): void {
  const rs = (<usize>crs) << 3;
  const cs = (<usize>ccs) << 3;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const nr = min<i32>(NR, nc - j0);
    const pbj = pb + ((<usize>j0 * <usize>kc) << 3);
    for (let i0 = 0; i0 < mc; i0 += MR) {
      const mr = min<i32>(MR, mc - i0);
      const pai = pa + ((<usize>i0 * <usize>kc) << 3);
      const cp = c + <usize>i0 * rs + <usize>j0 * cs;
      if (mr === MR && nr === NR && ccs === 1) {
        kernel4x4(kc, pai, pbj, cp, rs, alpha, beta, mode);
      } else {
        kernel4x4(kc, pai, pbj, tile, NR * 8, alpha, 0.0, MODE_SET);
        for (let ii = 0; ii < mr; ii++) {
          const row = cp + <usize>ii * rs;
          const t = tile + <usize>(ii * NR * 8);
          for (let jj = 0; jj < nr; jj++) {
            const q = row + <usize>jj * cs;
            const v = load<f64>(t + ((<usize>jj) << 3));
            if (mode === MODE_SET) store<f64>(q, v);
            else if (mode === MODE_ADD) store<f64>(q, load<f64>(q) + v);
            else store<f64>(q, v + beta * load<f64>(q));
          }
        }
      }
    }
  }
}

/**
 * C ← α·A·B + β·C in double precision. Sizes in elements, pointers in bytes, strides in
 * elements (any sign-free layout: row-major, column-major, sub-blocks). β = 0 overwrites
 * C without reading it. k = 0 or α = 0 only scales C. `ws` is a private workspace of
 * `dgemmWorkspaceBytes()` bytes. Assumes validated input.
 */
export function dgemm(
  m: i32,
  n: i32,
  k: i32,
  alpha: f64,
  a: usize,
  ars: i32,
  acs: i32,
  b: usize,
  brs: i32,
  bcs: i32,
  beta: f64,
  c: usize,
  crs: i32,
  ccs: i32,
  ws: usize,
): void {
  if (m <= 0 || n <= 0) return;
  const crsB = (<usize>crs) << 3;
  const ccsB = (<usize>ccs) << 3;
  if (k <= 0 || alpha === 0) {
    for (let i = 0; i < m; i++) {
      const row = c + <usize>i * crsB;
      for (let j = 0; j < n; j++) {
        const q = row + <usize>j * ccsB;
        store<f64>(q, beta === 0 ? 0.0 : beta * load<f64>(q));
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
      packB(kc, nc, b + ((<usize>(pc * brs + jc * bcs)) << 3), brs, bcs, pb);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min<i32>(MC, m - ic);
        packA(mc, kc, a + ((<usize>(ic * ars + pc * acs)) << 3), ars, acs, pa);
        const cp = c + <usize>ic * crsB + <usize>jc * ccsB;
        macroKernel(mc, nc, kc, alpha, beta, mode, cp, crs, ccs, pa, pb, tile);
      }
    }
  }
}
