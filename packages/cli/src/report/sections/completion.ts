import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Matrix, matmul, Rng } from '@lr/core';
import { completeMatrix, ObservedEntries } from '@lr/recovery';
import { type CompletionRun, runCompletion } from '../../commands/complete.js';
import { formatSeconds } from '../../format.js';
import { packageRoot } from '../../paths.js';
import { htmlTable } from '../html.js';
import type { ReportSection } from '../section.js';
import { escapeXml, linePlot } from '../svg.js';

/** Settings of the phase-transition experiment (small, so the tour stays quick). */
export const PHASE_TRANSITION = {
  n: 40,
  rank: 2,
  fractions: [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4],
  trials: 4,
  /** A trial succeeds when ‖M̂ − M‖_F / ‖M‖_F is below this. */
  tolerance: 1e-3,
} as const;

/** Success rate of exact completion at each sampling fraction. */
export interface PhasePoint {
  fraction: number;
  successes: number;
  trials: number;
  /** Median relative Frobenius error over the trials. */
  medianError: number;
}

/**
 * The recovery phase transition of noiseless completion: for each sampling fraction p,
 * `trials` random rank-r n×n matrices M = U·Vᵀ (Gaussian factors), each entry observed
 * with probability p, completed by AltMin (λ = 0, no biases) at the true rank; a trial
 * succeeds when the relative Frobenius error is below `tolerance`.
 */
export function phaseTransition(
  settings: {
    n: number;
    rank: number;
    fractions: readonly number[];
    trials: number;
    tolerance: number;
  } = PHASE_TRANSITION,
  seed = 0,
): PhasePoint[] {
  const { n, rank: r, trials, tolerance } = settings;
  const rng = new Rng(seed);
  return settings.fractions.map((p) => {
    let successes = 0;
    const errors: number[] = [];
    for (let t = 0; t < trials; t++) {
      const U = Float64Array.from({ length: n * r }, () => rng.normal());
      const V = Float64Array.from({ length: n * r }, () => rng.normal());
      const M = matmul(Matrix.fromData(U, n, r), Matrix.fromData(V, n, r).T).data;
      const rows: number[] = [];
      const cols: number[] = [];
      const vals: number[] = [];
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          if (rng.uniform() < p) {
            rows.push(i);
            cols.push(j);
            vals.push(M[i * n + j]!);
          }
        }
      }
      let err = Number.POSITIVE_INFINITY;
      if (vals.length > 0) {
        const obs = new ObservedEntries(
          n,
          n,
          Int32Array.from(rows),
          Int32Array.from(cols),
          Float64Array.from(vals),
        );
        const fit = completeMatrix(obs, { rank: r, maxIterations: 100, tol: 1e-9, seed: t });
        let e = 0;
        let tot = 0;
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            const v = M[i * n + j]!;
            e += (fit.predict(i, j) - v) ** 2;
            tot += v * v;
          }
        }
        err = Math.sqrt(e / tot);
      }
      errors.push(err);
      if (err < tolerance) successes++;
    }
    errors.sort((a, b) => a - b);
    return { fraction: p, successes, trials, medianError: errors[Math.floor(trials / 2)]! };
  });
}

/** `../shared/data/ratings/movielens-latest-small.csv` next to the repository holding @lr/cli, if there. */
export function findMovieLens(): string | null {
  let dir: string;
  try {
    dir = packageRoot();
  } catch {
    return null;
  }
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) {
      const f = join(dir, '..', 'shared', 'data', 'ratings', 'movielens-latest-small.csv');
      return existsSync(f) ? f : null;
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return null;
}

/** The header and the ratings of the first `users` users of a ratings file (in file order). */
export function firstUsers(text: string, users: number): string {
  const lines = text.split(/\r?\n/);
  const out = [lines[0]!];
  const seen = new Set<string>();
  for (let l = 1; l < lines.length; l++) {
    const line = lines[l]!;
    if (line.trim() === '') continue;
    const u = line.slice(0, line.indexOf(','));
    if (!seen.has(u)) {
      if (seen.size === users) break;
      seen.add(u);
    }
    out.push(line);
  }
  return `${out.join('\n')}\n`;
}

/**
 * A synthetic ratings file: `users`×`items`, rank-3 preferences plus user/item biases
 * and noise, clipped and rounded to half stars in [0.5, 5], each pair rated with
 * probability `density`.
 */
export function syntheticRatings(users = 300, items = 200, density = 0.1, seed = 0): string {
  const rng = new Rng(seed);
  const r = 3;
  const U = Float64Array.from({ length: users * r }, () => 0.7 * rng.normal());
  const V = Float64Array.from({ length: items * r }, () => 0.7 * rng.normal());
  const bu = Float64Array.from({ length: users }, () => 0.4 * rng.normal());
  const bi = Float64Array.from({ length: items }, () => 0.4 * rng.normal());
  const lines = ['user,item,rating'];
  for (let i = 0; i < users; i++) {
    for (let j = 0; j < items; j++) {
      if (rng.uniform() >= density) continue;
      let v = 3.5 + bu[i]! + bi[j]! + 0.3 * rng.normal();
      for (let a = 0; a < r; a++) v += U[i * r + a]! * V[j * r + a]!;
      const half = Math.min(5, Math.max(0.5, Math.round(v * 2) / 2));
      lines.push(`u${i},i${j},${half}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Users of the MovieLens subsample the tour completes (the whole file takes seconds). */
export const MOVIELENS_TOUR_USERS = 400;

/** The matrix completion section: the phase transition, and held-out RMSE on ratings. */
export const completionSection: ReportSection = {
  id: 'completion',
  title: 'Matrix completion',
  order: 40,
  intro:
    'Filling in a low-rank matrix from a fraction of its entries (@lr/recovery): below a sampling threshold exact recovery fails, above it AltMin recovers the matrix to machine precision. On real ratings the same model, with biases and ridge regularization, is scored on held-out ratings against two baselines: the global mean and user/item biases (which already explain most of what is predictable).',
  render(ctx) {
    const s = PHASE_TRANSITION;
    ctx.progress.update('completion: phase transition');
    const points = ctx.time('phase transition', () => phaseTransition());
    const dof = s.rank * (2 * s.n - s.rank);
    const plot = linePlot(
      [
        {
          name: `success rate (${s.trials} trials)`,
          x: points.map((p) => p.fraction),
          y: points.map((p) => p.successes / p.trials),
        },
      ],
      {
        title: `Exact recovery of a rank-${s.rank} ${s.n}×${s.n} matrix by AltMin`,
        x: { label: 'fraction of entries observed', min: 0, max: 0.45 },
        y: { label: 'success rate', min: 0, max: 1 },
      },
    );
    ctx.progress.update('completion: ratings');
    const ml = findMovieLens();
    let source: string;
    let run: CompletionRun;
    if (ml) {
      const text = firstUsers(readFileSync(ml, 'utf8'), MOVIELENS_TOUR_USERS);
      source = `MovieLens ml-latest-small, the ratings of its first ${MOVIELENS_TOUR_USERS} users (found at ../shared/data/ratings beside the repository)`;
      run = ctx.time('MovieLens subsample, rank 10', () => runCompletion(text, { rank: 10 }));
    } else {
      source =
        'a synthetic ratings set (300 users × 200 items, rank 3 plus biases and noise, half stars, 10% observed; fitted at rank 3, λ 2): the MovieLens file is not shipped with lr';
      const text = syntheticRatings();
      run = ctx.time('synthetic ratings, rank 3', () =>
        runCompletion(text, { rank: 3, lambda: 2 }),
      );
    }
    const threshold = points.find((p) => p.successes === p.trials);
    ctx.say(
      `recover rank-${s.rank} ${s.n}×${s.n}: all ${s.trials} trials exact from ${threshold ? `${Math.round(threshold.fraction * 100)}%` : '(none)'} of entries; ${ml ? 'MovieLens subsample' : 'synthetic ratings'} held-out RMSE ${run.rmse.toFixed(3)} (biases ${run.biasRmse.toFixed(3)})`,
    );
    const phaseRows = points.map((p) => [
      `${Math.round(p.fraction * 100)}%`,
      (p.fraction / (dof / (s.n * s.n))).toFixed(2),
      `${p.successes}/${p.trials}`,
      p.medianError.toExponential(1),
    ]);
    return `
${plot}
<p>Each point: ${s.trials} random rank-${s.rank} matrices (Gaussian factors), each entry observed independently with the given probability, completed by AltMin at the true rank without regularization; success means relative Frobenius error below ${s.tolerance}. The matrix has r(2n − r) = ${dof} degrees of freedom, ${((100 * dof) / (s.n * s.n)).toFixed(1)}% of its ${s.n * s.n} entries.</p>
${htmlTable(['observed', '× degrees of freedom', 'exact', 'median error'], phaseRows)}
<p>Held-out RMSE on ${escapeXml(source)}: ${run.users} users × ${run.items} items, ${run.ratings.toLocaleString('en-US')} ratings, 10% held out (seed 0).</p>
${htmlTable(
  ['model', 'held-out RMSE'],
  [
    ['global mean', run.globalMeanRmse.toFixed(4)],
    ['user/item biases (ridge 10)', run.biasRmse.toFixed(4)],
    [
      `${run.method} rank ${run.rank}, biases, λ ${run.lambda} (${run.iterations} iterations, ${formatSeconds(run.seconds)})`,
      run.rmse.toFixed(4),
    ],
  ],
)}
<pre>lr complete ratings.csv --rank 10 --json</pre>`;
  },
};
