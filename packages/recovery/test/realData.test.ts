import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { completeMatrix, parseRatings, splitObserved } from '../src/index.js';

const dir = fileURLToPath(new URL('../../../../shared/data/ratings/', import.meta.url));
const movielens = `${dir}movielens-latest-small.csv`;
const insteval = `${dir}insteval.csv`;

function globalMeanRmse(trainValues: Float64Array, testValues: Float64Array): number {
  let mu = 0;
  for (const v of trainValues) mu += v;
  mu /= trainValues.length;
  let se = 0;
  for (const v of testValues) se += (v - mu) ** 2;
  return Math.sqrt(se / testValues.length);
}

describe('real ratings', () => {
  test.skipIf(!existsSync(movielens))(
    'MovieLens (users < 300): AltMin with biases beats the global mean on held-out RMSE',
    () => {
      const { observed, userIds, itemIds, header } = parseRatings(readFileSync(movielens, 'utf8'));
      expect(header).toEqual(['userId', 'movieId', 'rating', 'timestamp']);
      expect(observed.nnz).toBe(100004);
      expect(userIds.length).toBe(671);
      expect(itemIds.length).toBe(9066);
      // subsample: the ratings of the first 300 users
      const keep = Int32Array.from(
        Array.from({ length: observed.nnz }, (_, p) => p).filter((p) => observed.row[p]! < 300),
      );
      const sub = observed.subset(keep);
      const { train, test: held } = splitObserved(sub, { testFraction: 0.1, seed: 0 });
      const fit = completeMatrix(train, {
        rank: 5,
        biases: true,
        lambda: 20,
        heldOut: held,
        maxIterations: 5,
      });
      const base = globalMeanRmse(train.values, held.values);
      const rmse = fit.history.heldOutRmse.at(-1)!;
      console.log(
        `MovieLens subsample (${sub.nnz} ratings): global mean ${base.toFixed(4)}, altmin+biases rank 5 ${rmse.toFixed(4)}`,
      );
      expect(rmse).toBeLessThan(0.9 * base);
      expect(fit.history.trainRmse.at(-1)!).toBeLessThan(rmse);
    },
  );
  if (!existsSync(movielens))
    console.warn(`skipped: ${movielens} is absent (see shared/data/README.md)`);

  test.skipIf(!existsSync(insteval))(
    'InstEval parses (73,421 ratings) and SoftImpute with biases beats the global mean',
    () => {
      const { observed } = parseRatings(readFileSync(insteval, 'utf8'));
      expect(observed.nnz).toBe(73421);
      const { train, test: held } = splitObserved(observed, { testFraction: 0.1, seed: 1 });
      const fit = completeMatrix(train, {
        rank: 3,
        method: 'softimpute',
        biases: true,
        lambda: 20,
        heldOut: held,
        maxIterations: 3,
      });
      expect(fit.history.heldOutRmse.at(-1)!).toBeLessThan(
        globalMeanRmse(train.values, held.values),
      );
    },
  );
  if (!existsSync(insteval))
    console.warn(`skipped: ${insteval} is absent (see shared/data/README.md)`);
});
