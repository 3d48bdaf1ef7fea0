import { describe, InvalidArgumentError, ShapeError } from '@lr/core';
import { GpuTensor } from './gpuTensor.js';

/**
 * Throws unless `t` is a float32 {@link GpuTensor} (of `rank` dimensions when given):
 * `INVALID_ARGUMENT` for a non-tensor, `SHAPE_MISMATCH` for a wrong dtype or rank.
 * @internal
 */
export function assertF32Tensor(fn: string, name: string, t: unknown, rank?: number): GpuTensor {
  if (!(t instanceof GpuTensor))
    throw new InvalidArgumentError(`${fn}: ${name} must be a GpuTensor, got ${describe(t)}`);
  if ((rank !== undefined && t.shape.length !== rank) || t.dtype !== 'float32')
    throw new ShapeError(
      `${fn}: ${name} must be a ${rank === undefined ? '' : `${rank}-D `}float32 tensor, got [${t.shape}] ${t.dtype}`,
    );
  return t;
}
