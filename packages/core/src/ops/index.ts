export { allFinite } from './allFinite.js';
export {
  abs,
  add,
  addScalar,
  div,
  map,
  mul,
  neg,
  type Operand,
  scale,
  sub,
} from './elementwise.js';
export { kron } from './kron.js';
export { type KroneckerOperator, kroneckerOperator } from './kroneckerOperator.js';
export { type NormOrd, norm, norm1, normFro, normInf, normMax } from './norm.js';
export {
  type NormSpectralEstimateOptions,
  type NormSpectralEstimateResult,
  normSpectralEstimate,
} from './normSpectralEstimate.js';
export { max, mean, min, type ReduceOptions, sum } from './reduce.js';
export { hstack, vstack } from './stack.js';
export { trace } from './trace.js';
export { transposeCopy } from './transposeCopy.js';
