import type { FloatArray } from '../dtype.js';

// Blocking in the Goto/BLIS style: C += A_block · B_panel with A packed in MR-row slivers
// and B in NR-column slivers, so the 4×4 micro-kernel streams both from contiguous
// memory. KC·NR·8 bytes of B (8 KiB) stay in L1, MC·KC·8 (256 KiB) of A in L2.
const MR = 4;
const NR = 4;
const KC = 256;
const MC = 128;
const NC = 2048;

// Workspaces reused across calls so the hot path allocates nothing.
let packA = new Float64Array(MC * KC);
let packB = new Float64Array(KC * NC);

// Below this many multiply-adds, packing costs more than it saves.
const SMALL = 32 * 32 * 32;

/**
 * The TypeScript GEMM: the reference for the WebAssembly path and the fallback where
 * WebAssembly SIMD is unavailable. Same contract as `gemmStrided`. Assumes validated input.
 */
export function gemmStridedTs(
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: FloatArray,
  aOff: number,
  ars: number,
  acs: number,
  b: FloatArray,
  bOff: number,
  brs: number,
  bcs: number,
  beta: number,
  c: FloatArray,
  cOff: number,
  crs: number,
  ccs: number,
): void {
  if (m === 0 || n === 0) return;
  if (beta !== 1) {
    for (let i = 0; i < m; i++) {
      let p = cOff + i * crs;
      if (beta === 0) for (let j = 0; j < n; j++, p += ccs) c[p] = 0;
      else for (let j = 0; j < n; j++, p += ccs) c[p] = beta * c[p]!;
    }
  }
  if (k === 0 || alpha === 0) return;
  if (m * n * k <= SMALL) {
    smallGemm(m, n, k, alpha, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, crs, ccs);
    return;
  }
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packPanelB(kc, nc, b, bOff + pc * brs + jc * bcs, brs, bcs);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packPanelA(mc, kc, a, aOff + ic * ars + pc * acs, ars, acs);
        macroKernel(mc, nc, kc, alpha, c, cOff + ic * crs + jc * ccs, crs, ccs);
      }
    }
  }
}

function smallGemm(
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: FloatArray,
  aOff: number,
  ars: number,
  acs: number,
  b: FloatArray,
  bOff: number,
  brs: number,
  bcs: number,
  c: FloatArray,
  cOff: number,
  crs: number,
  ccs: number,
): void {
  for (let i = 0; i < m; i++) {
    const ai = aOff + i * ars;
    const ci = cOff + i * crs;
    for (let p = 0; p < k; p++) {
      const s = alpha * a[ai + p * acs]!;
      if (s === 0) continue;
      const bp = bOff + p * brs;
      for (let j = 0; j < n; j++) c[ci + j * ccs] += s * b[bp + j * bcs]!;
    }
  }
}

function packPanelA(
  mc: number,
  kc: number,
  a: FloatArray,
  off: number,
  ars: number,
  acs: number,
): void {
  const need = Math.ceil(mc / MR) * MR * kc;
  if (packA.length < need) packA = new Float64Array(need);
  const pa = packA;
  let q = 0;
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const mr = Math.min(MR, mc - i0);
    for (let p = 0; p < kc; p++) {
      const base = off + i0 * ars + p * acs;
      for (let ii = 0; ii < MR; ii++) pa[q++] = ii < mr ? a[base + ii * ars]! : 0;
    }
  }
}

function packPanelB(
  kc: number,
  nc: number,
  b: FloatArray,
  off: number,
  brs: number,
  bcs: number,
): void {
  const need = Math.ceil(nc / NR) * NR * kc;
  if (packB.length < need) packB = new Float64Array(need);
  const pb = packB;
  let q = 0;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const nr = Math.min(NR, nc - j0);
    for (let p = 0; p < kc; p++) {
      const base = off + p * brs + j0 * bcs;
      if (nr === NR) {
        pb[q] = b[base]!;
        pb[q + 1] = b[base + bcs]!;
        pb[q + 2] = b[base + 2 * bcs]!;
        pb[q + 3] = b[base + 3 * bcs]!;
        q += 4;
      } else {
        for (let jj = 0; jj < NR; jj++) pb[q++] = jj < nr ? b[base + jj * bcs]! : 0;
      }
    }
  }
}

// C[mc×nc] += α · packA · packB, one MR×NR tile at a time with the tile in 16 locals.
function macroKernel(
  mc: number,
  nc: number,
  kc: number,
  alpha: number,
  c: FloatArray,
  cOff: number,
  crs: number,
  ccs: number,
): void {
  const pa = packA;
  const pb = packB;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const nr = Math.min(NR, nc - j0);
    const bBase = (j0 / NR) * kc * NR;
    for (let i0 = 0; i0 < mc; i0 += MR) {
      const mr = Math.min(MR, mc - i0);
      let ia = (i0 / MR) * kc * MR;
      let ib = bBase;
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0;
      let c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0;
      let c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0;
      let c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      for (let p = 0; p < kc; p++) {
        const a0 = pa[ia]!,
          a1 = pa[ia + 1]!,
          a2 = pa[ia + 2]!,
          a3 = pa[ia + 3]!;
        const b0 = pb[ib]!,
          b1 = pb[ib + 1]!,
          b2 = pb[ib + 2]!,
          b3 = pb[ib + 3]!;
        c00 += a0 * b0;
        c01 += a0 * b1;
        c02 += a0 * b2;
        c03 += a0 * b3;
        c10 += a1 * b0;
        c11 += a1 * b1;
        c12 += a1 * b2;
        c13 += a1 * b3;
        c20 += a2 * b0;
        c21 += a2 * b1;
        c22 += a2 * b2;
        c23 += a2 * b3;
        c30 += a3 * b0;
        c31 += a3 * b1;
        c32 += a3 * b2;
        c33 += a3 * b3;
        ia += 4;
        ib += 4;
      }
      const base = cOff + i0 * crs + j0 * ccs;
      if (mr === MR && nr === NR) {
        let r = base;
        c[r] += alpha * c00;
        c[r + ccs] += alpha * c01;
        c[r + 2 * ccs] += alpha * c02;
        c[r + 3 * ccs] += alpha * c03;
        r += crs;
        c[r] += alpha * c10;
        c[r + ccs] += alpha * c11;
        c[r + 2 * ccs] += alpha * c12;
        c[r + 3 * ccs] += alpha * c13;
        r += crs;
        c[r] += alpha * c20;
        c[r + ccs] += alpha * c21;
        c[r + 2 * ccs] += alpha * c22;
        c[r + 3 * ccs] += alpha * c23;
        r += crs;
        c[r] += alpha * c30;
        c[r + ccs] += alpha * c31;
        c[r + 2 * ccs] += alpha * c32;
        c[r + 3 * ccs] += alpha * c33;
      } else {
        const tile = [
          c00,
          c01,
          c02,
          c03,
          c10,
          c11,
          c12,
          c13,
          c20,
          c21,
          c22,
          c23,
          c30,
          c31,
          c32,
          c33,
        ];
        for (let ii = 0; ii < mr; ii++) {
          for (let jj = 0; jj < nr; jj++)
            c[base + ii * crs + jj * ccs] += alpha * tile[ii * 4 + jj]!;
        }
      }
    }
  }
}
