/**
 * Real-data table of the README: ARI / NMI of every method on iris, wine, breast cancer and
 * digits (../shared/data/tabular, z-scored columns), next to scikit-learn's KMeans and
 * GaussianMixture from test/fixtures/realData.json (test/fixtures/make_real_data.py).
 * cd /work/main && npx vitest run --config packages/clustering-sdp/scripts/vitest.claims.config.ts realData
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { Matrix, readCsv } from '@lr/core';
import { test } from 'vitest';
import {
  adjustedRandIndex,
  gmm,
  ilaSdp,
  kmeans,
  mlc,
  normalizedMutualInfo,
  sdpKmeans,
  spectralClustering,
} from '../src/index.js';

const out = (s: string) => process.stdout.write(`${s}\n`);
const dir = new URL('../../../../shared/data/tabular/', import.meta.url);
// biome-ignore lint/suspicious/noExplicitAny: JSON fixture
const fx: any = JSON.parse(
  readFileSync(new URL('../test/fixtures/realData.json', import.meta.url), 'utf8'),
);

// spectralClustering: eigenSolver 'eigh' throughout; its 'auto' picks lanczos for digits
// (n = 1797 > 1000), which ran for over 2 minutes without returning on the rbf affinity.
/** Seconds an expensive method may run before it is stopped through its `signal`. */
const BUDGET_S = 45;
/** n above which ADMM SDP k-means and iLA-SDP are not tried (n×n iterates, ~1000 iterations). */
const MAX_N_ADMM = 600;

/** Z-scored features (population std; constant columns left at 0) and labels (last column). */
function load(name: string): { X: Matrix; y: Int32Array } {
  const buf = readFileSync(new URL(name, dir));
  const text = name.endsWith('.gz') ? gunzipSync(buf).toString('utf8') : buf.toString('utf8');
  const { matrix } = readCsv(text, { skipRows: name.endsWith('.gz') ? 0 : 1, header: false });
  const n = matrix.rows;
  const d = matrix.cols - 1;
  const y = Int32Array.from({ length: n }, (_, i) => matrix.get(i, d));
  const Z = new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += matrix.get(i, j) / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (matrix.get(i, j) - m) ** 2 / n;
    const s = v > 0 ? Math.sqrt(v) : 1;
    for (let i = 0; i < n; i++) Z[i * d + j] = (matrix.get(i, j) - m) / s;
  }
  return { X: Matrix.fromData(Z, n, d), y };
}

/** An AbortSignal-like object that reads as aborted once `seconds` have passed. */
function deadline(seconds: number): AbortSignal {
  const end = performance.now() + seconds * 1000;
  return {
    get aborted() {
      return performance.now() > end;
    },
  } as AbortSignal;
}

type Cell = { ari: number; nmi: number; s: number } | string;

function run(y: Int32Array, fn: () => ArrayLike<number>): Cell {
  const t = performance.now();
  try {
    const l = fn();
    return {
      ari: adjustedRandIndex(y, l),
      nmi: normalizedMutualInfo(y, l),
      s: (performance.now() - t) / 1000,
    };
  } catch (e) {
    if ((e as { code?: string }).code === 'ABORTED') return `stopped at ${BUDGET_S} s`;
    throw e;
  }
}

const show = (c: Cell) =>
  typeof c === 'string' ? c : `${c.ari.toFixed(3)} / ${c.nmi.toFixed(3)} (${c.s.toFixed(1)} s)`;

test('real data: ARI / NMI of every method next to scikit-learn', () => {
  const names = ['iris.csv', 'wine_data.csv', 'breast_cancer.csv', 'digits.csv.gz'].filter((n) =>
    existsSync(new URL(n, dir)),
  );
  const rows: [string, Cell[]][] = [];
  const add = (label: string, cells: Cell[]) => rows.push([label, cells]);
  const data = names.map((name) => ({ name, ...load(name), ref: fx.tables[name] }));
  for (const d of data) out(`loaded ${d.name}: n = ${d.X.rows}, d = ${d.X.cols}, k = ${d.ref.k}`);
  const each = (label: string, fn: (d: (typeof data)[number]) => Cell) => {
    const cells = data.map((d) => {
      const c = fn(d);
      out(`${label} on ${d.name}: ${show(c)}`);
      return c;
    });
    add(label, cells);
  };
  const ref = (a: string, b: string) => (d: (typeof data)[number]) =>
    d.ref[a] === undefined ? '—' : `${d.ref[a].toFixed(3)} / ${d.ref[b].toFixed(3)}`;
  each('scikit-learn KMeans (n_init 10)', ref('kmeans_ari', 'kmeans_nmi'));
  each('`kmeans` (k-means++, nInit 10, seed 0)', ({ X, y, ref: r }) =>
    run(y, () => kmeans(X, { k: r.k, nInit: 10, seed: 0 }).labels),
  );
  each('scikit-learn GaussianMixture (full)', ref('gmm_ari', 'gmm_nmi'));
  each('`gmm` (full, seed 0)', ({ X, y, ref: r }) =>
    run(y, () => gmm(X, { k: r.k, covarianceType: 'full', seed: 0 }).labels),
  );
  each('`gmm` (full, nInit 10, seed 0)', ({ X, y, ref: r }) =>
    run(y, () => gmm(X, { k: r.k, covarianceType: 'full', nInit: 10, seed: 0 }).labels),
  );
  each('scikit-learn GaussianMixture (diag)', ref('gmm_diag_ari', 'gmm_diag_nmi'));
  each('`gmm` (diag, seed 0)', ({ X, y, ref: r, name }) =>
    name === 'digits.csv.gz'
      ? run(y, () => gmm(X, { k: r.k, covarianceType: 'diag', seed: 0 }).labels)
      : '—',
  );
  each('`spectralClustering` (rbf, γ = 1, eigh)', ({ X, y, ref: r }) =>
    run(y, () => spectralClustering(X, { k: r.k, eigenSolver: 'eigh', seed: 0 }).labels),
  );
  each('`spectralClustering` (k-NN, 10 neighbours, eigh)', ({ X, y, ref: r }) =>
    run(
      y,
      () =>
        spectralClustering(X, {
          k: r.k,
          affinity: 'nearest_neighbors',
          eigenSolver: 'eigh',
          seed: 0,
        }).labels,
    ),
  );
  each('`sdpKmeans` (Burer–Monteiro)', ({ X, y, ref: r }) =>
    run(y, () => sdpKmeans(X, { k: r.k, solver: 'burer-monteiro', seed: 0 }).labels),
  );
  each('`sdpKmeans` (ADMM)', ({ X, y, ref: r }) =>
    X.rows > MAX_N_ADMM
      ? 'not run (n×n)'
      : run(y, () => sdpKmeans(X, { k: r.k, seed: 0, signal: deadline(BUDGET_S) }).labels),
  );
  each('`ilaSdp` (defaults)', ({ X, y, ref: r }) =>
    X.rows > MAX_N_ADMM
      ? 'not run (n×n)'
      : run(y, () => ilaSdp(X, { k: r.k, seed: 0, signal: deadline(BUDGET_S) }).labels),
  );
  each('`mlc` (defaults)', ({ X, y, ref: r }) =>
    run(y, () => mlc(X, { k: r.k, seed: 0, signal: deadline(BUDGET_S) }).labels),
  );

  out('');
  out(`| method | ${data.map((d) => `${d.name} (n = ${d.X.rows}, k = ${d.ref.k})`).join(' | ')} |`);
  out(`| --- | ${data.map(() => '---').join(' | ')} |`);
  for (const [label, cells] of rows) out(`| ${label} | ${cells.map(show).join(' | ')} |`);
});
