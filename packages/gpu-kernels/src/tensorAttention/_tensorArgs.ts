import { InvalidArgumentError, ShapeError } from '@lr/core';
import { GpuTensor } from '../runtime/gpuTensor.js';

/** The five checked float32 device operands of tensor attention and their sizes. @internal */
export interface TensorAttentionOperands {
  q: GpuTensor;
  k1: GpuTensor;
  k2: GpuTensor;
  v1: GpuTensor;
  v2: GpuTensor;
  nq: number;
  n1: number;
  n2: number;
  d: number;
  dv: number;
}

function operand(name: string, t: unknown): GpuTensor {
  if (!(t instanceof GpuTensor) || t.dtype !== 'float32')
    throw new InvalidArgumentError(`${name}: expected a float32 GpuTensor`);
  if (t.shape.length !== 2)
    throw new ShapeError(`${name}: expected a 2-d tensor, got shape [${t.shape.join(', ')}]`);
  return t;
}

/**
 * Checks that Q `[nq, d]`, K1 `[n1, d]`, K2 `[n2, d]`, V1 `[n1, dv]`, V2 `[n2, dv]` are 2-d
 * float32 GpuTensors with d ≥ 1 and n1, n2 ≥ 1 (the device-side twin of `tensorAttentionArgs`).
 * @internal
 */
export function tensorAttentionOperands(
  Q: unknown,
  K1: unknown,
  K2: unknown,
  V1: unknown,
  V2: unknown,
): TensorAttentionOperands {
  const q = operand('Q', Q);
  const k1 = operand('K1', K1);
  const k2 = operand('K2', K2);
  const v1 = operand('V1', V1);
  const v2 = operand('V2', V2);
  const [nq, d] = q.shape as [number, number];
  const [n1, n2] = [k1.rows, k2.rows];
  const dv = v1.cols;
  if (d < 1) throw new ShapeError(`Q: expected at least one column, got shape [${nq}, ${d}]`);
  if (k1.cols !== d || k2.cols !== d)
    throw new ShapeError(
      `K1, K2: expected ${d} columns (as Q), got [${k1.shape.join(', ')}] and [${k2.shape.join(', ')}]`,
    );
  if (n1 < 1 || n2 < 1)
    throw new ShapeError(`K1, K2: expected at least one key row each, got ${n1} and ${n2}`);
  if (v1.rows !== n1 || v2.rows !== n2 || v2.cols !== dv)
    throw new ShapeError(
      `V1, V2: expected [${n1}, dv] and [${n2}, dv], got [${v1.shape.join(', ')}] and [${v2.shape.join(', ')}]`,
    );
  return { q, k1, k2, v1, v2, nq, n1, n2, d, dv };
}
