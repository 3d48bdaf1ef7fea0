import { completeMatrix, type ObservedEntries, parseRatings, splitObserved } from '@lr/recovery';
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { CliError, withSubject } from '../errors.js';
import { formatSeconds, table } from '../format.js';
import { checkOutputs, writeOutputs } from '../io/atomic.js';
import { readInputBytes } from '../io/read.js';
import {
  parseChoice,
  parseNonNegativeInt,
  parseNonNegativeNumber,
  parseOpenFraction,
  parsePositiveInt,
} from '../parse.js';

/** Methods `lr complete` offers (those of `completeMatrix` that fit biases and a rank-k model). */
export const COMPLETE_METHODS = ['altmin', 'robust-altmin', 'softimpute'] as const;
export type CompleteMethod = (typeof COMPLETE_METHODS)[number];

/** Defaults of `lr complete`: those of @lr/recovery's MovieLens example (README). */
export const COMPLETE_DEFAULTS = {
  method: 'altmin' as CompleteMethod,
  holdout: 0.1,
  seed: 0,
  lambda: 20,
  maxIterations: 15,
  tol: 1e-4,
} as const;

/** Ridge weight and sweeps of the user/item bias baseline. */
export const BIAS_BASELINE = { lambda: 10, sweeps: 10 } as const;

/** The baseline r̂(u, i) = μ + b_u + c_i. */
export interface BiasModel {
  mean: number;
  userBias: Float64Array;
  itemBias: Float64Array;
  predict(i: number, j: number): number;
}

/**
 * The user/item bias baseline: μ = mean training rating, then alternating ridge updates
 * b_u = Σ_i (r_ui − μ − c_i) / (λ + n_u) and c_i = Σ_u (r_ui − μ − b_u) / (λ + n_i), each
 * sweep one pass over users then items (Koren 2008's regularized baseline predictors).
 *
 * @param train training ratings
 * @param options `lambda` (default 10) and `sweeps` (default 10)
 */
export function fitBiasBaseline(
  train: ObservedEntries,
  options: { lambda?: number; sweeps?: number } = {},
): BiasModel {
  const lambda = options.lambda ?? BIAS_BASELINE.lambda;
  const sweeps = options.sweeps ?? BIAS_BASELINE.sweeps;
  const { row, col, values, nnz } = train;
  let mean = 0;
  for (let p = 0; p < nnz; p++) mean += values[p]!;
  mean = nnz > 0 ? mean / nnz : 0;
  const userBias = new Float64Array(train.rows);
  const itemBias = new Float64Array(train.cols);
  const nu = new Float64Array(train.rows);
  const ni = new Float64Array(train.cols);
  for (let p = 0; p < nnz; p++) {
    nu[row[p]!]!++;
    ni[col[p]!]!++;
  }
  const sumU = new Float64Array(train.rows);
  const sumI = new Float64Array(train.cols);
  for (let s = 0; s < sweeps; s++) {
    sumU.fill(0);
    for (let p = 0; p < nnz; p++) sumU[row[p]!]! += values[p]! - mean - itemBias[col[p]!]!;
    for (let i = 0; i < train.rows; i++) userBias[i] = sumU[i]! / (lambda + nu[i]!);
    sumI.fill(0);
    for (let p = 0; p < nnz; p++) sumI[col[p]!]! += values[p]! - mean - userBias[row[p]!]!;
    for (let j = 0; j < train.cols; j++) itemBias[j] = sumI[j]! / (lambda + ni[j]!);
  }
  return {
    mean,
    userBias,
    itemBias,
    predict: (i, j) => mean + userBias[i]! + itemBias[j]!,
  };
}

/** Root mean squared error of `predict` on `entries` (NaN when there are none). */
export function rmseOn(
  entries: ObservedEntries,
  predict: (i: number, j: number) => number,
): number {
  let s = 0;
  for (let p = 0; p < entries.nnz; p++) {
    const e = predict(entries.row[p]!, entries.col[p]!) - entries.values[p]!;
    s += e * e;
  }
  return Math.sqrt(s / entries.nnz);
}

const USER_NAMES = ['user', 'userid', 'user_id', 'uid', 'users', 'customer', 'customerid', 's'];
const ITEM_NAMES = [
  'item',
  'itemid',
  'item_id',
  'iid',
  'movie',
  'movieid',
  'movie_id',
  'product',
  'productid',
  'd',
];
const RATING_NAMES = ['rating', 'ratings', 'score', 'stars', 'value', 'y', 'r'];

function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

/**
 * The user, item and rating columns named in a ratings file's header line (MovieLens
 * `userId,movieId,rating,…`, InstEval `"s","d","y"`, `user,item,rating`), or null when
 * the first line is not such a header (then columns 0, 1, 2 are used).
 */
export function detectRatingColumns(
  text: string,
): { user: string; item: string; rating: string } | null {
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const delim = first.includes(',')
    ? ','
    : first.includes('\t')
      ? '\t'
      : first.includes(';')
        ? ';'
        : /\s+/;
  const fields = (typeof delim === 'string' ? first.split(delim) : first.trim().split(delim)).map(
    unquote,
  );
  const find = (names: string[]) => fields.find((f) => names.includes(f.toLowerCase()));
  const user = find(USER_NAMES);
  const item = find(ITEM_NAMES);
  const rating = find(RATING_NAMES);
  return user && item && rating ? { user, item, rating } : null;
}

/** Options of {@link runCompletion}. */
export interface CompletionRunOptions {
  rank: number;
  method?: CompleteMethod;
  /** Fraction of ratings held out, in (0, 1); default 0.1. */
  holdout?: number;
  seed?: number;
  /** Ridge / nuclear-norm weight λ of completeMatrix; default 20. */
  lambda?: number;
  maxIterations?: number;
}

/** One held-out rating and its prediction (original ids). */
export interface HeldOutPrediction {
  user: string;
  item: string;
  rating: number;
  prediction: number;
}

/** What {@link runCompletion} returns. */
export interface CompletionRun {
  users: number;
  items: number;
  ratings: number;
  trainCount: number;
  testCount: number;
  /** Held-out RMSE of the fitted model. */
  rmse: number;
  /** Held-out RMSE of the user/item bias baseline μ + b_u + c_i. */
  biasRmse: number;
  /** Held-out RMSE of predicting the training mean everywhere. */
  globalMeanRmse: number;
  /** Training RMSE of the fitted model. */
  trainRmse: number;
  iterations: number;
  converged: boolean;
  /** Seconds of the fit (not reading, splitting or the baselines). */
  seconds: number;
  method: CompleteMethod;
  rank: number;
  lambda: number;
  predictions: HeldOutPrediction[];
}

/**
 * What `lr complete` computes, on a ratings file's text: parse (header names detected),
 * split off the held-out part, fit completeMatrix with biases, and score model and
 * baselines on the held-out ratings.
 *
 * @throws {LrError} for a malformed file or a bad rank (reported as exit 2 by the CLI)
 */
export function runCompletion(text: string, options: CompletionRunOptions): CompletionRun {
  const cols = detectRatingColumns(text);
  const parsed = parseRatings(
    text,
    cols ? { userColumn: cols.user, itemColumn: cols.item, ratingColumn: cols.rating } : {},
  );
  const { observed, userIds, itemIds } = parsed;
  if (observed.nnz < 2) throw new CliError(`expected at least 2 ratings, got ${observed.nnz}`);
  const holdout = options.holdout ?? COMPLETE_DEFAULTS.holdout;
  const seed = options.seed ?? COMPLETE_DEFAULTS.seed;
  const { train, test } = splitObserved(observed, { testFraction: holdout, seed });
  if (test.nnz === 0 || train.nnz === 0) {
    throw new CliError(
      `--holdout ${holdout} of ${observed.nnz} ratings leaves ${test.nnz} held out and ${train.nnz} for training`,
    );
  }
  const method = options.method ?? COMPLETE_DEFAULTS.method;
  const lambda = options.lambda ?? COMPLETE_DEFAULTS.lambda;
  const fit = completeMatrix(train, {
    rank: options.rank,
    method,
    biases: true,
    lambda,
    maxIterations: options.maxIterations ?? COMPLETE_DEFAULTS.maxIterations,
    tol: COMPLETE_DEFAULTS.tol,
    seed,
  });
  const base = fitBiasBaseline(train);
  const mean = base.mean;
  const predictions: HeldOutPrediction[] = [];
  for (let p = 0; p < test.nnz; p++) {
    const i = test.row[p]!;
    const j = test.col[p]!;
    predictions.push({
      user: userIds[i]!,
      item: itemIds[j]!,
      rating: test.values[p]!,
      prediction: fit.predict(i, j),
    });
  }
  return {
    users: observed.rows,
    items: observed.cols,
    ratings: observed.nnz,
    trainCount: train.nnz,
    testCount: test.nnz,
    rmse: fit.rmse(test),
    biasRmse: rmseOn(test, base.predict),
    globalMeanRmse: rmseOn(test, () => mean),
    trainRmse: fit.rmse(train),
    iterations: fit.iterations,
    converged: fit.converged,
    seconds: fit.seconds,
    method,
    rank: options.rank,
    lambda,
    predictions,
  };
}

/** A CSV field, quoted when it holds a comma, quote or line break (RFC 4180). */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

interface CompleteFlags {
  rank: number;
  method: CompleteMethod;
  holdout: number;
  seed: number;
  lambda: number;
  maxIterations: number;
  out?: string;
  json?: boolean;
  force?: boolean;
}

/** Registers `lr complete`. */
export function registerComplete(program: Command, ctx: CommandContext): void {
  program
    .command('complete')
    .summary('fill in a ratings matrix (low-rank completion) and score it on held-out ratings')
    .description(
      `Low-rank matrix completion of a ratings file (user,item,rating lines, as MovieLens or
InstEval), scored on a random held-out part of the ratings.

Columns: a header naming them (userId/user/s, movieId/item/d, rating/score/y, …) is
detected; otherwise columns 1, 2, 3 are user, item, rating. Ids may be any text.

The model is μ + b_u + c_i + U_u·V_iᵀ (rank K, biases fitted jointly), from @lr/recovery's
completeMatrix with ridge weight --lambda (default 20; the nuclear-norm weight for
softimpute), at most --max-iterations (default 15) iterations, tolerance 1e-4.

  altmin         alternating ridge least squares (Jain, Netrapalli & Sanghavi 2013)
  robust-altmin  the same with a few warm-started CG steps per row (Gu et al. 2023)
  softimpute     Mazumder, Hastie & Tibshirani 2010

Baselines on the same held-out ratings: the global mean of the training ratings, and
user/item biases μ + b_u + c_i (ridge λ = 10, 10 alternating sweeps). --json prints
{"rmse","baselineRmse","seconds","iterations",…} where baselineRmse is always the
user/item bias baseline (normally the better one; globalMeanRmse follows) and seconds
is the fit only.

--out writes the held-out ratings as user,item,rating,prediction (original ids).`,
    )
    .argument('<ratings>', 'ratings file: .csv, .tsv or .txt, optionally .gz')
    .requiredOption('--rank <k>', 'rank of the low-rank part', parsePositiveInt)
    .option(
      '--method <method>',
      COMPLETE_METHODS.join(', '),
      parseChoice(COMPLETE_METHODS),
      COMPLETE_DEFAULTS.method,
    )
    .option(
      '--holdout <fraction>',
      'fraction of ratings held out for scoring',
      parseOpenFraction,
      COMPLETE_DEFAULTS.holdout,
    )
    .option(
      '--seed <s>',
      'seed of the split and the fit',
      parseNonNegativeInt,
      COMPLETE_DEFAULTS.seed,
    )
    .option(
      '--lambda <l>',
      'regularization weight',
      parseNonNegativeNumber,
      COMPLETE_DEFAULTS.lambda,
    )
    .option(
      '--max-iterations <n>',
      'iteration cap',
      parsePositiveInt,
      COMPLETE_DEFAULTS.maxIterations,
    )
    .option('--out <file>', 'write held-out predictions as user,item,rating,prediction CSV')
    .option('--json', 'print {"rmse","baselineRmse","seconds","iterations",…}')
    .option('--force', 'overwrite an existing --out file')
    .action((file: string, flags: CompleteFlags) =>
      ctx.run('complete', () => completeCommand(file, flags, ctx)),
    );
}

function completeCommand(file: string, flags: CompleteFlags, ctx: CommandContext): void {
  const path = ctx.resolve(file);
  const outPath = flags.out === undefined ? undefined : ctx.resolve(flags.out);
  const writeOpts = { force: flags.force, inputs: [path], display: () => flags.out! };
  if (outPath) checkOutputs([outPath], writeOpts);
  const progress = ctx.progress();
  progress.update(`reading ${file}`);
  const text = withSubject(file, () => new TextDecoder().decode(readInputBytes(path)));
  progress.update(`${flags.method} rank ${flags.rank}`);
  const r = withSubject(file, () =>
    runCompletion(text, {
      rank: flags.rank,
      method: flags.method,
      holdout: flags.holdout,
      seed: flags.seed,
      lambda: flags.lambda,
      maxIterations: flags.maxIterations,
    }),
  );
  progress.done();
  if (outPath) {
    const lines = ['user,item,rating,prediction'];
    for (const p of r.predictions) {
      lines.push(`${csvField(p.user)},${csvField(p.item)},${p.rating},${p.prediction}`);
    }
    writeOutputs([{ path: outPath, bytes: `${lines.join('\n')}\n` }], writeOpts);
  }
  if (flags.json) {
    ctx.out(
      JSON.stringify({
        rmse: r.rmse,
        baselineRmse: r.biasRmse,
        seconds: r.seconds,
        iterations: r.iterations,
        globalMeanRmse: r.globalMeanRmse,
        trainRmse: r.trainRmse,
        converged: r.converged,
        method: r.method,
        rank: r.rank,
        lambda: r.lambda,
        users: r.users,
        items: r.items,
        train: r.trainCount,
        heldOut: r.testCount,
      }),
    );
    return;
  }
  const n = (x: number) => x.toLocaleString('en-US');
  ctx.out(
    `${file}: ${n(r.users)} users × ${n(r.items)} items, ${n(r.ratings)} ratings; ${n(r.trainCount)} train / ${n(r.testCount)} held out (seed ${flags.seed})`,
  );
  ctx.out(
    `${r.method} rank ${r.rank}, λ ${r.lambda}: ${r.iterations} iteration${r.iterations === 1 ? '' : 's'} in ${formatSeconds(r.seconds)}${r.converged ? '' : ' (iteration cap)'}`,
  );
  ctx.out(
    table(
      ['held-out RMSE', 'rmse'],
      [
        ['global mean', r.globalMeanRmse.toFixed(4)],
        ['user/item biases', r.biasRmse.toFixed(4)],
        [`${r.method} rank ${r.rank}`, r.rmse.toFixed(4)],
      ],
      ['l', 'r'],
    ),
  );
  if (flags.out) ctx.out(`wrote ${flags.out} (${n(r.testCount)} predictions)`);
}
