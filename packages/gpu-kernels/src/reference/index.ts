export { type AttentionOptions, attentionReference } from './attention.js';
export { absMatrix, type GemmRefOptions, gemmReference } from './gemm.js';
export { loraReference } from './lora.js';
export { type MonarchDims, monarchDense, monarchReference } from './monarch.js';
export { type SsmParams, ssmScanReference } from './ssm.js';
