import { existsSync } from 'node:fs';
import { assertInt, assertNumber, gemm as cpuGemm, LrError, Rng, randn, zeros } from '@lr/core';
import {
  bitSerialMatmulTensors,
  type GetGpuOptions,
  type GpuContext,
  gemmGpu,
  getGpu,
  quantizeBipolar,
  uploadBipolar,
} from '@lr/gpu-kernels';
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { CliError } from '../errors.js';
import { formatSeconds, table } from '../format.js';

/** Vulkan ICD of SwiftShader shipped by Debian's `chromium` package (CPU emulation). */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/**
 * Dawn toggle the CLI enables: skip WGSL's zero-fill of workgroup memory. Every
 * @lr/gpu-kernels kernel writes its workgroup arrays before reading them, and SwiftShader
 * compiles the zero-fill very slowly (the tiled GEMM: 8–13 s instead of ~1.5 s).
 */
export const CLI_DAWN_TOGGLES = ['enable-dawn-features=disable_workgroup_init'];

/** An open GPU and how it was found. */
export interface CliGpu {
  ctx: GpuContext;
  /** True when the CLI pointed Vulkan at SwiftShader itself (no other adapter). */
  swiftshaderFallback: boolean;
}

type Opener = (options: GetGpuOptions) => Promise<GpuContext>;
let opener: Opener = getGpu;

/** @internal Tests replace how the CLI opens the GPU (`null` restores `getGpu`). */
export function _setGpuOpener(fn: Opener | null): void {
  opener = fn ?? getGpu;
}

/**
 * Opens WebGPU for the CLI: the default adapter, else — when no Vulkan ICD is configured
 * and SwiftShader's is installed — SwiftShader (CPU emulation, labelled as such).
 *
 * @throws {CliError} exit 2 with one line when there is no adapter
 */
export async function openCliGpu(timeoutMs = 15_000): Promise<CliGpu> {
  const options: GetGpuOptions = { timeoutMs, createOptions: CLI_DAWN_TOGGLES };
  try {
    return { ctx: await opener(options), swiftshaderFallback: false };
  } catch (e) {
    if (!(e instanceof LrError) || e.code !== 'UNSUPPORTED') throw e;
    if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) {
      process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
      try {
        return { ctx: await opener(options), swiftshaderFallback: true };
      } catch (e2) {
        if (!(e2 instanceof LrError) || e2.code !== 'UNSUPPORTED') throw e2;
        throw new CliError(`gpu: no WebGPU adapter: ${e2.message}`);
      }
    }
    throw new CliError(`gpu: no WebGPU adapter: ${e.message}`);
  }
}

/** What `lr gpu info --json` prints. */
export interface GpuInfoReport {
  adapter: {
    vendor: string;
    architecture: string;
    device: string;
    description: string;
    isFallbackAdapter: boolean;
  };
  /** `webgpu-package` (Node, Dawn) or `navigator`. */
  source: string;
  /** True when this is SwiftShader (CPU emulation of a GPU). */
  swiftshader: boolean;
  /** Features enabled on the device, sorted. */
  features: string[];
  /** Features the adapter offers, sorted. */
  adapterFeatures: string[];
  /** Device limits. */
  limits: Record<string, number>;
}

/** True when the adapter is SwiftShader (CPU emulation). */
export function isSwiftShader(ctx: GpuContext): boolean {
  const i = ctx.info;
  return /swiftshader/i.test(`${i.architecture} ${i.description} ${i.device}`);
}

/** The report of `lr gpu info` for an open context. */
export function gpuInfoReport(ctx: GpuContext): GpuInfoReport {
  return {
    adapter: { ...ctx.info },
    source: ctx.source,
    swiftshader: isSwiftShader(ctx),
    features: [...ctx.features].sort(),
    adapterFeatures: [...ctx.adapterFeatures].sort(),
    limits: { ...ctx.limits },
  };
}

/** Registers `lr gpu`. */
export function registerGpu(program: Command, ctx: CommandContext): void {
  const gpu = program
    .command('gpu')
    .summary('WebGPU: adapter, limits and features')
    .description(
      `WebGPU as @lr/gpu-kernels sees it (Node: the 'webgpu' package, Dawn).

With no GPU driver, Dawn can run on SwiftShader (CPU emulation): install libvulkan1 and
chromium and set VK_ICD_FILENAMES=${SWIFTSHADER_ICD} (lr does this itself when no
other ICD is configured). Exit status 2 when there is no adapter.`,
    );
  gpu
    .command('info')
    .summary('print the adapter, its features and limits')
    .option(
      '--json',
      'print {"adapter","source","swiftshader","features","adapterFeatures","limits"}',
    )
    .action((flags: { json?: boolean }) => ctx.run('gpu', () => gpuInfo(flags, ctx)));
}

async function gpuInfo(flags: { json?: boolean }, ctx: CommandContext): Promise<void> {
  const { ctx: g } = await openCliGpu();
  try {
    const r = gpuInfoReport(g);
    if (flags.json) {
      ctx.out(JSON.stringify(r));
      return;
    }
    const a = r.adapter;
    const name = [a.vendor, a.architecture, a.device].filter(Boolean).join(' ') || 'unknown';
    ctx.out(
      `adapter: ${name}${a.description ? ` (${a.description})` : ''}${r.swiftshader ? ' — SwiftShader: CPU emulation, not GPU performance' : ''}`,
    );
    ctx.out(`source: ${r.source}`);
    ctx.out(`features: ${r.features.join(', ') || 'none'}`);
    const unused = r.adapterFeatures.filter((f) => !r.features.includes(f));
    if (unused.length > 0) ctx.out(`adapter also offers: ${unused.join(', ')}`);
    const keys = [
      'maxComputeWorkgroupsPerDimension',
      'maxComputeInvocationsPerWorkgroup',
      'maxComputeWorkgroupSizeX',
      'maxComputeWorkgroupSizeY',
      'maxComputeWorkgroupStorageSize',
      'maxStorageBufferBindingSize',
      'maxBufferSize',
      'maxStorageBuffersPerShaderStage',
    ];
    ctx.out(
      table(
        ['limit', 'value'],
        keys.filter((k) => k in r.limits).map((k) => [k, r.limits[k]!.toLocaleString('en-US')]),
        ['l', 'r'],
      ),
    );
  } finally {
    g.dispose();
  }
}

// ---------------------------------------------------------------- benchmarks

/** GPU benchmarks `lr bench` knows (not part of `all`). */
export const GPU_BENCHMARK_NAMES = ['gpu-gemm', 'gpu-bitmm'] as const;
/** A GPU benchmark name. */
export type GpuBenchmarkName = (typeof GPU_BENCHMARK_NAMES)[number];

/** Bit widths `gpu-bitmm` times. */
export const BITMM_BITS = [1, 2, 4, 8] as const;

/** One line of the `gpu` array in `lr bench … --json`. */
export interface GpuBenchResult {
  name: GpuBenchmarkName;
  /** n: operands n×n. */
  size: number;
  /** What ran: `f32` for the GEMM, `int{b}` for the bit-serial product at b bits. */
  variant: string;
  /** Median seconds per product on the device (data resident, dispatch → done). */
  seconds: number;
  /** 2n³ / seconds / 10⁹. */
  gflops: number;
  /** The comparison in the same run: CPU float32 gemm (gpu-gemm) or GPU f32 GEMM (gpu-bitmm). */
  baseline: string;
  baselineSeconds: number;
  /** baselineSeconds / seconds. */
  speedup: number;
  /** Adapter description, with `(SwiftShader)` when emulated. */
  adapter: string;
}

function medianOf(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/** Warm-up, then the median of up to `runs` timed calls within `budget` seconds. */
async function timeIt(fn: () => Promise<void> | void, runs = 5, budget = 2): Promise<number> {
  await fn();
  const times: number[] = [];
  let spent = 0;
  while (times.length < runs && (times.length === 0 || spent < budget)) {
    const t0 = performance.now();
    await fn();
    const dt = (performance.now() - t0) / 1000;
    times.push(dt);
    spent += dt;
  }
  return medianOf(times);
}

function adapterLabel(ctx: GpuContext): string {
  const i = ctx.info;
  const name = [i.vendor, i.architecture, i.description].filter(Boolean).join(' ') || 'unknown';
  return isSwiftShader(ctx) ? `${name} (SwiftShader)` : name;
}

/**
 * Times the GPU benchmarks on n×n operands. `gpu-gemm`: the tiled f32 GEMM against
 * @lr/core's CPU float32 gemm. `gpu-bitmm`: the bipolar-INT bit-serial product
 * C = A·Bᵀ at 1, 2, 4 and 8 bits (A and B quantised to the same width) against the f32
 * GPU GEMM of the same shapes. Device time covers dispatch to `onSubmittedWorkDone`,
 * with operands already on the GPU.
 */
export async function runGpuBenchmarks(
  names: readonly GpuBenchmarkName[],
  size: number,
  options: {
    seed?: number;
    runs?: number;
    budgetSeconds?: number;
    onStep?: (label: string) => void;
  } = {},
): Promise<GpuBenchResult[]> {
  // Check the sizes before opening the GPU (slow) and before any allocation or dispatch.
  const n = assertInt('size', size, 1);
  const runs = options.runs === undefined ? 5 : assertInt('options.runs', options.runs, 1);
  const budget =
    options.budgetSeconds === undefined
      ? 2
      : assertNumber('options.budgetSeconds', options.budgetSeconds, 0);
  const { ctx } = await openCliGpu();
  const flops = 2 * n ** 3;
  const out: GpuBenchResult[] = [];
  const adapter = adapterLabel(ctx);
  try {
    const rng = new Rng(options.seed ?? 0);
    const A = randn(n, n, { seed: rng, dtype: 'float32' });
    const B = randn(n, n, { seed: rng, dtype: 'float32' });
    const a = ctx.upload(A);
    const b = ctx.upload(B);
    const c = ctx.empty([n, n]);
    const gpuF32 = async (transB: boolean) => {
      await gemmGpu(ctx, a, b, { out: c, transB });
      await ctx.finish();
    };
    try {
      for (const name of names) {
        options.onStep?.(name);
        if (name === 'gpu-gemm') {
          const g = await timeIt(() => gpuF32(false), runs, budget);
          const C = zeros(n, n, 'float32');
          const cpu = await timeIt(() => void cpuGemm(A, B, C), runs, budget);
          out.push({
            name,
            size: n,
            variant: 'f32',
            seconds: g,
            gflops: flops / g / 1e9,
            baseline: 'cpu gemm float32 (@lr/core)',
            baselineSeconds: cpu,
            speedup: cpu / g,
            adapter,
          });
        } else {
          // C = A·Bᵀ, the bit-serial layout; the f32 baseline runs the same product.
          const f32 = await timeIt(() => gpuF32(true), runs, budget);
          for (const bits of BITMM_BITS) {
            const qa = uploadBipolar(ctx, quantizeBipolar(A, { bits }));
            const qb = uploadBipolar(ctx, quantizeBipolar(B, { bits }));
            try {
              const t = await timeIt(
                async () => {
                  const r = await bitSerialMatmulTensors(ctx, qa, qb);
                  await ctx.finish();
                  r.c.destroy();
                },
                runs,
                budget,
              );
              out.push({
                name,
                size: n,
                variant: `int${bits}`,
                seconds: t,
                gflops: flops / t / 1e9,
                baseline: 'gpu gemm f32 (same shapes)',
                baselineSeconds: f32,
                speedup: f32 / t,
                adapter,
              });
            } finally {
              for (const q of [qa, qb]) {
                q.planes.destroy();
                q.scales.destroy();
              }
            }
          }
        }
      }
    } finally {
      a.destroy();
      b.destroy();
      c.destroy();
    }
  } finally {
    ctx.dispose();
  }
  return out;
}

/** The text table of GPU benchmark results. */
export function gpuBenchTable(results: readonly GpuBenchResult[]): string {
  return table(
    ['name', 'size', 'variant', 'time', 'GFLOP/s', 'baseline', 'baseline time', 'speed-up'],
    results.map((r) => [
      r.name,
      `${r.size}×${r.size}`,
      r.variant,
      formatSeconds(r.seconds),
      r.gflops.toFixed(2),
      r.baseline,
      formatSeconds(r.baselineSeconds),
      `${r.speedup.toFixed(2)}×`,
    ]),
    ['l', 'r', 'l', 'r', 'r', 'l', 'r', 'r'],
  );
}
