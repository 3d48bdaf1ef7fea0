// #1 claim: robust AltMin costs O(|Ω|·k) per iteration, exact AltMin O(|Ω|·k²).
// Fixed Ω (n×n, |Ω| uniform samples), k = 5…40; reports counted row-solve flops and
// wall time per iteration (median of the iterations after the first).
// Usage (after `npx tsup`): node scripts/cost-scaling.mjs [n] [nnz]
import { Rng } from '@lr/core';
import { completeMatrix, ObservedEntries } from '../dist/index.js';

const n = Number(process.argv[2] ?? 2000);
const nnz = Number(process.argv[3] ?? 200000);
const rng = new Rng(1);
const pos = rng.permutation(n * n).subarray(0, nnz);
const r = new Int32Array(nnz);
const c = new Int32Array(nnz);
const v = new Float64Array(nnz);
for (let p = 0; p < nnz; p++) {
  r[p] = Math.floor(pos[p] / n);
  c[p] = pos[p] % n;
  v[p] = rng.normal();
}
const obs = new ObservedEntries(n, n, r, c, v);
console.log(`n = ${n}, |Ω| = ${nnz}, λ = 1, 4 iterations, robust = 3 CG steps per row solve`);
console.log(
  '| k | exact flops/it | robust flops/it | exact s/it | robust s/it | exact/robust time |',
);
console.log('| --- | --- | --- | --- | --- | --- |');
for (const k of [5, 10, 20, 40]) {
  const row = [];
  const times = {};
  for (const method of ['altmin', 'robust-altmin']) {
    let last = 0;
    const dts = [];
    const fit = completeMatrix(obs, {
      rank: k,
      method,
      lambda: 1,
      maxIterations: 4,
      tol: 0,
      onProgress: () => {
        const t = performance.now();
        if (last) dts.push(t - last);
        last = t;
      },
    });
    dts.sort((a, b) => a - b);
    times[method] = dts[Math.floor(dts.length / 2)] / 1000;
    row.push(`${(fit.rowSolveFlops / fit.iterations / 1e6).toFixed(1)} M`);
  }
  console.log(
    `| ${k} | ${row[0]} | ${row[1]} | ${times.altmin.toFixed(3)} | ${times['robust-altmin'].toFixed(3)} | ${(times.altmin / times['robust-altmin']).toFixed(2)} |`,
  );
}
