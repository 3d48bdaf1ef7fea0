import {
  adjustedRandIndex,
  gmm,
  ilaSdp,
  kmeans,
  mlc,
  normalizedMutualInfo,
  sdpKmeans,
  spectralClustering,
} from '@lr/clustering-sdp';
import { Matrix, readCsv } from '@lr/core';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { CommandContext } from '../context.js';
import { CliError, withSubject } from '../errors.js';
import { formatSeconds } from '../format.js';
import { checkOutputs, writeOutputs } from '../io/atomic.js';
import { readInputBytes } from '../io/read.js';
import { parseChoice, parseNonNegativeInt, parsePositiveInt } from '../parse.js';

/** Methods of `lr cluster`. */
export const CLUSTER_METHODS = ['kmeans', 'gmm', 'sdp', 'ilasdp', 'spectral', 'mlc'] as const;
export type ClusterMethod = (typeof CLUSTER_METHODS)[number];

/** Which column holds the true labels: `'auto'`, `'last'`, `'none'` or a 0-based index. */
export type LabelColumn = 'auto' | 'last' | 'none' | number;

/** A numeric table read for clustering: features, and labels when a label column is used. */
export interface ClusterTable {
  /** n×d features (the label column removed). */
  X: Matrix;
  /** The label column's values, or null. */
  labels: Float64Array | null;
  /** 0-based index of the label column in the file, or null. */
  labelColumn: number | null;
  /** Class names from a UCI/scikit-learn metadata line, or null. */
  classNames: string[] | null;
  /** True when the first line was `n_samples,n_features,class names…` and was skipped. */
  metadataLine: boolean;
}

/**
 * Whether `text` starts with the metadata line of scikit-learn's bundled UCI files
 * (`150,4,setosa,versicolor,virginica`): two integers n and d, then names, followed by
 * exactly n data lines. Returns the class names when it does.
 */
export function detectMetadataLine(text: string): { classNames: string[] } | null {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length < 2) return null;
  const f = lines[0]!.split(',').map((s) => s.trim());
  if (f.length < 2 || !/^\d+$/.test(f[0]!) || !/^\d+$/.test(f[1]!)) return null;
  const n = Number(f[0]);
  const d = Number(f[1]);
  if (lines.length - 1 !== n) return null;
  const cols = lines[1]!.split(',').length;
  if (cols !== d && cols !== d + 1) return null;
  return { classNames: f.slice(2) };
}

/**
 * Reads a numeric table for `lr cluster`: a UCI metadata line is detected and skipped
 * (unless `skipRows` is given), a header line is detected, and the label column is split off.
 *
 * @param bytes the CSV's bytes
 * @param options `labelColumn` (default `'auto'`: the last column when a metadata line was
 *   found, else none), `skipRows` (lines to skip before the header/data)
 */
export function readClusterTable(
  bytes: Uint8Array,
  options: { labelColumn?: LabelColumn; skipRows?: number } = {},
): ClusterTable {
  const text = new TextDecoder().decode(bytes);
  const meta = options.skipRows === undefined ? detectMetadataLine(text) : null;
  const csv = readCsv(text, {
    skipRows: options.skipRows ?? (meta ? 1 : 0),
    header: meta ? false : 'auto',
  });
  const { rows, cols } = csv;
  const asked = options.labelColumn ?? 'auto';
  let lc: number | null;
  if (asked === 'none') lc = null;
  else if (asked === 'last') lc = cols - 1;
  else if (asked === 'auto') lc = meta && cols > 1 ? cols - 1 : null;
  else lc = asked;
  if (lc !== null && (lc < 0 || lc >= cols)) {
    throw new CliError(`--label-column ${lc}: the table has ${cols} columns (0 to ${cols - 1})`);
  }
  const d = lc === null ? cols : cols - 1;
  if (d < 1 || rows < 1) throw new CliError(`no data to cluster (${rows} rows × ${d} features)`);
  const X = new Matrix(new Float64Array(rows * d), rows, d);
  const labels = lc === null ? null : new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let q = 0;
    for (let j = 0; j < cols; j++) {
      const v = csv.matrix.get(i, j);
      if (j === lc) labels![i] = v;
      else X.set(i, q++, v);
    }
  }
  return { X, labels, labelColumn: lc, classNames: meta?.classNames ?? null, metadataLine: !!meta };
}

/** Centres each column and scales it to unit (population) standard deviation; constant columns are only centred. */
export function standardizeColumns(X: Matrix): Matrix {
  const n = X.rows;
  const d = X.cols;
  const out = new Matrix(new Float64Array(n * d), n, d);
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += X.get(i, j);
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (X.get(i, j) - mean) ** 2;
    const sd = Math.sqrt(v / n);
    for (let i = 0; i < n; i++)
      out.set(i, j, sd > 0 ? (X.get(i, j) - mean) / sd : X.get(i, j) - mean);
  }
  return out;
}

/** Options of {@link clusterMatrix}. */
export interface ClusterOptions {
  k: number;
  method?: ClusterMethod;
  seed?: number;
  /** `sdp` only: `'burer-monteiro'` (default here: fast) or `'admm'` (the full n×n SDP). */
  sdpSolver?: 'admm' | 'burer-monteiro';
  /** `kmeans` and `gmm`: runs from different starts, the best kept; default the library's (k-means: 1 with k-means++, as scikit-learn's `'auto'`; GMM: 1). */
  nInit?: number;
}

/** Labels from one clustering method and the seconds it took. */
export interface ClusterRun {
  labels: Int32Array;
  seconds: number;
  method: ClusterMethod;
}

/**
 * Runs one @lr/clustering-sdp method with its defaults (and `seed`).
 *
 * @throws {LrError} for a bad k or data the method rejects
 */
export function clusterMatrix(X: Matrix, options: ClusterOptions): ClusterRun {
  const method = options.method ?? 'kmeans';
  const { k } = options;
  const seed = options.seed ?? 0;
  const nInit = options.nInit === undefined ? {} : { nInit: options.nInit };
  if (options.nInit !== undefined && method !== 'kmeans' && method !== 'gmm') {
    throw new CliError('--n-init applies to --method kmeans and gmm only');
  }
  const t0 = performance.now();
  let labels: Int32Array;
  switch (method) {
    case 'kmeans':
      labels = kmeans(X, { k, seed, ...nInit }).labels;
      break;
    case 'gmm':
      labels = gmm(X, { k, seed, ...nInit }).labels;
      break;
    case 'sdp':
      labels = sdpKmeans(X, { k, seed, solver: options.sdpSolver ?? 'burer-monteiro' }).labels;
      break;
    case 'ilasdp':
      labels = ilaSdp(X, { k, seed }).labels;
      break;
    case 'spectral':
      labels = spectralClustering(X, { k, seed }).labels;
      break;
    case 'mlc':
      labels = mlc(X, { k, seed }).labels;
      break;
  }
  return { labels, seconds: (performance.now() - t0) / 1000, method };
}

function parseLabelColumn(value: string): LabelColumn {
  if (value === 'last' || value === 'none' || value === 'auto') return value;
  if (/^\d+$/.test(value.trim()) && Number.isSafeInteger(Number(value))) return Number(value);
  throw new InvalidArgumentError('expected auto, last, none or a 0-based column index.');
}

interface ClusterFlags {
  k: number;
  method: ClusterMethod;
  labelColumn: LabelColumn;
  skipRows?: number;
  standardize?: boolean;
  solver: 'admm' | 'burer-monteiro';
  seed: number;
  nInit?: number;
  out?: string;
  json?: boolean;
  force?: boolean;
}

/** Registers `lr cluster`. */
export function registerCluster(program: Command, ctx: CommandContext): void {
  program
    .command('cluster')
    .summary('cluster the rows of a numeric CSV; ARI/NMI against a label column')
    .description(
      `Clusters the rows of a numeric table into k groups with @lr/clustering-sdp.

  kmeans    k-means++ and Lloyd, scikit-learn's defaults
  gmm       Gaussian mixture by EM, full covariances (k-means initialization)
  sdp       Peng–Wei SDP k-means; --solver burer-monteiro (default, fast) or admm (n×n, slow)
  ilasdp    iterated likelihood-adjusted SDP (heterogeneous covariances; slow: SDPs on n×n)
  spectral  spectral clustering, RBF affinity (gamma 1, as scikit-learn)
  mlc       maximal coding-rate reduction clustering

Input: a CSV of numbers. A first line "n_samples,n_features,class names…" (scikit-learn's
UCI files: iris.csv, wine_data.csv, …) is detected and skipped; else a header line is
detected; --skip-rows N skips N lines first (and turns the detection off).

Labels: --label-column auto (default: the last column when that metadata line is present,
else none), last, none, or a 0-based index. The label column is never clustered; it is
used only for the adjusted Rand index and normalized mutual information. --json prints
{"ari","nmi","seconds",…} (ari, nmi null without labels; seconds: the clustering only).

kmeans and gmm start once (k-means++ / k-means initialization, scikit-learn's default);
--n-init N keeps the best of N starts, which avoids a poor local optimum.

--out writes one "label" per row (0 … k−1) as CSV.`,
    )
    .argument('<data>', 'numeric .csv file (optionally .gz)')
    .requiredOption('-k, --k <k>', 'number of clusters', parsePositiveInt)
    .option('--method <method>', CLUSTER_METHODS.join(', '), parseChoice(CLUSTER_METHODS), 'kmeans')
    .option('--label-column <col>', 'auto, last, none or a 0-based index', parseLabelColumn, 'auto')
    .option('--skip-rows <n>', 'lines to skip before the data', parseNonNegativeInt)
    .option('--standardize', 'scale every feature to mean 0, standard deviation 1')
    .option(
      '--solver <solver>',
      'sdp: burer-monteiro or admm',
      parseChoice(['burer-monteiro', 'admm'] as const),
      'burer-monteiro',
    )
    .option('--seed <s>', 'seed', parseNonNegativeInt, 0)
    .option('--n-init <n>', 'kmeans, gmm: restarts, the best kept (default 1)', parsePositiveInt)
    .option('--out <file>', 'write the cluster labels as CSV')
    .option('--json', 'print {"ari","nmi","seconds",…}')
    .option('--force', 'overwrite an existing --out file')
    .action((file: string, flags: ClusterFlags) =>
      ctx.run('cluster', () => clusterCommand(file, flags, ctx)),
    );
}

function clusterCommand(file: string, flags: ClusterFlags, ctx: CommandContext): void {
  const path = ctx.resolve(file);
  const outPath = flags.out === undefined ? undefined : ctx.resolve(flags.out);
  const writeOpts = { force: flags.force, inputs: [path], display: () => flags.out! };
  if (outPath) checkOutputs([outPath], writeOpts);
  const progress = ctx.progress();
  progress.update(`reading ${file}`);
  const t = withSubject(file, () =>
    readClusterTable(readInputBytes(path), {
      labelColumn: flags.labelColumn,
      skipRows: flags.skipRows,
    }),
  );
  const X = flags.standardize ? standardizeColumns(t.X) : t.X;
  progress.update(`${flags.method} k=${flags.k} on ${X.rows}×${X.cols}`);
  const r = withSubject(file, () =>
    clusterMatrix(X, {
      k: flags.k,
      method: flags.method,
      seed: flags.seed,
      sdpSolver: flags.solver,
      nInit: flags.nInit,
    }),
  );
  progress.done();
  const ari = t.labels ? adjustedRandIndex(t.labels, r.labels) : null;
  const nmi = t.labels ? normalizedMutualInfo(t.labels, r.labels) : null;
  const sizes = new Array<number>(flags.k).fill(0);
  for (const l of r.labels) if (l >= 0 && l < flags.k) sizes[l]!++;
  if (outPath) {
    const body = `label\n${Array.from(r.labels).join('\n')}\n`;
    writeOutputs([{ path: outPath, bytes: body }], writeOpts);
  }
  if (flags.json) {
    ctx.out(
      JSON.stringify({
        ari,
        nmi,
        seconds: r.seconds,
        method: r.method,
        k: flags.k,
        n: X.rows,
        d: X.cols,
        labelColumn: t.labelColumn,
        clusterSizes: sizes,
      }),
    );
    return;
  }
  const classes = t.labels ? new Set(t.labels).size : 0;
  const label =
    t.labelColumn === null
      ? 'no label column'
      : `label column ${t.labelColumn}: ${classes} class${classes === 1 ? '' : 'es'}`;
  ctx.out(
    `${file}: ${X.rows} rows × ${X.cols} features${flags.standardize ? ' (standardized)' : ''}, ${label}${t.metadataLine ? '; metadata line skipped' : ''}`,
  );
  ctx.out(
    `${r.method}${r.method === 'sdp' ? ` (${flags.solver})` : ''} k=${flags.k}: ${formatSeconds(r.seconds)}; cluster sizes ${sizes.join(' / ')}`,
  );
  if (ari !== null && nmi !== null) ctx.out(`ARI ${ari.toFixed(4)}  NMI ${nmi.toFixed(4)}`);
  if (flags.out) ctx.out(`wrote ${flags.out} (${X.rows} labels)`);
}
