// W2 distances between the class means of the digits images (8×8, ../shared/data/tabular/
// digits.csv.gz: 64 pixel columns and the label) by convolutional Sinkhorn (`sinkhornGrid`,
// squared-Euclidean cost on the pixel grid, the longer side spanning [0, 1]; log domain),
// next to the exact W2 from `emd` on the 64×64 cost. Each class mean is normalized to mass 1.
//
// Run from packages/ot after building: `npx tsup && node scripts/digitsW2.mjs [reg]`.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { Matrix } from '@lr/core';
import { emd, sinkhornGrid } from '../dist/index.js';

const reg = Number(process.argv[2] ?? 1e-2);
const url = new URL('../../../../shared/data/tabular/digits.csv.gz', import.meta.url);
const rows = gunzipSync(readFileSync(url))
  .toString('utf8')
  .trim()
  .split('\n')
  .map((l) => l.split(',').map(Number));
const h = 8;
const w = 8;
const means = Array.from({ length: 10 }, () => new Float64Array(h * w));
const counts = new Array(10).fill(0);
for (const r of rows) {
  const c = r[h * w];
  counts[c]++;
  for (let p = 0; p < h * w; p++) means[c][p] += r[p];
}
for (const m of means) {
  const s = m.reduce((x, y) => x + y, 0);
  for (let p = 0; p < h * w; p++) m[p] /= s;
}
// exact: the 64×64 squared-Euclidean pixel cost with spacing 1/7
const sp = 1 / (Math.max(h, w) - 1);
const C = new Float64Array(h * w * h * w);
for (let p = 0; p < h * w; p++)
  for (let q = 0; q < h * w; q++) {
    const dy = (Math.floor(p / w) - Math.floor(q / w)) * sp;
    const dx = ((p % w) - (q % w)) * sp;
    C[p * h * w + q] = dx * dx + dy * dy;
  }
const M = new Matrix(C, h * w, h * w);
const ent = [];
const exact = [];
let maxIt = 0;
let converged = 0;
const t0 = performance.now();
for (let i = 0; i < 10; i++) {
  ent.push([]);
  exact.push([]);
  for (let j = 0; j < 10; j++) {
    const r = sinkhornGrid(new Matrix(means[i], h, w), new Matrix(means[j], h, w), {
      reg,
      method: 'log',
      numItermax: 20000,
    });
    maxIt = Math.max(maxIt, r.iterations);
    if (r.converged) converged++;
    ent[i].push(Math.sqrt(Math.max(r.cost, 0)));
    exact[i].push(Math.sqrt(Math.max(emd(means[i], means[j], M).cost, 0)));
  }
}
const secs = (performance.now() - t0) / 1000;
console.log(
  `digits class means (n = ${rows.length}, counts ${counts.join(' ')}), reg = ${reg}, log-domain sinkhornGrid (stopThr 1e-9): ${converged}/100 converged, max ${maxIt} iterations, ${secs.toFixed(1)} s (with the 100 emd solves)`,
);
console.log('');
console.log(
  'W2 = √⟨P, C⟩ by convolutional Sinkhorn (upper triangle) / exact by emd (lower triangle):',
);
console.log('');
console.log(`| | ${[...Array(10).keys()].join(' | ')} |`);
console.log(`|---|${'---|'.repeat(10)}`);
for (let i = 0; i < 10; i++) {
  const cells = [];
  for (let j = 0; j < 10; j++)
    cells.push(i === j ? '0' : (i < j ? ent[i][j] : exact[i][j]).toFixed(3));
  console.log(`| **${i}** | ${cells.join(' | ')} |`);
}
let md = 0;
for (let i = 0; i < 10; i++)
  for (let j = 0; j < 10; j++) if (i !== j) md = Math.max(md, Math.abs(ent[i][j] - exact[i][j]));
console.log('');
console.log(`max |W2(Sinkhorn) − W2(emd)| over the pairs: ${md.toFixed(4)}`);
