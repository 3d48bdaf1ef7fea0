import { Matrix } from '@lr/core';
import {
  costMatrix,
  type SinkhornResult,
  type SnsResult,
  sinkhorn,
  sinkhornNewtonSparse,
} from '@lr/ot';
import { formatSeconds } from '../../format.js';
import { htmlTable } from '../html.js';
import type { ReportSection } from '../section.js';
import { linePlot } from '../svg.js';

/** The small transport problem of the tour: two bimodal histograms on n points of [0, 1]. */
export const TRANSPORT_PROBLEM = { n: 80, reg: 0.002, stopThr: 1e-8, numItermax: 3000 } as const;

function bump(n: number, centre: number, width: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.exp(-((i / (n - 1) - centre) ** 2) / width));
}

function normalized(v: number[]): number[] {
  const s = v.reduce((x, y) => x + y, 0);
  return v.map((x) => x / s);
}

/** Histograms a, b and the squared-distance cost of {@link TRANSPORT_PROBLEM}. */
export function transportProblem(n: number = TRANSPORT_PROBLEM.n): {
  a: number[];
  b: number[];
  M: Matrix;
} {
  const x = new Matrix(new Float64Array(n), n, 1);
  for (let i = 0; i < n; i++) x.set(i, 0, i / (n - 1));
  const a1 = bump(n, 0.25, 0.01);
  const a2 = bump(n, 0.6, 0.005);
  const b1 = bump(n, 0.7, 0.02);
  const b2 = bump(n, 0.2, 0.003);
  return {
    a: normalized(a1.map((v, i) => v + 0.5 * a2[i]!)),
    b: normalized(b1.map((v, i) => v + 0.3 * b2[i]!)),
    M: costMatrix(x, x),
  };
}

/**
 * Log-domain Sinkhorn (marginal error checked every iteration) and Sinkhorn-Newton-Sparse
 * on the same problem, to the same stopping threshold.
 */
export function compareSolvers(time: <T>(label: string, fn: () => T) => T = (_l, fn) => fn()): {
  sinkhorn: SinkhornResult;
  sns: SnsResult;
} {
  const p = TRANSPORT_PROBLEM;
  const { a, b, M } = transportProblem();
  const s = time('Sinkhorn (log domain)', () =>
    sinkhorn(a, b, M, {
      reg: p.reg,
      method: 'log',
      numItermax: p.numItermax,
      stopThr: p.stopThr,
      checkEvery: 1,
    }),
  );
  const n = time('Sinkhorn-Newton-Sparse', () =>
    sinkhornNewtonSparse(a, b, M, { reg: p.reg, stopThr: p.stopThr }),
  );
  return { sinkhorn: s, sns: n };
}

/** The optimal transport section: Sinkhorn vs Sinkhorn-Newton-Sparse error histories. */
export const transportSection: ReportSection = {
  id: 'transport',
  title: 'Optimal transport',
  order: 60,
  intro:
    'Entropic optimal transport between two histograms (@lr/ot). At small regularization Sinkhorn converges slowly (linearly, with a rate that degrades as the regularization shrinks); Sinkhorn-Newton-Sparse (Tang et al., ICLR 2024) takes 20 Sinkhorn steps and then Newton steps with a sparsified Hessian, and converges in far fewer iterations.',
  render(ctx) {
    const p = TRANSPORT_PROBLEM;
    ctx.progress.update('transport: Sinkhorn vs SNS');
    const { sinkhorn: s, sns } = compareSolvers(ctx.time);
    ctx.say(
      `transport ${p.n}×${p.n}, reg ${p.reg}: Sinkhorn ${s.iterations} iterations (${formatSeconds(s.seconds)}), SNS ${sns.iterations} (${formatSeconds(sns.seconds)}) to ${p.stopThr.toExponential(0)}`,
    );
    const plot = linePlot(
      [
        {
          name: 'Sinkhorn (log domain)',
          x: s.history.map((_, i) => i + 1),
          y: s.history,
        },
        {
          name: 'Sinkhorn-Newton-Sparse',
          x: sns.history.map((_, i) => i + 1),
          y: sns.history,
        },
      ],
      {
        title: `Marginal error per iteration, ${p.n}×${p.n} problem, reg ${p.reg}`,
        x: { label: 'iteration' },
        y: { label: 'marginal error (log scale)', log: true },
      },
    );
    const row = (
      name: string,
      r: { iterations: number; seconds: number; cost: number; converged: boolean },
      err: number,
    ) => [
      name,
      String(r.iterations),
      formatSeconds(r.seconds),
      err.toExponential(1),
      r.cost.toPrecision(8),
      r.converged ? 'yes' : 'no',
    ];
    return `
${plot}
${htmlTable(
  ['method', 'iterations', 'time', 'final error', 'cost ⟨P, C⟩', 'converged'],
  [
    row('Sinkhorn (log domain)', s, s.history[s.history.length - 1] ?? Number.NaN),
    row('Sinkhorn-Newton-Sparse', sns, sns.history[sns.history.length - 1] ?? Number.NaN),
  ],
)}
<p>Two bimodal histograms on ${p.n} equally spaced points of [0, 1], squared-distance cost, regularization ${p.reg}, both stopped when the marginal error ‖P1 − a‖₂ + ‖Pᵀ1 − b‖₂ falls below ${p.stopThr} (Sinkhorn's P1 = a holds after each row update, so its error is ‖Pᵀ1 − b‖₂, checked every iteration). An SNS iteration (a sparse CG solve) costs more than a Sinkhorn iteration, so the time ratio is smaller than the iteration ratio.</p>
<pre>lr ot --a a.npy --b b.npy --cost C.npy --reg ${p.reg} --method sns --json</pre>`;
  },
};
