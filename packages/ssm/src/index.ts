export type { SequenceLayout } from './_io.js';
export {
  assertComplex,
  type ComplexArray,
  type ComplexMatrix,
  complexAbs,
  complexAdd,
  complexClone,
  complexConj,
  complexDiv,
  complexExp,
  complexExpm1Over,
  complexFrom,
  complexLog,
  complexMul,
  complexScale,
  complexSub,
  complexZeros,
} from './complex.js';
export {
  type CausalConvolveOptions,
  causalConvolve,
  type SsmConvolveOptions,
  ssmConvolve,
} from './convolution.js';
export {
  bilinearDense,
  denseKernel,
  type HippoKernelOptions,
  type HippoKernelResult,
  hippoKernel,
} from './denseKernel.js';
export { assertDiagonalSsm, cloneDiagonalSsm, type DiagonalSsm } from './diagonalSsm.js';
export {
  type DiscreteSsm,
  type DiscretizeMethod,
  type DiscretizeOptions,
  discretize,
} from './discretize.js';
export {
  conjTransposeApply,
  HIPPO_MAX_N,
  type HippoMatrices,
  type HippoMeasure,
  hippo,
  hippoLagT,
  hippoLegS,
  hippoLegT,
  type NplrResult,
  nplrLegS,
} from './hippo.js';
export {
  diagonalSsmFrom,
  logUniformDt,
  S4D_INIT_DEFAULTS,
  S4D_INITS,
  S4D_MAX_N,
  type S4dDiagonal,
  type S4dInitKind,
  type S4dInitOptions,
  s4dDiagonal,
  s4dInit,
} from './inits.js';
export {
  discreteKernel,
  SSM_MAX_LENGTH,
  type SsmKernelOptions,
  type SsmKernelResult,
  ssmKernel,
} from './kernel.js';
export * from './ptd.js';
export * from './readout.js';
export { type SsmRunOptions, type SsmRunResult, ssmRecurrence } from './recurrence.js';
export * from './robustness.js';
export {
  type ForwardMode,
  S4D_AUTO_CONV_MIN_LENGTH,
  S4DLayer,
  type S4DLayerOptions,
  type S4DLoadOptions,
  s4dToSafetensors,
} from './s4dLayer.js';
export {
  type S5InitOptions,
  S5Layer,
  type S5LayerOptions,
  type S5Params,
  s5Init,
  s5ToSafetensors,
} from './s5Layer.js';
export { ssmScan } from './scan.js';
export {
  type DiagonalTransferOptions,
  type DplrSsm,
  diagonalTransfer,
  dplrTransfer,
  type KernelFromTransferOptions,
  kernelFromTransfer,
  unitCircle,
} from './transfer.js';
