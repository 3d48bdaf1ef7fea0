export type { NamedMatrices } from './_util.js';
export {
  type FloraAdapter,
  type FloraOptions,
  flora,
  floraDelta,
  floraParams,
} from './flora.js';
export {
  type CompressedTensors,
  fromCompressedTensors,
  LORD_FORMAT,
  LORD_P_SUFFIX,
  LORD_Q_SUFFIX,
  toCompressedTensors,
} from './lordFormat.js';
export {
  type CompressedLayer,
  expandCompressed,
  type LowRankCompressOptions,
  type LowRankCompressResult,
  type LowRankCurveOptions,
  type LowRankCurvePoint,
  type LowRankDataAware,
  type LowRankProgress,
  lowRankCompress,
  lowRankCurve,
} from './lowRankCompress.js';
export {
  type BitChoice,
  type ChooseBitsOptions,
  type ChooseBitsResult,
  chooseBits,
  type LqDecomposeOptions,
  type LqDecomposeResult,
  type LqProgress,
  lqDecompose,
} from './lq.js';
export {
  type Ffn,
  type FfnActivation,
  type FfnForwardOptions,
  ffnForward,
  matformerSlice,
  matformerWidths,
  mixNMatch,
  mixNMatchTensors,
} from './matformer.js';
export {
  type Monarch,
  type MonarchProjection,
  monarchMultiply,
  monarchParams,
  monarchToDense,
  type ProjectToMonarchOptions,
  projectToMonarch,
  type RandomMonarchOptions,
  randomMonarch,
} from './monarch.js';
export {
  dequantizeNf,
  type NfQuantized,
  nfLevels,
  nfMemoryBits,
  nfOffset,
  type QuantizeNfOptions,
  quantizeNf,
  unpackNfCodes,
} from './nf.js';
export {
  type CompressEmbeddingOptions,
  type CompressedEmbedding,
  compressEmbedding,
  type LinearLayer,
  type OutputFeatureOptions,
  type OutputFeatureResult,
  outputFeatureCompress,
} from './outputFeature.js';
