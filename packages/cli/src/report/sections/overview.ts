import { htmlTable } from '../html.js';
import type { ReportSection } from '../section.js';

/** What the lr packages do (one line each) and whether they ship yet, for the overview. */
export const PACKAGES: readonly (readonly [string, string, string])[] = [
  [
    '@lr/core',
    'tensors and matrix views, GEMM kernels, QR/SVD/eigh, randomized SVD, safetensors/.npy/MatrixMarket/CSV',
    'available',
  ],
  ['@lr/cli', 'the lr command: lr info, lr svd, lr bench, and this report', 'available'],
  ['@lr/sketch', 'random sketches, sampling and sketched solvers', 'planned'],
  ['@lr/recovery', 'matrix completion, sensing and robust recovery', 'planned'],
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
lr bench gemm qr svd eigh rsvd --size 256           # kernel timings</pre>`;
  },
};
