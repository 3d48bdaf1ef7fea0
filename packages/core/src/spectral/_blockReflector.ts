// Compact-WY block reflectors on row-major storage (Schreiber & Van Loan 1989; LAPACK
// dlarft forward/columnwise and dlarfb): H₀·H₁⋯H_{b−1} = I − V·T·Vᵀ with T upper
// triangular. V is held transposed and explicit, as `vt` (b rows of length len, row p the
// vector of H_p with zeros before its unit entry), so that every product below is one
// call of gemmStrided with contiguous rows.
//
// decomp/_qr.ts has the same helpers for column-major QR; they are private to that module
// and assume the QR storage layout, so the row-major spectral layouts get their own here.
// Private engine of the spectral folder; assumes validated input.
import { arenaMark, arenaRelease, workArray } from '../kernels/_wasmArena.js';
import { gemmStrided } from '../kernels/gemm.js';

/**
 * Forms the b×b upper triangular T (row-major, leading dimension b; zeros below the
 * diagonal) of the block reflector whose vectors are the rows of `vt` (leading dimension
 * len) and whose scalars are `tau[tauOff … tauOff + b)`. `g` is b×b scratch for the Gram
 * matrix VᵀV (one GEMM); the recurrence T[0:i, i] = −τᵢ·T[0:i, 0:i]·(VᵀV)[0:i, i] is
 * LAPACK dlarft's.
 */
export function _larft(
  b: number,
  len: number,
  vt: Float64Array,
  tau: Float64Array,
  tauOff: number,
  t: Float64Array,
  g: Float64Array,
): void {
  gemmStrided(b, b, len, 1, vt, 0, len, 1, vt, 0, 1, len, 0, g, 0, b, 1);
  t.fill(0, 0, b * b);
  for (let i = 0; i < b; i++) {
    const ti = tau[tauOff + i]!;
    t[i * b + i] = ti;
    if (ti === 0) continue;
    // T[r, i] = −τᵢ·Σ_{p=r}^{i−1} T[r, p]·G[p, i], rows r < i (T[0:i, 0:i] is upper)
    for (let r = 0; r < i; r++) {
      let s = 0;
      for (let p = r; p < i; p++) s += t[r * b + p]! * g[p * b + i]!;
      t[r * b + i] = -ti * s;
    }
  }
}

/**
 * C ← (I − V·op(T)·Vᵀ)·C for the row-major len×nc block C at `c[cOff]` (leading
 * dimension ldc): op(T) = T applies H₀⋯H_{b−1}, op(T) = Tᵀ (`trans`) applies its transpose.
 * `w1` and `w2` are b·nc scratch. Three GEMMs (LAPACK dlarfb, SIDE = 'L').
 */
export function _larfbLeft(
  trans: boolean,
  b: number,
  len: number,
  vt: Float64Array,
  t: Float64Array,
  c: Float64Array,
  cOff: number,
  ldc: number,
  nc: number,
  w1: Float64Array,
  w2: Float64Array,
): void {
  if (nc === 0 || len === 0 || b === 0) return;
  // W₁ = Vᵀ·C (b×nc)
  gemmStrided(b, nc, len, 1, vt, 0, len, 1, c, cOff, ldc, 1, 0, w1, 0, nc, 1);
  // W₂ = op(T)·W₁
  if (trans) gemmStrided(b, nc, b, 1, t, 0, 1, b, w1, 0, nc, 1, 0, w2, 0, nc, 1);
  else gemmStrided(b, nc, b, 1, t, 0, b, 1, w1, 0, nc, 1, 0, w2, 0, nc, 1);
  // C ← C − V·W₂
  gemmStrided(len, nc, b, -1, vt, 0, 1, len, w2, 0, nc, 1, 1, c, cOff, ldc, 1);
}

/**
 * C ← C·(I − V·op(T)·Vᵀ) for the row-major nr×len block C at `c[cOff]` (leading
 * dimension ldc): op(T) = T applies H₀⋯H_{b−1} from the right, `trans` its transpose.
 * `w1` and `w2` are nr·b scratch (LAPACK dlarfb, SIDE = 'R').
 */
export function _larfbRight(
  trans: boolean,
  b: number,
  len: number,
  vt: Float64Array,
  t: Float64Array,
  c: Float64Array,
  cOff: number,
  ldc: number,
  nr: number,
  w1: Float64Array,
  w2: Float64Array,
): void {
  if (nr === 0 || len === 0 || b === 0) return;
  // W₁ = C·V (nr×b)
  gemmStrided(nr, b, len, 1, c, cOff, ldc, 1, vt, 0, 1, len, 0, w1, 0, b, 1);
  // W₂ = W₁·op(T)
  if (trans) gemmStrided(nr, b, b, 1, w1, 0, b, 1, t, 0, 1, b, 0, w2, 0, b, 1);
  else gemmStrided(nr, b, b, 1, w1, 0, b, 1, t, 0, b, 1, 0, w2, 0, b, 1);
  // C ← C − W₂·Vᵀ
  gemmStrided(nr, len, b, -1, w2, 0, b, 1, vt, 0, len, 1, 1, c, cOff, ldc, 1);
}

/**
 * C ← Q·C (or Qᵀ·C when `trans`) for the row-major N×nc `c` (leading dimension ldc; its
 * rows are the coordinates 0 … N−1), with Q = H₀·H₁⋯H_{r−1} given by r reflectors stored in
 * any of the layouts the spectral and QR codes leave behind: reflector j acts on
 * coordinates j + shift … N−1, has its unit at coordinate j + shift, and keeps the entry
 * of coordinate t > j + shift at `w[off + j·js + t·ts]`; τⱼ is `tau[j]`. The reflectors go
 * in compact-WY blocks of `applyNb` (LAPACK dormqr/dormtr/dormbr, SIDE = 'L'): about
 * 4·N·r·nc flops, all in GEMM. `nb` blocks are formed last to first for Q·C, first to last
 * for Qᵀ·C.
 */
export function _applyReflectorsLeft(
  trans: boolean,
  r: number,
  N: number,
  shift: number,
  w: Float64Array,
  off: number,
  js: number,
  ts: number,
  tau: Float64Array,
  c: Float64Array,
  ldc: number,
  nc: number,
  nb: number,
): void {
  if (r <= 0 || nc === 0) return;
  const nbMax = Math.max(1, Math.min(nb, r));
  const len0 = N - shift;
  const mark = arenaMark();
  // the reflector block and the products with C in wasm memory where possible
  const vt = workArray(nbMax * len0);
  const t = new Float64Array(nbMax * nbMax);
  const g = new Float64Array(nbMax * nbMax);
  const w1 = workArray(nbMax * nc);
  const w2 = workArray(nbMax * nc);
  const blocks = Math.ceil(r / nbMax);
  try {
    applyBlocks(
      trans,
      r,
      N,
      shift,
      w,
      off,
      js,
      ts,
      tau,
      c,
      ldc,
      nc,
      nbMax,
      blocks,
      vt,
      t,
      g,
      w1,
      w2,
    );
  } finally {
    arenaRelease(mark);
  }
}

function applyBlocks(
  trans: boolean,
  r: number,
  N: number,
  shift: number,
  w: Float64Array,
  off: number,
  js: number,
  ts: number,
  tau: Float64Array,
  c: Float64Array,
  ldc: number,
  nc: number,
  nbMax: number,
  blocks: number,
  vt: Float64Array,
  t: Float64Array,
  g: Float64Array,
  w1: Float64Array,
  w2: Float64Array,
): void {
  for (let s = 0; s < blocks; s++) {
    const j0 = (trans ? s : blocks - 1 - s) * nbMax;
    const b = Math.min(nbMax, r - j0);
    const c0 = j0 + shift; // first coordinate the block touches
    const len = N - c0;
    for (let p = 0; p < b; p++) {
      const row = p * len;
      const src = off + (j0 + p) * js;
      vt.fill(0, row, row + p);
      vt[row + p] = 1;
      for (let q = p + 1; q < len; q++) vt[row + q] = w[src + (c0 + q) * ts]!;
    }
    _larft(b, len, vt, tau, j0, t, g);
    _larfbLeft(trans, b, len, vt, t, c, c0 * ldc, ldc, nc, w1, w2);
  }
}
