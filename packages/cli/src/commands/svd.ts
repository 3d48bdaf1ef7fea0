import { type Matrix, randomizedSvd, svd, Tensor, writeSafetensors } from '@lr/core';
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { CliError, withSubject } from '../errors.js';
import { formatSeconds, formatShape, table } from '../format.js';
import { checkOutputs, writeOutputs } from '../io/atomic.js';
import { asMatrixForSvd, type LoadedTensor, loadTensor } from '../io/read.js';
import { parseChoice, parseNonNegativeInt, parsePositiveInt } from '../parse.js';
import { energy, energyRank, stableRank } from '../spectrum.js';

/** Options of {@link computeSvd}. */
export interface SvdCommandOptions {
  /** Keep the k largest singular triplets; default min(m, n) (exact) — required for randomized. */
  rank?: number;
  /** `'exact'` (default): the full thin SVD; `'randomized'`: Halko et al. 2011. */
  method?: 'exact' | 'randomized';
  /** Randomized: extra sample columns p; default 10 (scikit-learn's `n_oversamples`), capped so k + p ≤ min(m, n). */
  oversample?: number;
  /** Randomized: power iterations q; default `'auto'`: 7 if k < 0.1·min(m, n), else 4 (scikit-learn's `n_iter='auto'`). */
  niter?: number;
  /** Randomized: seed of the test matrix; default 0. */
  seed?: number;
  /** Also return the singular vectors (U m×k, Vt k×n). Default false. */
  vectors?: boolean;
}

/** What {@link computeSvd} returns. */
export interface SvdCommandResult {
  /** The k largest singular values, descending. */
  S: Float64Array;
  /** m×k left singular vectors (when `vectors`). */
  U: Matrix | null;
  /** k×n right singular vectors, transposed (when `vectors`). */
  Vt: Matrix | null;
  /** Seconds spent in the decomposition (not reading the file). */
  seconds: number;
  /** The full spectrum's Frobenius norm² when known (exact method): Σ σ_i² over all i. */
  totalEnergy: number | null;
}

/** Defaults of the randomized method, those of core's `randomizedSvd` (scikit-learn's). */
export const RANDOMIZED_DEFAULTS = { oversample: 10, niter: 'auto', seed: 0 } as const;

/**
 * The (truncated) SVD `lr svd` computes, on a matrix already in memory.
 *
 * @param A m×n matrix
 * @param options rank, method, and the randomized parameters
 * @throws {CliError} when `rank` exceeds min(m, n), or is missing for the randomized method
 */
export function computeSvd(A: Matrix, options: SvdCommandOptions = {}): SvdCommandResult {
  const m = A.rows;
  const n = A.cols;
  const kmax = Math.min(m, n);
  const method = options.method ?? 'exact';
  if (options.rank !== undefined && options.rank > kmax) {
    throw new CliError(`--rank ${options.rank} exceeds min(m, n) = ${kmax} for a ${m}×${n} matrix`);
  }
  const vectors = options.vectors ?? false;
  const t0 = performance.now();
  if (method === 'randomized') {
    if (options.rank === undefined) throw new CliError('--method randomized needs --rank K');
    const k = options.rank;
    const r = randomizedSvd(A, {
      rank: k,
      oversample: options.oversample ?? RANDOMIZED_DEFAULTS.oversample,
      powerIterations: options.niter ?? RANDOMIZED_DEFAULTS.niter,
      seed: options.seed ?? RANDOMIZED_DEFAULTS.seed,
    });
    const seconds = (performance.now() - t0) / 1000;
    return {
      S: Float64Array.from(r.S.subarray(0, k)),
      U: vectors ? r.U.block(0, 0, m, k).clone() : null,
      Vt: vectors ? r.Vt.block(0, 0, k, n).clone() : null,
      seconds,
      totalEnergy: null,
    };
  }
  const r = svd(A, { valuesOnly: !vectors });
  const seconds = (performance.now() - t0) / 1000;
  const k = options.rank ?? kmax;
  const total = energy(r.S);
  return {
    S: Float64Array.from(r.S.subarray(0, k)),
    U: vectors && r.U ? r.U.block(0, 0, m, k).clone() : null,
    Vt: vectors && r.Vt ? r.Vt.block(0, 0, k, n).clone() : null,
    seconds,
    totalEnergy: total,
  };
}

interface SvdFlags {
  tensor?: string;
  rank?: number;
  method: 'exact' | 'randomized';
  oversample?: number;
  niter?: number;
  seed?: number;
  out?: string;
  json?: boolean;
  force?: boolean;
}

/** Registers `lr svd`. */
export function registerSvd(program: Command, ctx: CommandContext): void {
  program
    .command('svd')
    .summary('singular values (and vectors) of a matrix in a file')
    .description(
      `Singular value decomposition A = U·diag(S)·Vt of one tensor of a file.

A tensor with more than 2 dimensions is reshaped to (first dim, product of the rest),
e.g. a conv kernel [out, in, kh, kw] becomes out × (in·kh·kw). 0-d and 1-d tensors are
an error. Values are computed in float64.

  exact       the full thin SVD (Golub–Kahan bidiagonalization + implicit QR); --rank keeps the first K
  randomized  Halko, Martinsson & Tropp (2011), Alg. 4.4 + 5.1; needs --rank. Defaults as
              scikit-learn's randomized_svd: --oversample 10 (k + p capped at min(m, n)),
              --niter 7 if k < 0.1·min(m, n) else 4, --seed 0

--out writes U (m×k), S (k) and Vt (k×n) as safetensors (F32 for a float32 input, else F64),
via a temporary file renamed into place; an existing file needs --force.`,
    )
    .argument('<file>', '.safetensors, .npy, .mtx or .csv file')
    .option('--tensor <name>', 'which tensor (required when the file has several)')
    .option('--rank <k>', 'keep the k largest singular values', parsePositiveInt)
    .option(
      '--method <method>',
      'exact or randomized',
      parseChoice(['exact', 'randomized']),
      'exact',
    )
    .option('--oversample <p>', 'randomized: extra samples', parseNonNegativeInt)
    .option('--niter <q>', 'randomized: power iterations', parseNonNegativeInt)
    .option('--seed <s>', 'randomized: seed', parseNonNegativeInt)
    .option('--out <file>', 'write U, S, Vt to a .safetensors file')
    .option('--json', 'print {"singularValues":[...],"seconds":...}')
    .option('--force', 'overwrite an existing --out file')
    .action((file: string, flags: SvdFlags) => ctx.run('svd', () => svdCommand(file, flags, ctx)));
}

function svdCommand(file: string, flags: SvdFlags, ctx: CommandContext): void {
  const path = ctx.resolve(file);
  if (flags.method !== 'randomized') {
    for (const f of ['oversample', 'niter', 'seed'] as const) {
      if (flags[f] !== undefined) throw new CliError(`--${f} applies to --method randomized only`);
    }
  }
  if (flags.method === 'randomized' && flags.rank === undefined) {
    throw new CliError('--method randomized needs --rank K');
  }
  const outPath = flags.out === undefined ? undefined : ctx.resolve(flags.out);
  if (outPath) {
    if (!outPath.toLowerCase().endsWith('.safetensors'))
      throw new CliError(`--out ${flags.out}: expected a .safetensors file name`);
    checkOutputs([outPath], { force: flags.force, inputs: [path], display: () => flags.out! });
  }
  const progress = ctx.progress();
  progress.update(`reading ${file}`);
  const loaded: LoadedTensor = withSubject(file, () => loadTensor(path, flags.tensor));
  const A = withSubject(file, () => asMatrixForSvd(loaded));
  progress.update(`${flags.method} SVD of ${A.rows}×${A.cols}`);
  const r = withSubject(file, () =>
    computeSvd(A, {
      rank: flags.rank,
      method: flags.method,
      oversample: flags.oversample,
      niter: flags.niter,
      seed: flags.seed,
      vectors: outPath !== undefined,
    }),
  );
  progress.done();
  if (outPath) {
    const k = r.S.length;
    const dtype = loaded.tensor.dtype === 'float32' ? 'F32' : 'F64';
    const bytes = writeSafetensors(
      { U: r.U!, S: new Tensor(r.S, [k]), Vt: r.Vt! },
      {
        dtype,
        metadata: {
          source: file,
          tensor: loaded.name,
          shape: JSON.stringify([A.rows, A.cols]),
          method: flags.method,
          rank: String(k),
        },
      },
    );
    writeOutputs([{ path: outPath, bytes }], {
      force: flags.force,
      inputs: [path],
      display: () => flags.out!,
    });
  }
  if (flags.json) {
    ctx.out(JSON.stringify({ singularValues: Array.from(r.S), seconds: r.seconds }));
    return;
  }
  printText(file, loaded, A, r, flags, ctx);
}

function printText(
  file: string,
  loaded: LoadedTensor,
  A: Matrix,
  r: SvdCommandResult,
  flags: SvdFlags,
  ctx: CommandContext,
): void {
  const k = r.S.length;
  const reshaped = loaded.shape.length > 2 ? ` (reshaped from ${formatShape(loaded.shape)})` : '';
  ctx.out(
    `${file}: ${loaded.name} ${A.rows}×${A.cols}${reshaped} ${loaded.dtype}; ${flags.method} SVD, rank ${k} of ${Math.min(A.rows, A.cols)}, ${formatSeconds(r.seconds)}`,
  );
  const total = r.totalEnergy;
  const shown = Math.min(k, 20);
  const s1 = r.S[0] ?? 0;
  let cum = 0;
  const rows: string[][] = [];
  for (let i = 0; i < shown; i++) {
    const s = r.S[i]!;
    cum += s * s;
    rows.push([
      String(i + 1),
      s.toPrecision(6),
      s1 > 0 ? (s / s1).toPrecision(3) : '–',
      total ? `${((100 * cum) / total).toFixed(2)}%` : '–',
    ]);
  }
  ctx.out(table(['i', 'sigma', 'sigma/sigma1', 'energy'], rows, ['r', 'r', 'r', 'r']));
  if (k > shown) ctx.out(`… ${k - shown} more (--json prints all)`);
  if (total) {
    const ranks = [0.9, 0.99].map((f) => energyRank(r.S, f, total) ?? `>${k}`);
    ctx.out(
      `rank for 90% / 99% energy: ${ranks[0]} / ${ranks[1]}; stable rank ‖A‖F²/σ1² = ${stableRank(r.S, total).toFixed(2)}`,
    );
  }
  if (flags.out) ctx.out(`wrote ${flags.out} (U ${A.rows}×${k}, S ${k}, Vt ${k}×${A.cols})`);
}
