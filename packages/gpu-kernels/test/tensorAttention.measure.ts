/**
 * Measurements for README.papers.md (#44), not a test. Bundle and run as
 * test/bitserial.measure.ts (same esbuild flags, entry tensorAttention.measure.ts).
 */
import { Matrix, rand, randn } from '@lr/core';
import { getGpu } from '../src/runtime/getGpu.js';
import {
  tensorAttention,
  tensorAttentionCpu,
  tensorAttentionPoly,
} from '../src/tensorAttention/index.js';

function uniform(rows: number, cols: number, B: number, seed: number): Matrix {
  const U = rand(rows, cols, { seed });
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) out[i * cols + j] = B * (2 * U.get(i, j) - 1);
  return new Matrix(out, rows, cols);
}

function problem(n: number, d: number, B: number, seed: number) {
  return {
    Q: uniform(n, d, B, seed),
    K1: uniform(n, d, B, seed + 1),
    K2: uniform(n, d, B, seed + 2),
    V1: randn(n, d, { seed: seed + 3 }),
    V2: randn(n, d, { seed: seed + 4 }),
  };
}

function maxAbsDiff(a: Matrix, b: Matrix): number {
  let m = 0;
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < a.cols; j++) m = Math.max(m, Math.abs(a.get(i, j) - b.get(i, j)));
  return m;
}

async function main(): Promise<void> {
  const n = 64;
  const d = 4;
  console.log(
    `\nerror vs entry bound B (n = ${n}, d = ${d}, entries uniform in [−B, B], V ~ N(0,1); max |out − exact|)`,
  );
  console.log(
    '| B | R = B³ | g = 4 (chebyshev) | g = 8 (chebyshev) | g = 8 (taylor) | auto ε = 1e-6: degree, features, error |',
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const B of [0.25, 0.5, 1, 1.25, 1.5, 1.75, 2]) {
    const { Q, K1, K2, V1, V2 } = problem(n, d, B, 7);
    const exact = tensorAttentionCpu(Q, K1, K2, V1, V2).output;
    const e = (o: Parameters<typeof tensorAttentionPoly>[5]) =>
      maxAbsDiff(
        exact,
        tensorAttentionPoly(Q, K1, K2, V1, V2, { bound: B, ...o }).output,
      ).toExponential(2);
    let auto = 'refused (UNSUPPORTED)';
    try {
      const r = tensorAttentionPoly(Q, K1, K2, V1, V2, { bound: B, epsilon: 1e-6 });
      auto = `${r.degree}, ${r.features}, ${maxAbsDiff(exact, r.output).toExponential(2)}`;
    } catch {}
    console.log(
      `| ${B} | ${(B ** 3).toFixed(3)} | ${e({ degree: 4 })} | ${e({ degree: 8 })} | ${e({ degree: 8, method: 'taylor' })} | ${auto} |`,
    );
  }

  const webgpu = (await import(process.env.WEBGPU ?? 'webgpu')) as { create: (o: string[]) => GPU };
  const ctx = await getGpu({ gpu: webgpu.create([]), checkErrors: false });
  console.log(
    `\nruntime vs n (d = 4, B = 1 so R = 1, ε = 1e-6; min of 3 runs for n ≤ 128 (poly: always), else one run; ms)`,
  );
  console.log(
    '| n | exact CPU (O(n³d)) | exact WGSL (SwiftShader) | polynomial CPU | degree / features | max |poly − exact| |',
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  // warm-up (JIT, pipeline compile); then the minimum of `reps` runs (the machine is shared)
  {
    const w = problem(16, 4, 1, 3);
    tensorAttentionCpu(w.Q, w.K1, w.K2, w.V1, w.V2);
    tensorAttentionPoly(w.Q, w.K1, w.K2, w.V1, w.V2, { bound: 1 });
    await tensorAttention(ctx, w.Q, w.K1, w.K2, w.V1, w.V2);
  }
  const best = async (reps: number, f: () => unknown): Promise<number> => {
    let m = Infinity;
    for (let r = 0; r < reps; r++) {
      const t = performance.now();
      await f();
      m = Math.min(m, performance.now() - t);
    }
    return m;
  };
  for (const nn of [32, 64, 128, 256, 512, 1024, 4096]) {
    const { Q, K1, K2, V1, V2 } = problem(nn, 4, 1, 11);
    const reps = nn <= 128 ? 3 : 1;
    const exact = nn <= 512 ? tensorAttentionCpu(Q, K1, K2, V1, V2) : undefined;
    const tExact = exact ? await best(reps, () => tensorAttentionCpu(Q, K1, K2, V1, V2)) : 0;
    const tGpu = nn <= 256 ? await best(reps, () => tensorAttention(ctx, Q, K1, K2, V1, V2)) : 0;
    const poly = tensorAttentionPoly(Q, K1, K2, V1, V2, { bound: 1, epsilon: 1e-6 });
    const tPoly = await best(3, () =>
      tensorAttentionPoly(Q, K1, K2, V1, V2, { bound: 1, epsilon: 1e-6 }),
    );
    console.log(
      `| ${nn} | ${exact ? tExact.toFixed(1) : '–'} | ${nn <= 256 ? tGpu.toFixed(1) : '–'} | ${tPoly.toFixed(1)} | ${poly.degree} / ${poly.features} | ${exact ? maxAbsDiff(exact.output, poly.output).toExponential(2) : '–'} |`,
    );
  }
  ctx.dispose();
}

await main();
