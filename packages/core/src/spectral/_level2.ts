// Matrix-vector products on row-major blocks, for the panels of the blocked reductions
// (LAPACK dlatrd/dlabrd): the two large products per column of the bidiagonal panel
// (A₂₂ᵀ·u and A₂₂·v) and the panel-width corrections. They read the block in place, four
// rows per pass: a product is one sweep over memory, where a copy into another buffer
// first (as the WebAssembly gemv does at every call) adds a second sweep over the whole
// trailing block per column (measured: 18% of svd 500×500). Candidates for kernels/ with
// SIMD versions.
// Private engine of the spectral folder; assumes validated input.

/**
 * y ← β·y + α·Σᵢ x[xoff + i·incx]·a[off + i·ld + (0 … cols)] over i < rows (β is 0 or 1):
 * y = α·Aᵀ·x for the row-major rows×cols block A, as a combination of its rows, four rows
 * per pass over y.
 */
export function _rowsCombine(
  rows: number,
  cols: number,
  alpha: number,
  a: Float64Array,
  off: number,
  ld: number,
  x: Float64Array,
  xoff: number,
  incx: number,
  beta: 0 | 1,
  y: Float64Array,
  yoff: number,
): void {
  if (beta === 0) y.fill(0, yoff, yoff + cols);
  // one loop for all rows: the 1–3 rows of a last partial group reuse a valid row with a
  // zero multiplier (adding exact zeros), so V8 sees a single hot loop
  for (let i = 0; i < rows; i += 4) {
    const b0 = off + i * ld - yoff;
    const b1 = i + 1 < rows ? b0 + ld : b0;
    const b2 = i + 2 < rows ? b0 + 2 * ld : b0;
    const b3 = i + 3 < rows ? b0 + 3 * ld : b0;
    const x0 = alpha * x[xoff + i * incx]!;
    const x1 = i + 1 < rows ? alpha * x[xoff + (i + 1) * incx]! : 0;
    const x2 = i + 2 < rows ? alpha * x[xoff + (i + 2) * incx]! : 0;
    const x3 = i + 3 < rows ? alpha * x[xoff + (i + 3) * incx]! : 0;
    for (let j = yoff, end = yoff + cols; j < end; j++) {
      y[j] += a[b0 + j]! * x0 + a[b1 + j]! * x1 + a[b2 + j]! * x2 + a[b3 + j]! * x3;
    }
  }
}

/**
 * y[yoff + i] ← β·y[yoff + i] + α·Σⱼ a[off + i·ld + j]·x[xoff + j] for i < rows, j < cols
 * (β is 0 or 1): y = α·A·x for the row-major rows×cols block A and a contiguous x, one dot
 * product per row, four rows per pass over x.
 */
export function _rowsDot(
  rows: number,
  cols: number,
  alpha: number,
  a: Float64Array,
  off: number,
  ld: number,
  x: Float64Array,
  xoff: number,
  beta: 0 | 1,
  y: Float64Array,
  yoff: number,
): void {
  // one loop for all rows: a last partial group recomputes a valid row and drops it
  for (let i = 0; i < rows; i += 4) {
    const b0 = off + i * ld - xoff;
    const b1 = i + 1 < rows ? b0 + ld : b0;
    const b2 = i + 2 < rows ? b0 + 2 * ld : b0;
    const b3 = i + 3 < rows ? b0 + 3 * ld : b0;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = xoff, end = xoff + cols; j < end; j++) {
      const xj = x[j]!;
      s0 += a[b0 + j]! * xj;
      s1 += a[b1 + j]! * xj;
      s2 += a[b2 + j]! * xj;
      s3 += a[b3 + j]! * xj;
    }
    // β = 0 overwrites y (whatever it held)
    const q = yoff + i;
    y[q] = (beta === 0 ? 0 : y[q]!) + alpha * s0;
    if (i + 1 < rows) y[q + 1] = (beta === 0 ? 0 : y[q + 1]!) + alpha * s1;
    if (i + 2 < rows) y[q + 2] = (beta === 0 ? 0 : y[q + 2]!) + alpha * s2;
    if (i + 3 < rows) y[q + 3] = (beta === 0 ? 0 : y[q + 3]!) + alpha * s3;
  }
}
