import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { adjustedRandIndex, normalizedMutualInfo } from '@lr/clustering-sdp';
import { type ClusterMethod, clusterMatrix, readClusterTable } from '../../commands/cluster.js';
import { formatSeconds } from '../../format.js';
import { htmlTable } from '../html.js';
import type { ReportSection } from '../section.js';
import { barPlot } from '../svg.js';

/** Methods the tour runs on iris (iLA-SDP is left out: its n×n SDPs take seconds). */
export const TOUR_CLUSTER_METHODS: readonly ClusterMethod[] = [
  'kmeans',
  'gmm',
  'spectral',
  'sdp',
  'mlc',
];

/** One method's scores on iris. */
export interface ClusterScore {
  method: ClusterMethod;
  ari: number;
  nmi: number;
  seconds: number;
}

/** Clusters the shipped iris table (raw features, k = 3, seed 0) with each method. */
export function irisScores(
  assetsDir: string,
  methods: readonly ClusterMethod[] = TOUR_CLUSTER_METHODS,
  time: <T>(label: string, fn: () => T) => T = (_l, fn) => fn(),
): ClusterScore[] {
  const t = readClusterTable(readFileSync(join(assetsDir, 'iris.csv')));
  const y = t.labels!;
  return methods.map((method) => {
    const r = time(`iris ${method}`, () => clusterMatrix(t.X, { k: 3, method, seed: 0 }));
    return {
      method,
      ari: adjustedRandIndex(y, r.labels),
      nmi: normalizedMutualInfo(y, r.labels),
      seconds: r.seconds,
    };
  });
}

const DESCRIPTION: Record<ClusterMethod, string> = {
  kmeans: 'k-means++ and Lloyd (scikit-learn defaults)',
  gmm: 'Gaussian mixture, full covariances, EM',
  spectral: 'spectral clustering, RBF affinity (γ = 1)',
  sdp: 'Peng–Wei SDP k-means, Burer–Monteiro solver',
  ilasdp: 'iterated likelihood-adjusted SDP',
  mlc: 'maximal coding-rate reduction clustering',
};

/** The clustering section: ARI/NMI of the methods of @lr/clustering-sdp on iris. */
export const clusteringSection: ReportSection = {
  id: 'clustering',
  title: 'Clustering',
  order: 50,
  intro:
    'Grouping the 150 iris flowers by their four measurements, without looking at the species (@lr/clustering-sdp). The adjusted Rand index compares each clustering with the species: 1 is perfect agreement, 0 is chance. Versicolor and virginica overlap, so methods that model the shape of each cluster can do better than spherical k-means.',
  render(ctx) {
    ctx.progress.update('clustering: iris');
    const scores = irisScores(ctx.assetsDir, TOUR_CLUSTER_METHODS, ctx.time);
    const best = scores.reduce((a, b) => (b.ari > a.ari ? b : a));
    ctx.say(
      `cluster iris k=3: ARI ${scores.map((s) => `${s.method} ${s.ari.toFixed(2)}`).join(', ')}`,
    );
    const plot = barPlot(
      {
        categories: scores.map((s) => s.method),
        series: [
          { name: 'adjusted Rand index', values: scores.map((s) => s.ari) },
          { name: 'normalized mutual information', values: scores.map((s) => s.nmi) },
        ],
      },
      {
        title: 'Iris (150 × 4, k = 3): agreement with the species',
        y: { label: 'score', min: 0, max: 1 },
      },
    );
    return `
${plot}
${htmlTable(
  ['method', 'what it is', 'ARI', 'NMI', 'time'],
  scores.map((s) => [
    s.method,
    DESCRIPTION[s.method],
    s.ari.toFixed(3),
    s.nmi.toFixed(3),
    formatSeconds(s.seconds),
  ]),
)}
<p>Raw (unstandardized) features, seed 0, each method with its defaults. Best here: ${best.method} (ARI ${best.ari.toFixed(3)}). The data: <code>assets/iris.csv</code>, scikit-learn's copy of Fisher's iris (BSD-3-Clause).</p>
<pre>lr cluster assets/iris.csv -k 3 --method gmm --json</pre>`;
  },
};
