export {
  type CollectCovarianceOptions,
  type CovarianceResult,
  collectCovariance,
} from './collectCovariance.js';
export {
  type InitialAdapter,
  type PlainLora,
  type ToPlainLoraOptions,
  toPlainLora,
} from './convert.js';
export { type CordaMode, type CordaOptions, type CordaResult, corda } from './corda.js';
export {
  type EoraCalibration,
  type EoraOptions,
  type EoraResult,
  eora,
} from './eora.js';
export { type ExtractedLora, type ExtractLoraOptions, extractLora } from './extract.js';
export { type LolduOptions, type LolduResult, loldu } from './loldu.js';
export { type LoraOptions, lora } from './lora.js';
export { type MergeableAdapter, mergeAdapter } from './merge.js';
export { type OloraOptions, type OloraResult, olora } from './olora.js';
export { type PissaOptions, type PissaResult, pissa } from './pissa.js';
export { type SvfitOptions, type SvfitResult, svfit } from './svfit.js';
export type * from './types.js';
