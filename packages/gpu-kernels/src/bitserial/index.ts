export {
  type BipolarGpuMatrix,
  type BitSerialGpuTensors,
  type BitSerialMatmulGpuResult,
  bitSerialMatmul,
  bitSerialMatmulTensors,
  uploadBipolar,
} from './bitSerialMatmul.js';
export {
  type BitSerialMatmulOptions,
  type BitSerialMatmulResult,
  bitSerialMatmulCpu,
} from './bitSerialMatmulCpu.js';
export {
  type BipolarMatrix,
  type BipolarScaleMethod,
  bipolarCodes,
  dequantizeBipolar,
  type QuantizeBipolarOptions,
  type QuantizeBipolarResult,
  quantizeBipolar,
} from './quantizeBipolar.js';
