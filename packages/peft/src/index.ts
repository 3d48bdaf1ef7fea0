export * from './compress/index.js';
export * from './llama/index.js';
export * from './methods/index.js';
export * from './model/index.js';
export * from './train/index.js';
