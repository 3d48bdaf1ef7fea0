export { compareLogits, type LogitComparison } from './compare.js';
export { type LlamaConfig, parseLlamaConfig, type RopeStyle } from './config.js';
export {
  Llama,
  type LlamaForwardOptions,
  type LlamaGenerateOptions,
  type LlamaOptions,
  type LlamaTensors,
  llamaLinearShapes,
  sampleToken,
} from './llama.js';
