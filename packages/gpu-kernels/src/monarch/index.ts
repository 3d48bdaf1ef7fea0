export { MONARCH_WGSL, monarch, monarchGpu } from './monarch.js';
