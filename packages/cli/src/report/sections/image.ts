import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Matrix, randomizedSvd, readNpy, svd, svdReconstruct } from '@lr/core';
import { formatSeconds } from '../../format.js';
import { energy, energyRank, tailError } from '../../spectrum.js';
import { htmlTable } from '../html.js';
import { relativeError } from '../lowrank.js';
import { encodePngGray, toGray } from '../png.js';
import type { ReportSection } from '../section.js';
import { linePlot } from '../svg.js';

/** Ranks of the reconstructions shown. */
export const IMAGE_RANKS = [5, 20, 50] as const;

/** Seed of the randomized SVD; oversampling is core's default (10, as scikit-learn). */
const SEED = 0;
/**
 * Power iterations of the randomized SVD: 4, scikit-learn's `n_iter` for k ≥ 0.1·min(m, n).
 * On this image 7 (the 'auto' choice at k = 50) gives the same errors to four digits.
 */
const POWER_ITERATIONS = 4;

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

/**
 * The image section: the exact singular value spectrum of a 512×512 photograph, and its
 * rank-k approximations from a randomized SVD (PNGs) with their errors against the
 * Eckart–Young optimum.
 */
export const imageSection: ReportSection = {
  id: 'image',
  title: 'Low-rank approximation of an image',
  order: 20,
  intro:
    'A greyscale photograph is a matrix. Its singular values fall quickly, so keeping the k largest (the truncated SVD, the best rank-k approximation by the Eckart–Young theorem) rebuilds the picture from k·(m+n+1) numbers instead of m·n. The randomized SVD of Halko, Martinsson & Tropp finds those leading factors from a few matrix products, without computing the full decomposition.',
  render(ctx) {
    const file = join(ctx.assetsDir, 'ascent.npy');
    const npy = ctx.time('read ascent.npy', () => readNpy(new Uint8Array(readFileSync(file))));
    const A = Matrix.fromTensor(npy.tensor).clone('float64');
    const m = A.rows;
    const n = A.cols;
    const kmax = Math.min(m, n);
    ctx.progress.update(`singular values of the ${m}×${n} image`);
    const S = ctx.time(`exact singular values ${m}×${n}`, () => svd(A, { valuesOnly: true }).S);
    const tExact = ctx.timings.at(-1)!.seconds;
    const total = energy(S);
    const ranks = IMAGE_RANKS.filter((k) => k <= kmax);
    const kr = Math.max(...ranks);
    ctx.progress.update(`randomized SVD, rank ${kr}`);
    const rand = ctx.time(`randomized SVD rank ${kr}`, () =>
      randomizedSvd(A, { rank: kr, powerIterations: POWER_ITERATIONS, seed: SEED }),
    );
    const tRand = ctx.timings.at(-1)!.seconds;
    let maxRel = 0;
    for (let i = 0; i < kr; i++) maxRel = Math.max(maxRel, Math.abs(rand.S[i]! - S[i]!) / S[i]!);

    const figures: string[] = [];
    const original = ctx.addFile('img/ascent.png', encodePngGray(toGray(A.data, 0, 255), n, m));
    figures.push(
      `<figure><img src="${original}" alt="original image" width="${n}" height="${m}"><figcaption>original, ${m}×${n} = ${(m * n).toLocaleString('en-US')} numbers</figcaption></figure>`,
    );
    const rows: (string | number)[][] = [];
    const errs: number[] = [];
    for (const k of ranks) {
      ctx.progress.update(`rank-${k} reconstruction`);
      const Ak = ctx.time(`reconstruct rank ${k}`, () => svdReconstruct(rand, { rank: k }));
      const err = relativeError(A, Ak);
      const best = tailError(S, k, total);
      errs.push(err);
      const storage = (k * (m + n + 1)) / (m * n);
      const src = ctx.addFile(
        `img/ascent-rank${k}.png`,
        encodePngGray(toGray(Ak.data, 0, 255), n, m),
      );
      figures.push(
        `<figure><img src="${src}" alt="rank ${k} approximation" width="${n}" height="${m}"><figcaption>rank ${k}: relative error ${err.toFixed(3)}, ${pct(storage)} of the numbers</figcaption></figure>`,
      );
      rows.push([
        k,
        err.toFixed(4),
        best.toFixed(4),
        `${(100 * (err / best - 1)).toFixed(2)}%`,
        pct(1 - best ** 2),
        pct(storage),
      ]);
    }
    const idx = Array.from({ length: S.length }, (_, i) => i + 1);
    const spectrum = linePlot(
      [
        { name: 'exact SVD', x: idx, y: S },
        {
          name: `randomized SVD (rank ${kr})`,
          x: idx.slice(0, kr),
          y: rand.S,
          mode: 'points',
          color: '#D55E00',
        },
      ],
      {
        title: 'Singular values of the image',
        width: 450,
        x: { label: 'index i' },
        y: { label: 'σᵢ (log scale)', log: true },
      },
    );
    const curveK = Array.from({ length: kmax }, (_, k) => k + 1);
    const curve = curveK.map((k) => tailError(S, k, total));
    const errPlot = linePlot(
      [
        { name: 'best possible (Eckart–Young)', x: curveK, y: curve },
        {
          name: 'randomized SVD, pictured',
          x: [...ranks],
          y: errs,
          mode: 'points',
          color: '#D55E00',
        },
      ],
      {
        title: 'Relative error of the rank-k approximation',
        width: 450,
        x: { label: 'rank k' },
        y: { label: '‖A − Aₖ‖F / ‖A‖F (log scale)', log: true },
      },
    );
    const e90 = energyRank(S, 0.9, total);
    const e99 = energyRank(S, 0.99, total);
    ctx.say(
      `image   ascent ${m}×${n}: all ${S.length} singular values in ${formatSeconds(tExact)}; randomized SVD rank ${kr} in ${formatSeconds(tRand)} (its σ within ${(maxRel * 100).toPrecision(2)}% of exact)`,
    );
    ctx.say(
      `        rank ${ranks.join(' / ')} → relative error ${errs.map((e) => e.toFixed(3)).join(' / ')} from ${ranks.map((k) => pct((k * (m + n + 1)) / (m * n))).join(' / ')} of the numbers`,
    );
    ctx.shared.set('image.singularValues', S);
    return `
<div class="figures">
${figures.join('\n')}
</div>
<div class="plots">
${spectrum}
${errPlot}
</div>
${htmlTable(['rank k', 'relative error', 'best possible', 'excess', 'energy kept', 'storage'], rows)}
<p class="note">Relative error is ‖A − Aₖ‖<sub>F</sub> / ‖A‖<sub>F</sub> of the pictured reconstruction, built from the leading k triplets of one randomized SVD of rank ${kr} (seed ${SEED}, ${rand.oversample} extra samples, ${rand.powerIterations} power iterations). The best possible error, √(Σ<sub>i&gt;k</sub> σᵢ²) / ‖A‖<sub>F</sub> from the exact spectrum, is what the exact truncated SVD attains; “excess” is how far the randomized one is above it. Energy kept is Σ<sub>i≤k</sub> σᵢ² / Σσᵢ²: 90% of it sits in the first ${e90} singular values, 99% in the first ${e99}. The randomized SVD took ${formatSeconds(tRand)}, the exact singular values alone ${formatSeconds(tExact)}.</p>
<p class="note">Image: <code>scipy.datasets.ascent()</code>, public domain. Reproduce with <code>lr svd assets/ascent.npy --rank ${kr} --method randomized</code>.</p>`;
  },
};
