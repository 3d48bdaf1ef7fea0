/**
 * Measurements for README.papers.md (#21), not a test. Bundle and run:
 *   node_modules/.pnpm/esbuild@0.25.12/node_modules/esbuild/bin/esbuild \
 *     packages/gpu-kernels/test/bitserial.measure.ts --bundle --platform=node --format=esm \
 *     --alias:@lr/core=./packages/core/src/index.ts --external:webgpu --outfile=/tmp/bs.mjs
 *   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json \
 *     WEBGPU=$PWD/packages/gpu-kernels/node_modules/webgpu/index.js node /tmp/bs.mjs
 */
import { readFileSync } from 'node:fs';
import {
  gemm as cpuGemm,
  decodeSafetensor,
  type Matrix,
  randn,
  readSafetensors,
  zeros,
} from '@lr/core';
import {
  bitSerialMatmulCpu,
  bitSerialMatmulTensors,
  quantizeBipolar,
  uploadBipolar,
} from '../src/bitserial/index.js';
import { gemmGpu } from '../src/gemm/gemm.js';
import { getGpu } from '../src/runtime/getGpu.js';

const WEIGHTS = '/work/shared/data/weights/stories260K/model.safetensors';

function errorTable(): void {
  const file = readSafetensors(new Uint8Array(readFileSync(WEIGHTS)));
  const names = [
    'model.layers.0.self_attn.q_proj.weight',
    'model.layers.0.mlp.down_proj.weight',
    'model.layers.2.mlp.gate_proj.weight',
    'model.embed_tokens.weight',
  ];
  for (const name of names) {
    const W = decodeSafetensor(file.get(name)!) as Matrix;
    console.log(`\n${name} [${W.shape.join('×')}]: relative Frobenius error ‖W − Ŵ‖/‖W‖`);
    console.log('| bits | absmax per row | mse per row | absmax groups of 32 | mse groups of 32 |');
    console.log('| --- | --- | --- | --- | --- |');
    for (let bits = 1; bits <= 8; bits++) {
      const e = [
        quantizeBipolar(W, { bits }),
        quantizeBipolar(W, { bits, scaleMethod: 'mse' }),
        quantizeBipolar(W, { bits, groupSize: 32 }),
        quantizeBipolar(W, { bits, groupSize: 32, scaleMethod: 'mse' }),
      ].map((q) => q.relativeError.toFixed(4));
      console.log(`| ${bits} | ${e.join(' | ')} |`);
    }
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timing(): Promise<void> {
  const webgpu = (await import(process.env.WEBGPU ?? 'webgpu')) as {
    create: (o: string[]) => GPU;
  };
  const ctx = await getGpu({ gpu: webgpu.create([]), checkErrors: false });
  console.log(`\nadapter: ${ctx.info.description || ctx.info.vendor} (${ctx.info.architecture})`);
  const sizes = process.env.QUICK
    ? [[256, 256, 1024]]
    : [
        [256, 256, 1024],
        [512, 512, 2048],
      ];
  for (const [M, N, K] of sizes as [number, number, number][]) {
    const A = randn(M, K, { seed: 1, dtype: 'float32' });
    const B = randn(N, K, { seed: 2, dtype: 'float32' });
    // GPU f32 dense (tiled GEMM of this package) on C = A·Bᵀ
    const ga = ctx.upload(A);
    const gb = ctx.upload(B);
    const reps = 5;
    const gpuTime = async (run: () => Promise<{ destroy(): void }>) => {
      (await run()).destroy();
      await ctx.finish();
      const ts: number[] = [];
      for (let r = 0; r < reps; r++) {
        const t0 = performance.now();
        const out = await run();
        await ctx.finish();
        ts.push(performance.now() - t0);
        out.destroy();
      }
      return median(ts);
    };
    const tDense = await gpuTime(() => gemmGpu(ctx, ga, gb, { transB: true }));
    // CPU f32 dense (@lr/core gemm) for the CPU column
    const C = zeros(M, N, 'float32');
    const cpuTs: number[] = [];
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      cpuGemm(A, B, C, { transB: true });
      cpuTs.push(performance.now() - t0);
    }
    const tCpuDense = median(cpuTs);
    console.log(`\nC = A·Bᵀ, M=${M} N=${N} K=${K}`);
    console.log(
      '| bits (A×B) | SwiftShader bit-serial ms | SwiftShader f32 GEMM ms | ratio | CPU bit-serial ms | CPU f32 gemm (@lr/core) ms | ratio |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    for (const bits of [1, 2, 4]) {
      const qa = quantizeBipolar(A, { bits });
      const qb = quantizeBipolar(B, { bits });
      const a = uploadBipolar(ctx, qa);
      const b = uploadBipolar(ctx, qb);
      const tBs = await gpuTime(async () => (await bitSerialMatmulTensors(ctx, a, b)).c);
      const cts: number[] = [];
      for (let r = 0; r < (M > 256 ? 1 : 3); r++)
        cts.push(bitSerialMatmulCpu(qa, qb).seconds * 1000);
      const tCpuBs = median(cts);
      console.log(
        `| ${bits}×${bits} | ${tBs.toFixed(1)} | ${tDense.toFixed(1)} | ${(tDense / tBs).toFixed(2)}× | ${tCpuBs.toFixed(0)} | ${tCpuDense.toFixed(0)} | ${(tCpuDense / tCpuBs).toFixed(2)}× |`,
      );
      for (const t of [a.planes, a.scales, b.planes, b.scales]) t.destroy();
    }
    ga.destroy();
    gb.destroy();
  }
  ctx.dispose();
}

if (!process.env.QUICK) errorTable();
await timing();
