export {
  GEMM_F16_WGSL,
  GEMM_F32_WGSL,
  GEMM_TILE,
  type GpuGemmOptions,
  gemm,
  gemmGpu,
} from './gemm.js';
