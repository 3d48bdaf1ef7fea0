import { assertNumber, InvalidArgumentError, optionsObject, Rng, type Seed } from '@lr/core';
import { orDefault } from './_args.js';
import { ObservedEntries } from './observed.js';

/** Options of {@link splitObserved}. */
export interface SplitObservedOptions {
  /** Fraction of entries held out for testing, in [0, 1); default 0.1 (a 90/10 split, as in the MovieLens literature). */
  testFraction?: number;
  /** Seed of the random split; default 0. */
  seed?: Seed;
}

/** Result of {@link splitObserved}. */
export interface SplitObservedResult {
  /** Training entries (same shape as the input). */
  train: ObservedEntries;
  /** Held-out entries (same shape), round(testFraction·|Ω|) of them. */
  test: ObservedEntries;
}

/**
 * Splits observed entries uniformly at random into training and held-out sets (a seeded
 * Fisher–Yates shuffle of the positions). The input is not modified.
 *
 * @param entries the observed entries
 * @param options see {@link SplitObservedOptions}
 * @returns `{ train, test }`
 * @throws {InvalidArgumentError} for entries that are not {@link ObservedEntries}, testFraction
 *   outside [0, 1) or a bad seed
 * @example
 * const { train, test } = splitObserved(obs, { testFraction: 0.2, seed: 1 });
 */
export function splitObserved(
  entries: ObservedEntries,
  options?: SplitObservedOptions,
): SplitObservedResult {
  if (!(entries instanceof ObservedEntries)) {
    throw new InvalidArgumentError(
      `entries: expected ObservedEntries (from parseRatings or ObservedEntries.fromTriplets), got ${entries === null ? 'null' : typeof entries}`,
    );
  }
  const opts = optionsObject('options', options);
  const defaults = { testFraction: 0.1, seed: 0 };
  const f = assertNumber(
    'options.testFraction',
    orDefault(opts.testFraction, defaults.testFraction),
    0,
    1,
  );
  if (f >= 1)
    throw new InvalidArgumentError('options.testFraction: expected a number in [0, 1), got 1');
  const perm = Rng.from(orDefault(opts.seed, defaults.seed)).permutation(entries.nnz);
  const nTest = Math.round(f * entries.nnz);
  const test = perm.slice(0, nTest).sort();
  const train = perm.slice(nTest).sort();
  return { train: entries.subset(train), test: entries.subset(test) };
}
