import { Matrix } from '@lr/core';

/** A trainable tensor: its values, the gradient accumulated by `backward`, and its shape. */
export interface Param {
  readonly name: string;
  /** Row-major values (a [rows, cols] matrix or a vector with cols = 1). */
  readonly value: Float64Array;
  /** Gradient of the loss, same layout; zeroed by {@link zeroGrad}. */
  readonly grad: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

/** A parameter whose values are a copy of `init` (never the caller's storage). */
export function param(name: string, init: Matrix): Param {
  const rows = init.rows;
  const cols = init.cols;
  const value = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) value[i * cols + j] = init.get(i, j);
  return { name, value, grad: new Float64Array(rows * cols), rows, cols };
}

/** A parameter view as a matrix sharing the storage (for gemm). */
export function asMatrixView(p: Param): Matrix {
  return Matrix.fromData(p.value, p.rows, p.cols);
}

/** The gradient as a matrix sharing the storage. */
export function gradView(p: Param): Matrix {
  return Matrix.fromData(p.grad, p.rows, p.cols);
}

/** Sets every gradient to 0. */
export function zeroGrad(params: readonly Param[]): void {
  for (const p of params) p.grad.fill(0);
}

/** Total number of trainable numbers. */
export function countParameters(params: readonly Param[]): number {
  return params.reduce((s, p) => s + p.value.length, 0);
}
