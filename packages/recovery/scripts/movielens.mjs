// Held-out RMSE on MovieLens ml-latest-small (and InstEval): 90/10 split, seed 0.
// Usage (after `npx tsup`): node scripts/movielens.mjs [path-to-ratings.csv] [rank]
import { readFileSync } from 'node:fs';
import { completeMatrix, parseRatings, splitObserved } from '../dist/index.js';

const path = process.argv[2] ?? '../../../shared/data/ratings/movielens-latest-small.csv';
const rank = Number(process.argv[3] ?? 10);
const { observed } = parseRatings(readFileSync(path, 'utf8'));
const { train, test } = splitObserved(observed, { testFraction: 0.1, seed: 0 });
console.log(
  `${path}: ${observed.rows}×${observed.cols}, ${observed.nnz} ratings; train ${train.nnz}, test ${test.nnz}`,
);

let mu = 0;
for (const v of train.values) mu += v;
mu /= train.nnz;
let se = 0;
for (const v of test.values) se += (v - mu) ** 2;
console.log('| model | held-out RMSE | iterations | seconds |');
console.log('| --- | --- | --- | --- |');
console.log(`| global mean | ${Math.sqrt(se / test.nnz).toFixed(4)} | – | – |`);
const runs = [
  ['altmin, biases, λ = 5', { method: 'altmin', biases: true, lambda: 5 }],
  ['altmin, biases, λ = 10', { method: 'altmin', biases: true, lambda: 10 }],
  ['altmin, biases, λ = 20', { method: 'altmin', biases: true, lambda: 20 }],
  ['robust-altmin, biases, λ = 10', { method: 'robust-altmin', biases: true, lambda: 10 }],
  ['altmin, no biases, λ = 10', { method: 'altmin', biases: false, lambda: 10 }],
  ['softimpute, biases, λ = 20', { method: 'softimpute', biases: true, lambda: 20 }],
];
for (const [name, o] of runs) {
  const fit = completeMatrix(train, { rank, ...o, heldOut: test, maxIterations: 15, tol: 1e-4 });
  const best = Math.min(...fit.history.heldOutRmse);
  console.log(
    `| ${name} (rank ${rank}) | ${fit.history.heldOutRmse.at(-1).toFixed(4)} (best ${best.toFixed(4)}) | ${fit.iterations} | ${fit.seconds.toFixed(2)} |`,
  );
}
