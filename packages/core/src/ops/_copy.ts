// Internal: copy of a strided matrix into strided storage (row-wise subarray copies when
// both rows are unit-stride).
import type { FloatArray } from '../dtype.js';
import type { Matrix } from '../matrix.js';

/** dst[dOff + i·drs + j·dcs] ← src(i, j). Assumes validated input and no overlap. */
export function copyMatrixInto(
  src: Matrix,
  dst: FloatArray,
  dOff: number,
  drs: number,
  dcs: number,
): void {
  const { rows, cols, data, offset, rowStride: rs, colStride: cs } = src;
  if (rows === 0 || cols === 0) return;
  if (cs === 1 && dcs === 1) {
    for (let i = 0; i < rows; i++) {
      const p = offset + i * rs;
      dst.set(data.subarray(p, p + cols), dOff + i * drs);
    }
    return;
  }
  for (let i = 0; i < rows; i++) {
    let p = offset + i * rs;
    let q = dOff + i * drs;
    for (let j = 0; j < cols; j++, p += cs, q += dcs) dst[q] = data[p]!;
  }
}
