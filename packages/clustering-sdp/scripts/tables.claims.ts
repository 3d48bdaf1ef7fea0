/**
 * Claim tables of the README (papers #8 and #35); the real-data table is realData.claims.ts.
 * cd /work/main && npx vitest run --config packages/clustering-sdp/scripts/vitest.claims.config.ts
 */
import { test } from 'vitest';
import {
  gmm,
  ilaSdp,
  kmeans,
  misclusteringRate,
  mlc,
  sdpKmeans,
  spectralClustering,
} from '../src/index.js';
import { mixture, subspaces } from '../test/_data.js';

const out = (s: string) => process.stdout.write(`${s}\n`);
const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
const f = (v: number) => v.toFixed(3);

test('iLA-SDP: heterogeneous clusters, mis-clustering over separations', () => {
  out('| separation | k-means | SDP k-means (ADMM) | EM (GMM full) | iLA-SDP |');
  out('| --- | --- | --- | --- | --- |');
  for (const sep of [2, 3, 4, 5]) {
    const acc: number[][] = [[], [], [], []];
    for (let seed = 1; seed <= 5; seed++) {
      const { X, y } = mixture(
        [
          [0, 0],
          [0, sep],
        ],
        [30, 15],
        [
          [4, 0.4],
          [0.4, 0.4],
        ],
        seed,
      );
      const s = sdpKmeans(X, { k: 2, tol: 1e-3 });
      acc[0]!.push(misclusteringRate(y, kmeans(X, { k: 2, nInit: 10 }).labels));
      acc[1]!.push(misclusteringRate(y, s.labels));
      acc[2]!.push(misclusteringRate(y, gmm(X, { k: 2 }).labels));
      acc[3]!.push(misclusteringRate(y, ilaSdp(X, { k: 2, initLabels: s.labels }).labels));
    }
    out(`| ${sep} | ${acc.map((a) => f(mean(a))).join(' | ')} |`);
  }
});

test('iLA-SDP: three clusters of different shapes', () => {
  out('| seed | k-means | SDP k-means | EM | iLA-SDP |');
  out('| --- | --- | --- | --- | --- |');
  for (let seed = 1; seed <= 4; seed++) {
    const { X, y } = mixture(
      [
        [0, 0],
        [0, 3],
        [6, 3],
      ],
      [24, 12, 12],
      [
        [4, 0.4],
        [0.4, 0.4],
        [0.4, 2],
      ],
      seed,
    );
    const s = sdpKmeans(X, { k: 3, tol: 1e-3 });
    const r = [
      kmeans(X, { k: 3, nInit: 10 }).labels,
      s.labels,
      gmm(X, { k: 3 }).labels,
      ilaSdp(X, { k: 3, initLabels: s.labels }).labels,
    ].map((l) => f(misclusteringRate(y, l)));
    out(`| ${seed} | ${r.join(' | ')} |`);
  }
});

test('SDP k-means exact recovery over separations', () => {
  out('| Δ | ADMM mis-clustering | max|Z − Z*| · m | relative gap | BM mis-clustering |');
  out('| --- | --- | --- | --- | --- |');
  for (const sep of [1, 2, 3, 4, 6]) {
    const { X, y } = mixture(
      [
        [0, 0],
        [sep, 0],
        [sep / 2, (sep * Math.sqrt(3)) / 2],
      ],
      [15, 15, 15],
      [1, 1, 1],
      21,
    );
    const a = sdpKmeans(X, { k: 3 });
    const b = sdpKmeans(X, { k: 3, solver: 'burer-monteiro' });
    let dev = 0;
    for (let i = 0; i < 45; i++)
      for (let j = 0; j < 45; j++)
        dev = Math.max(dev, Math.abs(a.Z!.get(i, j) - (y[i] === y[j] ? 1 / 15 : 0)));
    out(
      `| ${sep} | ${f(misclusteringRate(y, a.labels))} | ${(dev * 15).toExponential(1)} | ${a.certificate.relativeGap!.toExponential(1)} | ${f(misclusteringRate(y, b.labels))} |`,
    );
  }
});

test('MLC: union of subspaces', () => {
  out('| subspaces (dim in ambient) | noise | k-means | spectral (rbf) | MLC |');
  out('| --- | --- | --- | --- | --- |');
  for (const [k, dim, amb, noise] of [
    [3, 2, 6, 0.05],
    [3, 2, 6, 0.2],
    [4, 3, 10, 0.05],
  ] as const) {
    const acc: number[][] = [[], [], []];
    for (let seed = 1; seed <= 3; seed++) {
      const { X, y } = subspaces(k, dim, amb, 30, noise, seed);
      acc[0]!.push(misclusteringRate(y, kmeans(X, { k, nInit: 10 }).labels));
      acc[1]!.push(misclusteringRate(y, spectralClustering(X, { k }).labels));
      acc[2]!.push(misclusteringRate(y, mlc(X, { k }).labels));
    }
    out(`| ${k} × ${dim}-dim in ℝ^${amb} | ${noise} | ${acc.map((a) => f(mean(a))).join(' | ')} |`);
  }
});
