export { Adam, type AdamOptions } from './adam.js';
export { type TrainableFromInitOptions, trainableFromInit } from './fromInit.js';
export {
  CoreAdapterLinear,
  DenseLinear,
  DiagonalAdapterLinear,
  LoraLinear,
  type LoraLinearOptions,
  type TrainableLinear,
} from './layers.js';
export {
  crossEntropy,
  type EpochRecord,
  evaluateClassifier,
  Mlp,
  type TrainClassifierOptions,
  type TrainClassifierResult,
  trainClassifier,
} from './mlp.js';
export { countParameters, type Param, param, zeroGrad } from './param.js';
