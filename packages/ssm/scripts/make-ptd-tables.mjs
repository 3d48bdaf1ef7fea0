// Regenerates packages/ssm/src/ptd-tables/*.ts: the PTD perturbations E shipped with
// @lr/ssm for N = 16, 32, 64, 128, 256, computed by ptdPerturbation with its default
// options (δ = 0.25, L-BFGS ≤ 500 iterations, tolerance 1e-7, initScale 0.1, seed 0).
//
// It runs the compiled package, so build first (from the repository root):
//
//   pnpm --filter @lr/ssm build && node packages/ssm/scripts/make-ptd-tables.mjs [N…]
//
// (@lr/core's dist must be current too: `pnpm --filter @lr/core build` if eig is missing.)
// Each size prints κ₂(V), ‖E‖/‖A‖, the backward error and the time; N = 256 takes a few
// minutes. E is rounded to float32 for storage; ptdInit re-diagonalizes the rounded E,
// so the shipped diagnostics are those of the stored matrix.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Matrix } from '@lr/core';
import { ptdDiagonalize, ptdPerturbation } from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '..', 'src', 'ptd-tables');
const sizes = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [16, 32, 64, 128, 256];

for (const N of sizes) {
  const t0 = performance.now();
  const r = ptdPerturbation({ N, useTable: false });
  const n = N / 2;
  const e32 = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) e32[i * n + j] = r.E.get(i, j);
  const stored = ptdDiagonalize(new Matrix(Float64Array.from(e32), n, n));
  const d = stored.diagnostics;
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `N=${N}: iterations ${r.diagnostics.iterations} (converged ${r.diagnostics.converged}), ` +
      `κ₂(V) ${d.kappaV.toFixed(3)}, ‖E‖/‖A‖ ${d.relPerturbation.toFixed(4)}, ` +
      `backward error ${d.backwardError.toExponential(2)}, ${seconds.toFixed(1)} s`,
  );
  const b64 = Buffer.from(e32.buffer).toString('base64');
  const lines = [];
  for (let k = 0; k < b64.length; k += 96) lines.push(`  '${b64.slice(k, k + 96)}'`);
  const body = [
    '// Written by packages/ssm/scripts/make-ptd-tables.mjs; do not edit by hand.',
    "import type { PtdTable } from './types.js';",
    '',
    `/** PTD perturbation for N = ${N} (HiPPO-LegS of size ${n}). */`,
    `export const PTD_${N}: PtdTable = {`,
    `  N: ${N},`,
    `  iterations: ${r.diagnostics.iterations},`,
    `  converged: ${r.diagnostics.converged},`,
    `  kappaV: ${d.kappaV},`,
    `  relPerturbation: ${d.relPerturbation},`,
    '  E:',
    `${lines.join(' +\n')},`,
    '};',
    '',
  ].join('\n');
  writeFileSync(join(outDir, `n${N}.ts`), body);
}

const all = [16, 32, 64, 128, 256];
const index = [
  '// Precomputed PTD perturbations, written by packages/ssm/scripts/make-ptd-tables.mjs',
  '// (do not edit by hand). E is stored as little-endian float32, base64, row-major n×n.',
  ...all.map((N) => `import { PTD_${N} } from './n${N}.js';`),
  "import type { PtdTable } from './types.js';",
  '',
  '/** Shipped tables by state size N. */',
  'export const PTD_TABLES: Readonly<Record<number, PtdTable>> = {',
  ...all.map((N) => `  ${N}: PTD_${N},`),
  '};',
  '',
].join('\n');
writeFileSync(join(outDir, 'index.ts'), index);
