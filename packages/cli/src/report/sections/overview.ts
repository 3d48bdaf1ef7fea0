import { htmlTable } from '../html.js';
import type { ReportSection } from '../section.js';

/** What the lr packages do (one line each), for the overview section. */
export const PACKAGES: readonly (readonly [string, string])[] = [
  [
    '@lr/core',
    'tensors and matrix views, GEMM kernels, QR/SVD/eigh, randomized SVD, safetensors/.npy/MatrixMarket/CSV',
  ],
  ['@lr/sketch', 'random sketches, sampling and sketched solvers'],
  ['@lr/recovery', 'matrix completion, sensing and robust recovery'],
  ['@lr/peft', 'LoRA-family adapters and weight compression in the PEFT format'],
  ['@lr/cli', 'the lr command: lr info, lr svd, lr bench, and this report'],
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
  ['package', 'what it does'],
  PACKAGES.map(([a, b]) => [a, b]),
)}
<p>Everything on this page was computed on this machine by <code>lr</code> from files shipped with the command. The same operations from the shell:</p>
<pre>lr info assets/stories260K/model.safetensors       # the tensors in a checkpoint (header only)
lr svd assets/ascent.npy --rank 20 --json          # singular values as JSON
lr svd assets/ascent.npy --rank 50 --method randomized --out ascent-rank50.safetensors
lr bench gemm qr svd eigh rsvd --size 256           # kernel timings</pre>`;
  },
};
