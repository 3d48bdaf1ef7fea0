import { cpus, platform, release } from 'node:os';
import { runBenchmark } from '../../commands/bench.js';
import { formatSeconds } from '../../format.js';
import { htmlTable } from '../html.js';
import type { ReportSection } from '../section.js';

/** Size of the GEMM measured by the timing section (small: the tour should stay quick). */
const GEMM_SIZE = 256;

/** The timing section: every timed step of the report, the machine, and GEMM speed. */
export const timingSection: ReportSection = {
  id: 'timing',
  title: 'Timing',
  order: 1000,
  intro:
    'Wall-clock time of each step above on this machine (no native code: TypeScript and WebAssembly), and the speed of the matrix-multiply kernel every decomposition is built on.',
  render(ctx) {
    ctx.progress.update(`gemm ${GEMM_SIZE}³`);
    const g = runBenchmark('gemm', GEMM_SIZE, 'float64', { budgetSeconds: 0.5, maxRuns: 3 });
    const rows = ctx.timings.map((t) => [t.section, t.label, formatSeconds(t.seconds)]);
    const total = ctx.timings.reduce((s, t) => s + t.seconds, 0);
    rows.push(['', 'total of the steps', formatSeconds(total)]);
    const cpu = cpus();
    const machine = `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${platform()} ${release()}, Node ${process.versions.node}`;
    return `
${htmlTable(['section', 'step', 'time'], rows)}
<p>GEMM ${GEMM_SIZE}×${GEMM_SIZE}×${GEMM_SIZE} (float64): ${formatSeconds(g.seconds)}, ${g.gflops!.toFixed(2)} GFLOP/s (2n³ flops, median of ${'≤'}3 runs after a warm-up). Machine: ${machine}.</p>
<p class="note">More: <code>lr bench gemm qr svd eigh rsvd --size 512</code>.</p>`;
  },
};
