export { type EigOptions, type EigResult, eig } from './eig.js';
export { type EighOptions, type EighResult, eigh } from './eigh.js';
export { singularValues } from './singularValues.js';
export { type SvdOptions, type SvdResult, svd } from './svd.js';
export { type SvdReconstructOptions, svdReconstruct } from './svdReconstruct.js';
