export {
  type CompleteMatrixOptions,
  type CompletionMethod,
  type CompletionProgress,
  type CompletionResult,
  type CompletionStop,
  completeMatrix,
} from './completeMatrix.js';
export {
  type EntryMeasurementsOptions,
  entryMeasurements,
  type GaussianMeasurementsOptions,
  gaussianMeasurements,
  type MeasurementOperator,
} from './measurements.js';
export { type EntryIndex, ObservedEntries } from './observed.js';
export { type ParsedRatings, type ParseRatingsOptions, parseRatings } from './parseRatings.js';
export { type SensingGDOptions, type SensingGDResult, sensingGD } from './sensingGD.js';
export {
  type SplitObservedOptions,
  type SplitObservedResult,
  splitObserved,
} from './splitObserved.js';
export {
  type SubgradientL1Options,
  type SubgradientL1Result,
  subgradientL1,
} from './subgradientL1.js';
