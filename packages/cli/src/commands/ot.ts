import { Matrix, type Tensor } from '@lr/core';
import { sinkhorn, sinkhornGrid, sinkhornNewtonSparse } from '@lr/ot';
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { asInputError, CliError, withSubject } from '../errors.js';
import { formatSeconds } from '../format.js';
import { loadTensor } from '../io/read.js';
import { parseChoice, parsePositiveInt, parsePositiveNumber } from '../parse.js';

/** Methods of `lr ot`. */
export const OT_METHODS = ['sinkhorn', 'sinkhorn-log', 'sns'] as const;
export type OtMethod = (typeof OT_METHODS)[number];

/** What {@link solveOt} returns. */
export interface OtRun {
  cost: number;
  iterations: number;
  /** ‖P1 − a‖₂ + ‖Pᵀ1 − b‖₂ of the returned plan (grid without a dense plan: ‖Pᵀ1 − b‖₂ at the last check). */
  marginalError: number;
  converged: boolean;
  seconds: number;
  method: OtMethod;
  /** The solver's own error history (Sinkhorn: ‖Pᵀ1 − b‖₂ per check; SNS: marginal error per iteration). */
  history: number[];
}

/** ‖P1 − a‖₂ + ‖Pᵀ1 − b‖₂. */
export function marginalError(P: Matrix, a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = P.rows;
  const m = P.cols;
  const col = new Float64Array(m);
  let ea = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) {
      const v = P.get(i, j);
      s += v;
      col[j]! += v;
    }
    ea += (s - a[i]!) ** 2;
  }
  let eb = 0;
  for (let j = 0; j < m; j++) eb += (col[j]! - b[j]!) ** 2;
  return Math.sqrt(ea) + Math.sqrt(eb);
}

/** Options of {@link solveOt}. */
export interface OtOptions {
  reg: number;
  method?: OtMethod;
  /** Sinkhorn: numItermax (default 1000, POT); SNS: maxNewtonIterations (default 100). */
  maxIterations?: number;
}

/**
 * Entropic OT between histograms a and b with a dense n×m cost, as `lr ot --cost` does.
 *
 * @throws {LrError} for unequal masses, shapes that do not match, a bad reg
 */
export function solveOt(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  M: Matrix,
  options: OtOptions,
): OtRun {
  const method = options.method ?? 'sinkhorn';
  if (method === 'sns') {
    const r = sinkhornNewtonSparse(a, b, M, {
      reg: options.reg,
      ...(options.maxIterations ? { maxNewtonIterations: options.maxIterations } : {}),
    });
    return {
      cost: r.cost,
      iterations: r.iterations,
      marginalError: marginalError(r.plan, a, b),
      converged: r.converged,
      seconds: r.seconds,
      method,
      history: r.history,
    };
  }
  const r = sinkhorn(a, b, M, {
    reg: options.reg,
    method: method === 'sinkhorn-log' ? 'log' : 'sinkhorn',
    ...(options.maxIterations ? { numItermax: options.maxIterations } : {}),
  });
  return {
    cost: r.cost,
    iterations: r.iterations,
    marginalError: marginalError(r.plan, a, b),
    converged: r.converged,
    seconds: r.seconds,
    method,
    history: r.history,
  };
}

/**
 * Entropic OT between two images on the same h×w grid (squared Euclidean ground cost,
 * the longer side spanning [0, 1]), by convolutional Sinkhorn, as `lr ot --grid` does.
 */
export function solveOtGrid(a: Matrix, b: Matrix, options: OtOptions): OtRun {
  const method = options.method ?? 'sinkhorn';
  if (method === 'sns') throw new CliError('--method sns needs a dense --cost (not --grid)');
  const r = sinkhornGrid(a, b, {
    reg: options.reg,
    method: method === 'sinkhorn-log' ? 'log' : 'sinkhorn',
    ...(options.maxIterations ? { numItermax: options.maxIterations } : {}),
  });
  const marg = r.plan
    ? marginalError(r.plan, flatten(a), flatten(b))
    : (r.history[r.history.length - 1] ?? Number.NaN);
  return {
    cost: r.cost,
    iterations: r.iterations,
    marginalError: marg,
    converged: r.converged,
    seconds: r.seconds,
    method,
    history: r.history,
  };
}

function flatten(t: Tensor): Float64Array {
  const out = new Float64Array(t.size);
  t.copyInto(out);
  return out;
}

function normalize(x: Float64Array): Float64Array {
  let s = 0;
  for (const v of x) s += v;
  if (!(s > 0)) throw new CliError('--normalize: a histogram has zero total mass');
  return x.map((v) => v / s);
}

interface OtFlags {
  a: string;
  b: string;
  cost?: string;
  grid?: boolean;
  reg: number;
  method: OtMethod;
  maxIterations?: number;
  normalize?: boolean;
  json?: boolean;
}

/** Registers `lr ot`. */
export function registerOt(program: Command, ctx: CommandContext): void {
  program
    .command('ot')
    .summary('entropic optimal transport between two histograms (Sinkhorn, Sinkhorn-Newton-Sparse)')
    .description(
      `Entropy-regularized optimal transport min ⟨P, C⟩ − reg·H(P) with P1 = a, Pᵀ1 = b, by @lr/ot.

  --cost C.npy  a and b are 1-d histograms of lengths n and m, C an n×m cost matrix
  --grid        a and b are 2-d images of one shape h×w; the cost is the squared
                Euclidean distance between pixels (longer side spanning [0, 1]), applied
                as two 1-d convolutions (the (hw)×(hw) matrix is never formed)

  sinkhorn      Sinkhorn's scaling (Cuturi 2013), POT's defaults: at most 1000 iterations,
                stop when ‖Pᵀ1 − b‖₂ < 1e-9 (checked every 10 iterations)
  sinkhorn-log  the same iterates in the log domain (safe for small reg)
  sns           Sinkhorn-Newton-Sparse (Tang et al. 2024): 20 Sinkhorn steps, then sparse
                Newton steps until the marginal error < 1e-8 (dense --cost only)

a and b must have the same total mass (relative 1e-6) unless --normalize scales both
to 1. Inputs: .npy, .csv, .mtx or .safetensors (one tensor). Prints the transport cost
⟨P, C⟩, iterations, the marginal error ‖P1 − a‖₂ + ‖Pᵀ1 − b‖₂ and the seconds; --json
prints {"cost","iterations","marginalError","seconds",…}.`,
    )
    .requiredOption('--a <file>', 'source histogram (1-d, or 2-d with --grid)')
    .requiredOption('--b <file>', 'target histogram (1-d, or 2-d with --grid)')
    .option('--cost <file>', 'n×m cost matrix')
    .option('--grid', 'a and b are images on one grid (squared Euclidean cost)')
    .requiredOption('--reg <r>', 'entropic regularization (> 0)', parsePositiveNumber)
    .option('--method <method>', OT_METHODS.join(', '), parseChoice(OT_METHODS), 'sinkhorn')
    .option(
      '--max-iterations <n>',
      'sinkhorn: iterations (default 1000); sns: Newton steps (default 100)',
      parsePositiveInt,
    )
    .option('--normalize', 'scale a and b to total mass 1')
    .option('--json', 'print {"cost","iterations","marginalError","seconds",…}')
    .action((flags: OtFlags) => ctx.run('ot', () => otCommand(flags, ctx)));
}

function load(file: string, ctx: CommandContext): Tensor {
  return withSubject(file, () => loadTensor(ctx.resolve(file)).tensor);
}

function otCommand(flags: OtFlags, ctx: CommandContext): void {
  if ((flags.cost === undefined) === !flags.grid) {
    throw new CliError('give exactly one of --cost FILE and --grid');
  }
  const A = load(flags.a, ctx);
  const B = load(flags.b, ctx);
  const opts = { reg: flags.reg, method: flags.method, maxIterations: flags.maxIterations };
  // an @lr/ot error names its argument first ("a: …", "b: …", "a, b: …", "M: …"): report
  // it against the option and file it came from, not always the cost file
  const otSubject = (err: unknown): string => {
    const msg = err instanceof Error ? err.message : '';
    const named = (opt: 'a' | 'b') => `--${opt} ${flags[opt]}`;
    if (/^a, b[:\s]/.test(msg)) return `${named('a')} and ${named('b')}`;
    if (/^a[:[\s]/.test(msg)) return named('a');
    if (/^b[:[\s]/.test(msg)) return named('b');
    return flags.cost !== undefined ? `--cost ${flags.cost}` : `${named('a')} and ${named('b')}`;
  };
  const solveNamed = (fn: () => OtRun): OtRun => {
    try {
      return fn();
    } catch (err) {
      throw asInputError(otSubject(err), err);
    }
  };
  let r: OtRun;
  let shape: string;
  const progress = ctx.progress();
  progress.update(`${flags.method}, reg ${flags.reg}`);
  if (flags.grid) {
    if (A.ndim !== 2 || B.ndim !== 2) {
      throw new CliError(
        `--grid needs 2-d images; got shapes [${A.shape.join(', ')}] and [${B.shape.join(', ')}]`,
      );
    }
    let a = Matrix.fromTensor(A);
    let b = Matrix.fromTensor(B);
    if (flags.normalize) {
      a = Matrix.fromData(normalize(flatten(a)), a.rows, a.cols);
      b = Matrix.fromData(normalize(flatten(b)), b.rows, b.cols);
    }
    shape = `${a.rows}×${a.cols} grid`;
    r = solveNamed(() => solveOtGrid(a, b, opts));
  } else {
    const C = load(flags.cost!, ctx);
    if (C.ndim !== 2) {
      throw new CliError(`${flags.cost}: the cost must be 2-d, got shape [${C.shape.join(', ')}]`);
    }
    for (const [t, f] of [
      [A, flags.a],
      [B, flags.b],
    ] as const) {
      if (t.ndim !== 1 && !(t.ndim === 2 && Math.min(t.shape[0]!, t.shape[1]!) === 1)) {
        throw new CliError(`${f}: expected a 1-d histogram, got shape [${t.shape.join(', ')}]`);
      }
    }
    let a = flatten(A);
    let b = flatten(B);
    if (flags.normalize) {
      a = normalize(a);
      b = normalize(b);
    }
    const M = Matrix.fromTensor(C);
    shape = `${M.rows}×${M.cols} cost`;
    r = solveNamed(() => solveOt(a, b, M, opts));
  }
  progress.done();
  if (flags.json) {
    ctx.out(
      JSON.stringify({
        cost: r.cost,
        iterations: r.iterations,
        marginalError: r.marginalError,
        seconds: r.seconds,
        converged: r.converged,
        method: r.method,
        reg: flags.reg,
      }),
    );
    return;
  }
  ctx.out(
    `${r.method}, reg ${flags.reg}, ${shape}: ${r.converged ? 'converged' : 'NOT converged'}`,
  );
  ctx.out(`cost             ${r.cost.toPrecision(8)}`);
  ctx.out(`iterations       ${r.iterations}`);
  ctx.out(`marginal error   ${r.marginalError.toExponential(2)}`);
  ctx.out(`time             ${formatSeconds(r.seconds)}`);
}
