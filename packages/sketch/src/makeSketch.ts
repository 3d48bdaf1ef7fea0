import {
  assertInt,
  describe,
  InvalidArgumentError,
  isLinearOperator,
  optionsObject,
  type Seed,
  ShapeError,
} from '@lr/core';
import { countSketch } from './countSketch.js';
import { gaussianSketch } from './gaussianSketch.js';
import { osnap } from './osnap.js';
import type { SketchOperator } from './sketchOperator.js';
import { srht } from './srht.js';

/** A sketch named by its family, or one already built. */
export type SketchChoice = 'gaussian' | 'srht' | 'countsketch' | 'osnap' | SketchOperator;

/** Options of {@link makeSketch}. */
export interface MakeSketchOptions {
  /** Seed (or an Rng); default 0. */
  seed?: Seed;
  /** OSNAP nonzeros per column; default 4 (see {@link osnap}). */
  s?: number;
}

/**
 * Builds an m×n sketch from its family name, or checks the shape of a given operator.
 *
 * @param sketch `'gaussian'`, `'srht'`, `'countsketch'`, `'osnap'` or a {@link SketchOperator}
 * @param m sketch size (ignored for a given operator, whose own size counts)
 * @param n length of the sketched vectors
 * @param options `seed` (0), `s` (OSNAP, 4)
 * @returns the {@link SketchOperator}
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for an unknown name or a bad size
 * @throws {ShapeError} `SHAPE_MISMATCH` if a given operator does not have n columns
 * @example
 * import { makeSketch } from '@lr/sketch';
 * const S = makeSketch('countsketch', 50, 1000, { seed: 2 });
 */
export function makeSketch(
  sketch: SketchChoice,
  m: number,
  n: number,
  options?: MakeSketchOptions,
): SketchOperator {
  const opts = optionsObject('options', options);
  if (typeof sketch === 'object' && sketch !== null) {
    if (!isLinearOperator(sketch) || typeof (sketch as SketchOperator).apply !== 'function') {
      throw new InvalidArgumentError(`sketch: expected a SketchOperator, got ${describe(sketch)}`);
    }
    if (sketch.cols !== n) {
      throw new ShapeError(
        `sketch: expected an operator with ${n} columns, got ${sketch.rows}×${sketch.cols}`,
      );
    }
    return sketch;
  }
  assertInt('m', m, 1);
  switch (sketch) {
    case 'gaussian':
      return gaussianSketch(m, n, { seed: opts.seed });
    case 'srht':
      return srht(m, n, { seed: opts.seed });
    case 'countsketch':
      return countSketch(m, n, { seed: opts.seed });
    case 'osnap':
      return osnap(m, n, { seed: opts.seed, s: Math.min(opts.s ?? 4, m) });
    default:
      throw new InvalidArgumentError(
        `sketch: expected 'gaussian', 'srht', 'countsketch', 'osnap' or a SketchOperator, got ${describe(sketch)}`,
      );
  }
}
