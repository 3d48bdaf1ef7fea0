import { asMatrix, Matrix, ShapeError } from '@lr/core';

/**
 * CPU reference of the fused LoRA forward `y = x·Wᵀ + s·(x·Aᵀ)·Bᵀ` in float64.
 *
 * @param x n×in inputs (rows are tokens)
 * @param W out×in frozen weight
 * @param A r×in LoRA down-projection
 * @param B out×r LoRA up-projection
 * @param scale s (α/r in the LoRA paper's notation)
 * @returns n×out float64
 * @throws {ShapeError} when the shapes do not chain
 * @example
 * loraReference(x, W, A, B, 2).rows; // x.rows
 */
export function loraReference(x: Matrix, W: Matrix, A: Matrix, B: Matrix, scale = 1): Matrix {
  const X = asMatrix('x', x);
  const w = asMatrix('W', W);
  const a = asMatrix('A', A);
  const b = asMatrix('B', B);
  checkLoraShapes(X, w, a, b);
  const n = X.rows;
  const din = X.cols;
  const dout = w.rows;
  const r = a.rows;
  const t = new Float64Array(n * r);
  for (let i = 0; i < n; i++)
    for (let q = 0; q < r; q++) {
      let s = 0;
      for (let k = 0; k < din; k++) s += X.get(i, k) * a.get(q, k);
      t[i * r + q] = scale * s;
    }
  const y = new Float64Array(n * dout);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < dout; j++) {
      let s = 0;
      for (let k = 0; k < din; k++) s += X.get(i, k) * w.get(j, k);
      for (let q = 0; q < r; q++) s += t[i * r + q]! * b.get(j, q);
      y[i * dout + j] = s;
    }
  return Matrix.fromData(y, n, dout);
}

/** @internal Throws ShapeError unless x [n,in], W [out,in], A [r,in], B [out,r] chain. */
export function checkLoraShapes(
  x: { rows: number; cols: number },
  W: { rows: number; cols: number },
  A: { rows: number; cols: number },
  B: { rows: number; cols: number },
): void {
  if (W.cols !== x.cols)
    throw new ShapeError(
      `lora: W is ${W.rows}×${W.cols}, expected out×${x.cols} (x is ${x.rows}×${x.cols})`,
    );
  if (A.cols !== x.cols)
    throw new ShapeError(`lora: A is ${A.rows}×${A.cols}, expected r×${x.cols}`);
  if (B.rows !== W.rows || B.cols !== A.rows)
    throw new ShapeError(`lora: B is ${B.rows}×${B.cols}, expected ${W.rows}×${A.rows} (out×r)`);
}
