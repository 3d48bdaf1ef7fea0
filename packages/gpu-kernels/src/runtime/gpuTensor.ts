/// <reference types="@webgpu/types" />

/** Element types a {@link GpuTensor} can hold. `float16` needs the `shader-f16` feature. */
export type GpuDType = 'float32' | 'float16' | 'uint32';

/** Bytes per element of each {@link GpuDType}. */
export const GPU_DTYPE_BYTES: Readonly<Record<GpuDType, number>> = {
  float32: 4,
  float16: 2,
  uint32: 4,
};

/**
 * A dense row-major (C order) array in a `GPUBuffer`: its shape, element type and the
 * buffer. Created by `ctx.upload`, `ctx.empty` or a kernel's GPU-level op; read back with
 * `await ctx.download(t)`. The buffer is owned by the tensor: `destroy()` frees it
 * (garbage collection does too, eventually — call it in loops).
 *
 * The buffer's byte length is the element bytes rounded up to a multiple of 4 (WebGPU
 * copy alignment) and is at least 4, so an empty tensor still has a valid buffer.
 */
export class GpuTensor {
  /** The storage buffer (usage STORAGE | COPY_SRC | COPY_DST). */
  readonly buffer: GPUBuffer;
  /** Dimensions, row-major. */
  readonly shape: readonly number[];
  /** Element type. */
  readonly dtype: GpuDType;
  private _destroyed = false;

  constructor(buffer: GPUBuffer, shape: readonly number[], dtype: GpuDType) {
    this.buffer = buffer;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
  }

  /** Number of elements. */
  get size(): number {
    let s = 1;
    for (const d of this.shape) s *= d;
    return s;
  }

  /** Bytes holding elements (without the alignment padding). */
  get byteLength(): number {
    return this.size * GPU_DTYPE_BYTES[this.dtype];
  }

  /** Rows of a 2-D tensor (the first dimension). */
  get rows(): number {
    return this.shape[0] ?? 1;
  }

  /** Columns of a 2-D tensor (the last dimension; 1 for a 1-D tensor). */
  get cols(): number {
    return this.shape.length >= 2 ? this.shape[this.shape.length - 1]! : 1;
  }

  /** True once `destroy()` ran. */
  get destroyed(): boolean {
    return this._destroyed;
  }

  /** Frees the GPU buffer (idempotent). The tensor must not be used afterwards. */
  destroy(): void {
    if (this._destroyed) return;
    this._destroyed = true;
    this.buffer.destroy();
  }
}
