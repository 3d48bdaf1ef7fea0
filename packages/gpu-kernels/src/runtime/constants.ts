/**
 * WebGPU enum values (WebGPU spec §5.1 `GPUBufferUsage`, §5.2 `GPUMapMode`), spelled out
 * so library code does not depend on the `GPUBufferUsage` global, which the `webgpu` npm
 * package only installs when its `globals` are copied onto `globalThis`.
 */
export const BufferUsage = {
  MAP_READ: 0x0001,
  MAP_WRITE: 0x0002,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
} as const;

/** `GPUMapMode` values (WebGPU spec §5.2). */
export const MapMode = { READ: 0x0001, WRITE: 0x0002 } as const;

/** f32 machine epsilon 2⁻²³ (the gap between 1 and the next float32). */
export const EPS_F32 = 2 ** -23;

/** f16 machine epsilon 2⁻¹⁰. */
export const EPS_F16 = 2 ** -10;
