export { type CountSketchOptions, countSketch } from './countSketch.js';
export {
  type CrsMatmulOptions,
  type CrsMatmulResult,
  type CrsSelection,
  crsMatmul,
  crsSelect,
} from './crsMatmul.js';
export { type GaussianSketchOptions, gaussianSketch } from './gaussianSketch.js';
export {
  type LeverageScoresOptions,
  type LeverageScoresResult,
  leverageScores,
} from './leverageScores.js';
export {
  type LewisWeightsOptions,
  type LewisWeightsProgress,
  type LewisWeightsResult,
  lewisWeights,
} from './lewisWeights.js';
export {
  type LinfSketchOptions,
  type LinfSketchRowsOptions,
  linfSketch,
  linfSketchRows,
} from './linfSketch.js';
export {
  type LpSensitivitiesOptions,
  type LpSensitivitiesResult,
  lpSensitivities,
} from './lpSensitivities.js';
export { type MakeSketchOptions, makeSketch, type SketchChoice } from './makeSketch.js';
export { type OsnapOptions, osnap } from './osnap.js';
export { type RidgeLeverageScoresOptions, ridgeLeverageScores } from './ridgeLeverageScores.js';
export { sampleRows } from './sampleRows.js';
export {
  type RowSample,
  type SamplingMethod,
  type SensitivitySampleOptions,
  sensitivitySample,
} from './sensitivitySample.js';
export {
  type SensitivitySampleSizeOptions,
  sensitivitySampleSize,
} from './sensitivitySampleSize.js';
export {
  type SketchedLeastSquaresOptions,
  type SketchedLeastSquaresResult,
  sketchedLeastSquares,
} from './sketchedLeastSquares.js';
export type { SketchKind, SketchOperator } from './sketchOperator.js';
export {
  type SketchPreconditionedLstsqOptions,
  type SketchPreconditionedLstsqResult,
  sketchPreconditionedLstsq,
} from './sketchPreconditionedLstsq.js';
export { type SrhtOptions, srht } from './srht.js';
