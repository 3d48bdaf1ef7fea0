import { matmul, randn, scale } from '@lr/core';
import { expect, test } from 'vitest';
import {
  completeMatrix,
  gaussianMeasurements,
  ObservedEntries,
  parseRatings,
  sensingGD,
  splitObserved,
  subgradientL1,
} from '../src/index.js';

// The @example blocks of the TSDoc and the README, run as written.
test('completeMatrix @example', () => {
  const obs = ObservedEntries.fromTriplets(
    3,
    3,
    [0, 0, 1, 1, 2, 2, 0],
    [0, 1, 1, 2, 0, 2, 2],
    [1, 2, 4, 6, 3, 9, 3],
  );
  const fit = completeMatrix(obs, { rank: 1, tol: 1e-12 });
  expect(fit.predict(1, 0)).toBeCloseTo(2, 8);
});

test('parseRatings @example and README example', () => {
  const { observed, userIds } = parseRatings('user,item,rating\nann,x,4\nbob,x,3\nann,y,5\n');
  expect(observed.rows).toBe(2);
  expect(userIds).toEqual(['ann', 'bob']);
  const { train, test: held } = splitObserved(observed, { testFraction: 0.34, seed: 1 });
  expect(train.nnz + held.nnz).toBe(3);
});

test('sensingGD and subgradientL1 @examples', () => {
  const Xs = randn(20, 2, { seed: 1 });
  const M = matmul(Xs, Xs.T);
  const A = gaussianMeasurements(400, 20, 20, { symmetric: true, seed: 2 });
  const Ms = scale(M, 1 / 20);
  const fit = sensingGD(A, A.apply(Ms), {
    parameterization: 'symmetric',
    rank: 4,
    initScale: 0.5,
    stepSize: 0.2,
    iterations: 500,
    truth: Ms,
  });
  expect(fit.errorHistory.at(-1)!).toBeLessThan(0.05);
  const M2 = scale(M, 1 / 20);
  const B = gaussianMeasurements(400, 20, 20, { seed: 2 });
  const y = B.apply(M2);
  y[0] = y[0]! + 100;
  const sub = subgradientL1(B, y, { rank: 6, truth: M2 });
  expect(sub.errorHistory.at(-1)!).toBeLessThan(0.05);
});
