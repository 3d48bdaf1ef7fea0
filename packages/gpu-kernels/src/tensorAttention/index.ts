export {
  type TensorAttentionGpuResult,
  type TensorAttentionGpuTensors,
  tensorAttention,
  tensorAttentionTensors,
} from './tensorAttention.js';
export {
  type TensorAttentionOptions,
  type TensorAttentionResult,
  tensorAttentionCpu,
} from './tensorAttentionCpu.js';
export {
  type ExpPolyMethod,
  type TensorAttentionPolyOptions,
  type TensorAttentionPolyResult,
  tensorAttentionPoly,
} from './tensorAttentionPoly.js';
export {
  type TensorAttentionPolyGpuResult,
  type TensorAttentionPolyGpuTensors,
  type TensorAttentionPolyTensorsOptions,
  tensorAttentionPolyGpu,
  tensorAttentionPolyTensors,
} from './tensorAttentionPolyGpu.js';
