export { BufferUsage, EPS_F16, EPS_F32, MapMode } from './constants.js';
export {
  type Binding,
  type DispatchSpec,
  type GpuAdapterInfo,
  GpuContext,
  type GpuLostInfo,
  type GpuSource,
  type GpuStats,
  type Uploadable,
  type UploadOptions,
} from './context.js';
export { AUTO_FEATURES, type GetGpuOptions, getGpu, RAISED_LIMITS } from './getGpu.js';
export { GPU_DTYPE_BYTES, type GpuDType, GpuTensor } from './gpuTensor.js';
export { workgroupGrid } from './grid.js';
export { fromHalfBits, roundToHalf, toHalfBits } from './half.js';
