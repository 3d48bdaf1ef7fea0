import type { DType } from '@lr/core';
import { type KernelPath, runBenchmark, useKernelPath } from '../../commands/bench.js';
import { htmlTable } from '../html.js';
import type { ReportSection } from '../section.js';
import { linePlot } from '../svg.js';

/** Matrix sizes n of the GEMM sweep (n×n·n×n); small enough to keep the tour quick. */
export const KERNEL_SIZES = [64, 128, 256, 512] as const;

/** One measured point of the sweep. */
export interface KernelPoint {
  path: KernelPath;
  dtype: DType;
  size: number;
  gflops: number;
}

/**
 * Times GEMM on every kernel path this machine has (`ts`, `wasm`, and `wasm+threads`
 * where there are two or more cores) for each size and dtype, best of a few runs, then
 * restores the default path.
 */
export function kernelSweep(
  sizes: readonly number[] = KERNEL_SIZES,
  dtypes: readonly DType[] = ['float64', 'float32'],
): KernelPoint[] {
  const points: KernelPoint[] = [];
  const paths: KernelPath[] = ['ts', 'wasm', 'wasm+threads'];
  try {
    for (const path of paths) {
      let active: KernelPath;
      try {
        active = useKernelPath(path);
      } catch {
        continue; // e.g. one core: no threaded path to show
      }
      if (active !== path) continue;
      for (const dtype of dtypes) {
        for (const size of sizes) {
          const r = runBenchmark('gemm', size, dtype, { budgetSeconds: 0.3, maxRuns: 3 });
          points.push({ path, dtype, size, gflops: r.gflops! });
        }
      }
    }
  } finally {
    useKernelPath('auto');
  }
  return points;
}

/** The kernel section: GEMM throughput against size on each path (TypeScript, WASM SIMD, threads). */
export const kernelsSection: ReportSection = {
  id: 'kernels',
  title: 'Matrix-multiply speed on each kernel path',
  order: 900,
  intro:
    'Every decomposition above spends most of its time in GEMM. @lr/core has three paths behind the same function: plain TypeScript (the reference and fallback), WebAssembly SIMD, and WebAssembly SIMD on worker threads over shared memory. This plot is measured now, on this machine.',
  render(ctx) {
    const points = ctx.time('GEMM sweep', () => kernelSweep());
    const series = [];
    for (const dtype of ['float64', 'float32'] as const) {
      for (const path of ['ts', 'wasm', 'wasm+threads'] as const) {
        const pts = points.filter((p) => p.path === path && p.dtype === dtype);
        if (pts.length === 0) continue;
        series.push({
          name: `${path} ${dtype === 'float64' ? 'f64' : 'f32'}`,
          x: pts.map((p) => p.size),
          y: pts.map((p) => p.gflops),
          dashed: dtype === 'float32',
        });
      }
    }
    const best = (path: KernelPath, dtype: DType) =>
      Math.max(
        0,
        ...points.filter((p) => p.path === path && p.dtype === dtype).map((p) => p.gflops),
      );
    const ts = best('ts', 'float64');
    const top = Math.max(best('wasm', 'float64'), best('wasm+threads', 'float64'));
    ctx.say(
      `speed   gemm float64 up to ${KERNEL_SIZES[KERNEL_SIZES.length - 1]}³: TypeScript ${ts.toFixed(1)} GFLOP/s, WebAssembly ${top.toFixed(1)} GFLOP/s`,
    );
    const plot = linePlot(series, {
      title: 'GEMM throughput (2n³ flops / time)',
      x: { label: 'n (n×n times n×n)', log: true },
      y: { label: 'GFLOP/s' },
    });
    const rows = KERNEL_SIZES.map((n) => [
      String(n),
      ...(['ts', 'wasm', 'wasm+threads'] as const).flatMap((path) =>
        (['float64', 'float32'] as const).map((dtype) => {
          const p = points.find((q) => q.path === path && q.dtype === dtype && q.size === n);
          return p ? p.gflops.toFixed(1) : '–';
        }),
      ),
    ]);
    return `
${plot}
${htmlTable(['n', 'ts f64', 'ts f32', 'wasm f64', 'wasm f32', 'threads f64', 'threads f32'], rows)}
<p>Best of up to 3 runs after a warm-up. The WebAssembly kernels pack panels of A and B and keep a 4×4 (f64) or 4×8 (f32) tile of C in 128-bit registers; baseline WebAssembly SIMD has no fused multiply-add, which caps one core at about half of what native BLAS reaches. Threads split C into chunks handed out through Atomics on a shared memory. Pin a path with <code>lr bench gemm --size 1024 --path wasm+threads</code>.</p>`;
  },
};
