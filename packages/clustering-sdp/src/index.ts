export { adjustedRandIndex } from './adjustedRandIndex.js';
export { type ContingencyResult, contingencyMatrix } from './contingencyMatrix.js';
export {
  type CovarianceType,
  type GmmInitParameters,
  type GmmOptions,
  type GmmProgress,
  type GmmResult,
  gmm,
} from './gmm.js';
export { type IlaSdpOptions, type IlaSdpProgress, type IlaSdpResult, ilaSdp } from './ilaSdp.js';
export { type KmeansOptions, type KmeansProgress, type KmeansResult, kmeans } from './kmeans.js';
export { misclusteringRate } from './misclusteringRate.js';
export { type MlcOptions, type MlcProgress, type MlcResult, mlc } from './mlc.js';
export { normalizedMutualInfo } from './normalizedMutualInfo.js';
export {
  type SdpCertificate,
  type SdpKmeansOptions,
  type SdpKmeansResult,
  type SdpProgress,
  sdpKmeans,
} from './sdpKmeans.js';
export {
  type SpectralClusteringOptions,
  type SpectralClusteringResult,
  type SpectralProgress,
  spectralClustering,
} from './spectralClustering.js';
