export { ATTENTION_WGSL, attention, attentionGpu } from './attention.js';
