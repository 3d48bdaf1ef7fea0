import {
  type DType,
  eigh,
  gemm,
  getBackend,
  getThreads,
  type Matrix,
  qr,
  Rng,
  randn,
  randomizedSvd,
  setBackend,
  setThreads,
  svd,
  zeros,
} from '@lr/core';
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { CliError } from '../errors.js';
import { formatSeconds, table } from '../format.js';
import { parseChoice, parsePositiveInt } from '../parse.js';
import {
  GPU_BENCHMARK_NAMES,
  type GpuBenchmarkName,
  type GpuBenchResult,
  gpuBenchTable,
  runGpuBenchmarks,
} from './gpu.js';

/** The benchmarks `lr bench` knows, in the order `all` runs them. */
export const BENCHMARK_NAMES = ['gemm', 'qr', 'svd', 'eigh', 'rsvd'] as const;
/** A benchmark name. */
export type BenchmarkName = (typeof BENCHMARK_NAMES)[number];

/** One line of `lr bench --json`. */
export interface BenchResult {
  name: BenchmarkName;
  /** n: the operands are n×n. */
  size: number;
  dtype: DType;
  /** Median wall time of the timed runs, in seconds. */
  seconds: number;
  /** Standard flop count / seconds / 10⁹, or null where no standard count applies. */
  gflops: number | null;
  /** Kernel path in force: `ts`, `wasm` or `wasm+threads` (from @lr/core's getBackend). */
  path: KernelPath;
}

/** The kernel paths `lr bench --path` can pin. */
export const KERNEL_PATHS = ['ts', 'wasm', 'wasm+threads'] as const;
/** A kernel path. */
export type KernelPath = (typeof KERNEL_PATHS)[number];

/**
 * Pins @lr/core to one kernel path ('auto' restores the default: wasm with threads where
 * available, TypeScript for tiny problems). Returns the path actually in force.
 */
export function useKernelPath(path: KernelPath | 'auto'): KernelPath {
  if (path === 'ts') {
    setBackend('ts');
  } else if (path === 'wasm') {
    setBackend('wasm');
    setThreads(1);
  } else if (path === 'wasm+threads') {
    setBackend('wasm');
    setThreads();
    if (getThreads() < 2) throw new CliError('--path wasm+threads: this machine has one core');
  } else {
    setBackend('auto');
    setThreads();
  }
  return getBackend().path;
}

/** Options of {@link runBenchmark}. */
export interface BenchOptions {
  /** Wall-clock budget for the timed runs (after the warm-up), seconds; default 2. */
  budgetSeconds?: number;
  /** Most timed runs; default 5. At least one runs whatever the budget. */
  maxRuns?: number;
  /** Seed of the random operands; default 0. */
  seed?: number;
  /** Called before each run (0 is the warm-up). */
  onRun?: (run: number, of: number) => void;
}

interface Case {
  /** Standard flop count for n×n operands, or null. */
  flops(n: number): number | null;
  /** Builds the operands and returns the timed operation. */
  prepare(n: number, dtype: DType, seed: number): () => void;
}

/**
 * Settings of the `rsvd` benchmark: rank 20, 10 extra samples, 4 power iterations, the
 * scikit-learn reference point in DESIGN.md (k + p is capped at n by randomizedSvd).
 */
const RSVD = { rank: 20, oversample: 10, powerIterations: 4 };

function randomMatrix(n: number, dtype: DType, rng: Rng): Matrix {
  return randn(n, n, { seed: rng, dtype });
}

const CASES: Record<BenchmarkName, Case> = {
  // C ← A·B: n³ multiply-adds.
  gemm: {
    flops: (n) => 2 * n ** 3,
    prepare(n, dtype, seed) {
      const rng = new Rng(seed);
      const A = randomMatrix(n, dtype, rng);
      const B = randomMatrix(n, dtype, rng);
      const C = zeros(n, n, dtype);
      return () => {
        gemm(A, B, C);
      };
    },
  },
  // Householder QR, R only (mode 'r'): 2mn² − 2n³/3 = 4n³/3 for m = n (Golub & Van Loan §5.2.2).
  qr: {
    flops: (n) => (4 / 3) * n ** 3,
    prepare(n, dtype, seed) {
      const A = randomMatrix(n, dtype, new Rng(seed));
      return () => {
        qr(A, { mode: 'r' });
      };
    },
  },
  // Thin SVD with vectors: iterative (QR sweeps), no standard flop count.
  svd: {
    flops: () => null,
    prepare(n, dtype, seed) {
      const A = randomMatrix(n, dtype, new Rng(seed));
      return () => {
        svd(A);
      };
    },
  },
  // Symmetric eigendecomposition with vectors of (B + Bᵀ)/2: iterative, no standard count.
  eigh: {
    flops: () => null,
    prepare(n, dtype, seed) {
      const B = randomMatrix(n, dtype, new Rng(seed));
      const A = zeros(n, n, dtype);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) A.set(i, j, 0.5 * (B.get(i, j) + B.get(j, i)));
      return () => {
        eigh(A);
      };
    },
  },
  // Randomized SVD (Halko, Martinsson & Tropp 2011, Alg. 4.4 + 5.1): dominated by GEMMs
  // whose count depends on rank and power iterations, so no single standard count.
  rsvd: {
    flops: () => null,
    prepare(n, dtype, seed) {
      const A = randomMatrix(n, dtype, new Rng(seed));
      const rank = Math.min(RSVD.rank, n);
      return () => {
        randomizedSvd(A, {
          rank,
          oversample: RSVD.oversample,
          powerIterations: RSVD.powerIterations,
          seed: 0,
        });
      };
    },
  },
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/**
 * Times one benchmark: one warm-up run (JIT, workspace allocation), then runs until
 * `maxRuns` or until the next run would exceed `budgetSeconds`; reports the median.
 *
 * @param name one of {@link BENCHMARK_NAMES}
 * @param size n (operands are n×n), an integer ≥ 1
 * @param dtype element type of the operands
 * @returns `{ name, size, dtype, seconds, gflops, path }`
 * @example runBenchmark('gemm', 128, 'float64').gflops
 */
export function runBenchmark(
  name: BenchmarkName,
  size: number,
  dtype: DType,
  options: BenchOptions = {},
): BenchResult {
  const c = CASES[name];
  if (!c)
    throw new CliError(`unknown benchmark '${name}' (expected ${BENCHMARK_NAMES.join(', ')})`);
  const budget = options.budgetSeconds ?? 2;
  const maxRuns = Math.max(1, options.maxRuns ?? 5);
  const op = c.prepare(size, dtype, options.seed ?? 0);
  options.onRun?.(0, maxRuns);
  let t0 = performance.now();
  op();
  let last = (performance.now() - t0) / 1000;
  const times: number[] = [];
  let spent = 0;
  while (times.length < maxRuns && (times.length === 0 || spent + last <= budget)) {
    options.onRun?.(times.length + 1, maxRuns);
    t0 = performance.now();
    op();
    last = (performance.now() - t0) / 1000;
    times.push(last);
    spent += last;
  }
  const seconds = median(times);
  const flops = c.flops(size);
  return {
    name,
    size,
    dtype,
    seconds,
    gflops: flops === null ? null : flops / seconds / 1e9,
    path: getBackend().path,
  };
}

interface BenchFlags {
  size?: number;
  dtype: DType;
  json?: boolean;
  path: KernelPath | 'auto';
}

/** Default n for each benchmark (256: a few hundred ms each in pure TypeScript). */
export const DEFAULT_BENCH_SIZE = 256;

/** Largest `--size` accepted: 3 float64 matrices of 4096² are 400 MB, and SVD/eigh at that size take minutes. */
export const MAX_BENCH_SIZE = 4096;

/** Registers `lr bench`. */
export function registerBench(program: Command, ctx: CommandContext): void {
  program
    .command('bench')
    .summary('time lr kernels and decompositions')
    .description(
      `Time lr's kernels on random n×n float matrices: one warm-up run, then the median of up to 5 runs within a 2 s budget each.

benchmarks:
  gemm   C = A·B                       gflops from 2n³
  qr     Householder QR, R only        gflops from (4/3)n³ (2mn² − 2n³/3 with m = n)
  svd    thin SVD with vectors         gflops null (iterative: no standard count)
  eigh   symmetric eigen, with vectors gflops null (iterative)
  rsvd   randomized SVD, rank 20, oversample 10, 4 power iterations
                                       gflops null (depends on rank and iterations)
  all    every benchmark above
  gpu-gemm   WebGPU tiled f32 GEMM vs the CPU float32 gemm, same run (not in all)
  gpu-bitmm  WebGPU bit-serial bipolar-INT A·Bᵀ at 1, 2, 4, 8 bits vs the f32 GPU GEMM
             (not in all; --json adds a "gpu" array; exit 2 without a WebGPU adapter)`,
    )
    .argument(
      '<name...>',
      `benchmarks to run: ${[...BENCHMARK_NAMES, ...GPU_BENCHMARK_NAMES].join(', ')} or all`,
    )
    .option(
      '--size <n>',
      `matrix size n (default ${DEFAULT_BENCH_SIZE}, at most ${MAX_BENCH_SIZE})`,
      parsePositiveInt,
    )
    .option('--dtype <dtype>', 'float64 or float32', parseChoice(['float64', 'float32']), 'float64')
    .option(
      '--path <path>',
      'kernel path: auto, ts, wasm (one thread) or wasm+threads',
      parseChoice(['auto', ...KERNEL_PATHS]),
      'auto',
    )
    .option('--json', 'print {"results":[{"name","size","dtype","seconds","gflops","path"}]}')
    .action((names: string[], flags: BenchFlags) => {
      return ctx.run('bench', () => bench(names, flags, ctx));
    });
}

function bench(names: string[], flags: BenchFlags, ctx: CommandContext): void | Promise<void> {
  const list: BenchmarkName[] = [];
  const gpuList: GpuBenchmarkName[] = [];
  for (const n of names) {
    if (n === 'all') list.push(...BENCHMARK_NAMES);
    else if ((BENCHMARK_NAMES as readonly string[]).includes(n)) list.push(n as BenchmarkName);
    else if ((GPU_BENCHMARK_NAMES as readonly string[]).includes(n))
      gpuList.push(n as GpuBenchmarkName);
    else
      throw new CliError(
        `unknown benchmark '${n}' (expected ${[...BENCHMARK_NAMES, ...GPU_BENCHMARK_NAMES].join(', ')} or all)`,
      );
  }
  const size = flags.size ?? DEFAULT_BENCH_SIZE;
  if (size > MAX_BENCH_SIZE) {
    throw new CliError(`--size ${size} exceeds the maximum ${MAX_BENCH_SIZE}`);
  }
  useKernelPath(flags.path);
  const progress = ctx.progress();
  const results: BenchResult[] = [];
  for (const name of list) {
    results.push(
      runBenchmark(name, size, flags.dtype, {
        onRun: (run, of) =>
          progress.update(
            `bench ${name} ${size}×${size} ${run === 0 ? 'warm-up' : 'run'}`,
            run,
            of,
          ),
      }),
    );
  }
  progress.done();
  if (gpuList.length > 0) return benchGpu(gpuList, size, results, flags, ctx);
  if (flags.json) {
    ctx.out(JSON.stringify({ results }));
    return;
  }
  printCpuTable(results, ctx);
}

async function benchGpu(
  gpuList: GpuBenchmarkName[],
  size: number,
  results: BenchResult[],
  flags: BenchFlags,
  ctx: CommandContext,
): Promise<void> {
  const progress = ctx.progress();
  const gpu: GpuBenchResult[] = await runGpuBenchmarks(gpuList, size, {
    onStep: (label) => progress.update(`bench ${label} ${size}×${size}`, 0, 1),
  });
  progress.done();
  if (flags.json) {
    ctx.out(JSON.stringify({ results, gpu }));
    return;
  }
  if (results.length > 0) printCpuTable(results, ctx);
  if (gpu[0]) ctx.out(`GPU: ${gpu[0].adapter}`);
  ctx.out(gpuBenchTable(gpu));
}

function printCpuTable(results: BenchResult[], ctx: CommandContext): void {
  ctx.out(
    table(
      ['name', 'size', 'dtype', 'path', 'time', 'GFLOP/s'],
      results.map((r) => [
        r.name,
        `${r.size}×${r.size}`,
        r.dtype,
        r.path,
        formatSeconds(r.seconds),
        r.gflops === null ? '–' : r.gflops.toFixed(2),
      ]),
      ['l', 'r', 'l', 'l', 'r', 'r'],
    ),
  );
}
