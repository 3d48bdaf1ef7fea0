export { type LoraOptions, lora, loraGpu } from './lora.js';
