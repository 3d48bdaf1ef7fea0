// Strided 2-D copies for the work arrays of the factorizations (private). A plain element
// loop that writes with a large stride (a transpose) touches a new cache line and often a
// new page per element; going through 32×32 tiles keeps both sides in cache.

import type { FloatArray } from '../dtype.js';

const TILE = 32;

/**
 * dst[dOff + i·drs + j·dcs] = src[sOff + i·srs + j·scs] for i < rows, j < cols. A
 * contiguous same-layout copy is one `set` (memcpy); anything else goes tile by tile.
 */
export function copy2d(
  rows: number,
  cols: number,
  src: FloatArray,
  sOff: number,
  srs: number,
  scs: number,
  dst: FloatArray,
  dOff: number,
  drs: number,
  dcs: number,
): void {
  if (rows === 0 || cols === 0) return;
  if (scs === 1 && dcs === 1 && (rows === 1 || (srs === cols && drs === cols))) {
    dst.set(src.subarray(sOff, sOff + rows * cols), dOff);
    return;
  }
  if ((scs === 1 && dcs === 1) || (srs === 1 && drs === 1)) {
    // same contiguous direction: row (or column) copies
    const byRows = scs === 1;
    const outer = byRows ? rows : cols;
    const inner = byRows ? cols : rows;
    const so = byRows ? srs : scs;
    const dO = byRows ? drs : dcs;
    for (let t = 0; t < outer; t++) {
      const s = sOff + t * so;
      dst.set(src.subarray(s, s + inner), dOff + t * dO);
    }
    return;
  }
  for (let i0 = 0; i0 < rows; i0 += TILE) {
    const i1 = Math.min(rows, i0 + TILE);
    for (let j0 = 0; j0 < cols; j0 += TILE) {
      const j1 = Math.min(cols, j0 + TILE);
      for (let i = i0; i < i1; i++) {
        let s = sOff + i * srs + j0 * scs;
        let d = dOff + i * drs + j0 * dcs;
        for (let j = j0; j < j1; j++, s += scs, d += dcs) dst[d] = src[s]!;
      }
    }
  }
}
