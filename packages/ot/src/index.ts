export { type CostMatrixOptions, type CostMetric, costMatrix } from './costMatrix.js';
export { type EmdOptions, type EmdResult, emd } from './emd.js';
export {
  type SinkhornMethod,
  type SinkhornOptions,
  type SinkhornProgress,
  type SinkhornResult,
  type SinkhornStatus,
  sinkhorn,
} from './sinkhorn.js';
export {
  type SinkhornGridOptions,
  type SinkhornGridResult,
  sinkhornGrid,
} from './sinkhornGrid.js';
export {
  type SnsOptions,
  type SnsProgress,
  type SnsResult,
  sinkhornNewtonSparse,
} from './sinkhornNewtonSparse.js';
export { type WassersteinOptions, type WassersteinResult, wasserstein } from './wasserstein.js';
export {
  type Wasserstein1dOptions,
  type Wasserstein1dResult,
  wasserstein1d,
} from './wasserstein1d.js';
