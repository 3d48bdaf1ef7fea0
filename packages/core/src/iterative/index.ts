export { type CgOptions, type CgProgress, type CgResult, cg } from './cg.js';
export {
  type LanczosOptions,
  type LanczosProgress,
  type LanczosResult,
  type LanczosWhich,
  lanczos,
} from './lanczos.js';
export { type LsqrOptions, type LsqrProgress, type LsqrResult, lsqr } from './lsqr.js';
export { type LstsqOptions, type LstsqResult, lstsq } from './lstsq.js';
export { type PinvOptions, pinv } from './pinv.js';
export {
  type PowerIterationNormalizer,
  type RandomizedSvdOptions,
  type RandomizedSvdResult,
  randomizedSvd,
} from './randomizedSvd.js';
export {
  type TruncatedSvdMethod,
  type TruncatedSvdOptions,
  type TruncatedSvdResult,
  truncatedSvd,
} from './truncatedSvd.js';
