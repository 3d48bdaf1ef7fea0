export { decomposeProjection, type ProjectionDecomposition } from './decomposeProjection.js';
export { type MatrixEntropyOptions, matrixEntropy } from './matrixEntropy.js';
export { type MatrixNuclearNormOptions, matrixNuclearNorm } from './matrixNuclearNorm.js';
export { nuclearNorm } from './nuclearNorm.js';
export { type NuclearNormApproxOptions, nuclearNormApprox } from './nuclearNormApprox.js';
