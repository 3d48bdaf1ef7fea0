export { SSM_SCAN_WGSL, ssmScan, ssmScanGpu, uploadSsmParams } from './ssmScan.js';
