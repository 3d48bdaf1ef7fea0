// Precomputed PTD perturbations, written by packages/ssm/scripts/make-ptd-tables.mjs
// (do not edit by hand). E is stored as little-endian float32, base64, row-major n×n.
import { PTD_16 } from './n16.js';
import { PTD_32 } from './n32.js';
import { PTD_64 } from './n64.js';
import { PTD_128 } from './n128.js';
import { PTD_256 } from './n256.js';
import type { PtdTable } from './types.js';

/** Shipped tables by state size N. */
export const PTD_TABLES: Readonly<Record<number, PtdTable>> = {
  16: PTD_16,
  32: PTD_32,
  64: PTD_64,
  128: PTD_128,
  256: PTD_256,
};
