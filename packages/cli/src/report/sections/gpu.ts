import {
  type GpuBenchResult,
  gpuInfoReport,
  openCliGpu,
  runGpuBenchmarks,
} from '../../commands/gpu.js';
import { CliError } from '../../errors.js';
import { htmlTable } from '../html.js';
import type { ReportSection } from '../section.js';
import { escapeXml } from '../svg.js';

/** Size n of the tour's GPU benchmarks (n×n operands; small: SwiftShader emulates on the CPU). */
export const GPU_TOUR_SIZE = 128;

/**
 * The WebGPU section: the adapter and, when there is one, the tiled f32 GEMM against the
 * CPU gemm and the bit-serial product at 1–8 bits against the f32 GEMM, measured now.
 * Without an adapter it says so in one line. It adds no line to the tour's stdout summary
 * (kept short on purpose).
 */
export const gpuSection: ReportSection = {
  id: 'gpu',
  title: 'WebGPU kernels',
  order: 75,
  intro:
    '@lr/gpu-kernels runs the same WGSL kernels in browsers (navigator.gpu) and in Node (the webgpu package, Dawn). Measured now, on the adapter this machine has.',
  async render(ctx) {
    let info: ReturnType<typeof gpuInfoReport>;
    try {
      const { ctx: g } = await openCliGpu();
      try {
        info = gpuInfoReport(g);
      } finally {
        g.dispose();
      }
    } catch (e) {
      if (!(e instanceof CliError)) throw e;
      return `<p>No WebGPU adapter was found on this machine (${escapeXml(e.message)}).</p>`;
    }
    ctx.progress.update(`gpu benchmarks ${GPU_TOUR_SIZE}×${GPU_TOUR_SIZE}`, 0, 1);
    const results: GpuBenchResult[] = await runGpuBenchmarks(
      ['gpu-gemm', 'gpu-bitmm'],
      GPU_TOUR_SIZE,
      {
        runs: 3,
        budgetSeconds: 0.5,
      },
    );
    const a = info.adapter;
    const name = [a.vendor, a.architecture, a.description].filter(Boolean).join(' ') || 'unknown';
    const rows = results.map((r) => [
      r.name,
      r.variant,
      r.gflops.toFixed(2),
      r.baseline,
      `${r.speedup.toFixed(2)}×`,
    ]);
    const note = info.swiftshader
      ? '<p><strong>SwiftShader</strong>: the GPU is emulated on the CPU, so these numbers measure the emulator, not GPU performance.</p>'
      : '';
    return `
<p>Adapter: ${escapeXml(name)} (${escapeXml(info.source)}); features: ${escapeXml(info.features.join(', ') || 'none')}; maxComputeWorkgroupsPerDimension ${info.limits.maxComputeWorkgroupsPerDimension ?? '–'}, maxStorageBufferBindingSize ${info.limits.maxStorageBufferBindingSize ?? '–'}.</p>
${note}
${htmlTable(['benchmark', 'variant', 'GFLOP/s', 'against', 'speed-up'], rows)}
<p>${GPU_TOUR_SIZE}×${GPU_TOUR_SIZE} operands resident on the device; time from dispatch to completion, median of up to 3 runs after a warm-up. Reproduce with <code>lr bench gpu-gemm gpu-bitmm --size ${GPU_TOUR_SIZE}</code>.</p>`;
  },
};
