import { htmlTable } from '../html.js';
import type { ReportSection } from '../section.js';

/** What the lr packages do (one line each) and whether they ship yet, for the overview. */
export const PACKAGES: readonly (readonly [string, string, string])[] = [
  [
    '@lr/core',
    'tensors and matrix views, GEMM kernels, QR/SVD/eigh, randomized SVD, safetensors/.npy/MatrixMarket/CSV',
    'available',
  ],
  [
    '@lr/cli',
    'the lr command: lr info, svd, bench, complete, cluster, ot, and this report',
    'available',
  ],
  ['@lr/sketch', 'random sketches, sampling and sketched solvers', 'available'],
  ['@lr/recovery', 'matrix completion, sensing and robust recovery', 'available'],
  [
    '@lr/clustering-sdp',
    'k-means, Gaussian mixtures, spectral, SDP k-means, iLA-SDP, MLC; ARI and NMI',
    'available',
  ],
  ['@lr/ot', 'Sinkhorn (dense and on grids), Sinkhorn-Newton-Sparse, exact OT', 'available'],
  ['@lr/peft', 'LoRA-family adapters and weight compression in the PEFT format', 'planned'],
];

/** The overview section: what lr is and the commands that reproduce this page. */
export const overviewSection: ReportSection = {
  id: 'overview',
  title: 'What lr does',
  order: 10,
  intro:
    'lr brings matrix and low-rank algorithms (SVD, randomized sketches, completion, adapters) to Node.js and the browser in plain TypeScript. Every package speaks one tensor interface: a typed array with a shape and strides, so results flow between packages without copies.',
  render() {
    return `
${htmlTable(
  ['package', 'what it does', 'status'],
  PACKAGES.map(([a, b, c]) => [a, b, c]),
)}
<p>Everything on this page was computed on this machine by <code>lr</code> from files shipped with the command. The same operations from the shell:</p>
<pre>lr info assets/stories260K/model.safetensors       # the tensors in a checkpoint (header only)
lr svd assets/ascent.npy --rank 20 --json          # singular values as JSON
lr svd assets/ascent.npy --rank 50 --method randomized --out ascent-rank50.safetensors
lr bench gemm qr svd eigh rsvd --size 256           # kernel timings
lr complete ratings.csv --rank 10 --json           # matrix completion, held-out RMSE
lr cluster assets/iris.csv -k 3 --method gmm       # clustering, ARI/NMI
lr ot --a a.npy --b b.npy --cost C.npy --reg 0.01  # entropic optimal transport</pre>`;
  },
};
