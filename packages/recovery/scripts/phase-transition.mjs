// #1 claim: exact recovery from about C·n·k·log n uniform samples, failure well below.
// Usage (after `npx tsup`): node scripts/phase-transition.mjs [n] [trials]
// Prints a markdown table of success rates (relative Frobenius error < 1e-6) over C and k.
import { Rng } from '@lr/core';
import { completeMatrix, ObservedEntries } from '../dist/index.js';

const n = Number(process.argv[2] ?? 100);
const trials = Number(process.argv[3] ?? 5);
const Cs = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 3];
const ks = [2, 3, 5];
const methods = ['altmin', 'robust-altmin'];

function trial(k, count, seed, method) {
  const rng = new Rng(seed);
  const U = rng.fillNormal(new Float64Array(n * k));
  const V = rng.fillNormal(new Float64Array(n * k));
  const M = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let a = 0; a < k; a++) s += U[i * k + a] * V[j * k + a];
      M[i * n + j] = s;
    }
  const pos = rng.permutation(n * n).subarray(0, count);
  const r = new Int32Array(count);
  const c = new Int32Array(count);
  const v = new Float64Array(count);
  for (let p = 0; p < count; p++) {
    r[p] = Math.floor(pos[p] / n);
    c[p] = pos[p] % n;
    v[p] = M[pos[p]];
  }
  const fit = completeMatrix(new ObservedEntries(n, n, r, c, v), {
    rank: k,
    method,
    tol: 1e-10,
    maxIterations: 200,
    seed,
  });
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const d = M[i * n + j] - fit.predict(i, j);
      num += d * d;
      den += M[i * n + j] ** 2;
    }
  return Math.sqrt(num / den);
}

for (const method of methods) {
  console.log(
    `\n${method}, n = ${n}, ${trials} trials per cell, success = relative error < 1e-6; cells: successes (sample count |Ω|)`,
  );
  console.log(`| k | ${Cs.map((C) => `C = ${C}`).join(' | ')} |`);
  console.log(`| --- | ${Cs.map(() => '---').join(' | ')} |`);
  for (const k of ks) {
    const cells = Cs.map((C) => {
      const count = Math.min(n * n, Math.round(C * n * k * Math.log(n)));
      let ok = 0;
      for (let t = 0; t < trials; t++) if (trial(k, count, 1000 * k + t, method) < 1e-6) ok++;
      return `${ok}/${trials} (${count})`;
    });
    console.log(`| ${k} | ${cells.join(' | ')} |`);
  }
}
