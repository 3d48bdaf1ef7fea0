#!/usr/bin/env node
// GEMM throughput of each path of @lr/core, f64 and f32, C = A·B for n×n matrices:
//   ts            the TypeScript kernel (setBackend('ts'))
//   wasm          WebAssembly SIMD on one thread (setBackend('wasm'), setThreads(1))
//   wasm+threads  WebAssembly SIMD on getThreads() threads (default: the logical cores)
//   kernel        the bare wasm kernel on operands already in wasm memory, one thread: the
//                 gap to `wasm` is the cost of copying A, B in and C out
// Prints best-of-N GFLOP/s (2n³ flops per product). Uses the built package: run
// `pnpm --filter @lr/core build` first.
//
//   node scripts/bench-gemm.mjs [--sizes 256,512,1024] [--threads N] [--json]
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = new URL('../dist/index.js', import.meta.url);
if (!existsSync(fileURLToPath(dist))) {
  console.error('bench-gemm: dist/ is missing; run `pnpm --filter @lr/core build` first');
  process.exit(1);
}
const lr = await import(dist.href);
const { WASM_SIMD } = await import('../src/kernels/wasm/_binary.generated.js');

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const sizes = opt('--sizes', '256,512,1024').split(',').map(Number);
const threads = Number(opt('--threads', String(lr.getThreads())));
const json = argv.includes('--json');

// Repeats `fn` until `budgetMs` is spent (at least `min` times); returns the best time.
function best(fn, budgetMs = 1500, min = 3) {
  fn();
  let bestMs = Infinity;
  const until = performance.now() + budgetMs;
  for (let r = 0; r < min || performance.now() < until; r++) {
    const t = performance.now();
    fn();
    bestMs = Math.min(bestMs, performance.now() - t);
    if (r > 200) break;
  }
  return bestMs;
}

// The bare kernel: operands placed in wasm memory once, then only dgemm/sgemm is timed.
const bytes = Uint8Array.from(atob(WASM_SIMD), (ch) => ch.charCodeAt(0));
const memory = new WebAssembly.Memory({ initial: 1 });
const raw = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
function kernelMs(n, dtype) {
  const es = dtype === 'float32' ? 4 : 8;
  const ws = 1024;
  const pA = ws + Math.max(raw.dgemmWorkspaceBytes(), raw.sgemmWorkspaceBytes());
  const pB = pA + n * n * es;
  const pC = pB + n * n * es;
  const need = pC + n * n * es - memory.buffer.byteLength;
  if (need > 0) memory.grow(Math.ceil(need / 65536));
  const heap =
    dtype === 'float32' ? new Float32Array(memory.buffer) : new Float64Array(memory.buffer);
  for (let i = 0; i < 2 * n * n; i++) heap[pA / es + i] = Math.sin(i);
  const gemm = dtype === 'float32' ? raw.sgemm : raw.dgemm;
  return best(() => gemm(n, n, n, 1, pA, n, 1, pB, n, 1, 0, pC, n, 1, ws));
}

const rows = [];
await lr.initWasm();
for (const dtype of ['float64', 'float32']) {
  for (const n of sizes) {
    const A = lr.randn(n, n, { seed: 1, dtype });
    const B = lr.randn(n, n, { seed: 2, dtype });
    const C = lr.zeros(n, n, dtype);
    const run = () => lr.gemm(A, B, C);
    const gflops = (ms) => (2 * n ** 3) / ms / 1e6;
    const row = { dtype, n };
    lr.setBackend('ts');
    row.ts = gflops(best(run, n >= 1024 ? 4000 : 1500, n >= 1024 ? 2 : 3));
    lr.setBackend('wasm');
    lr.setThreads(1);
    row.wasm = gflops(best(run));
    lr.setThreads(threads);
    row['wasm+threads'] = gflops(best(run));
    row.threads = lr.getBackend().threads;
    row.kernel = gflops(kernelMs(n, dtype));
    lr.setBackend('auto');
    lr.setThreads();
    rows.push(row);
  }
}
if (json) console.log(JSON.stringify(rows, null, 2));
else {
  console.log(`GEMM C = A·B, n×n, GFLOP/s (best of runs); ${process.version}`);
  console.log('dtype    n      ts     wasm   wasm+threads(T)   kernel(1 thread, no copies)');
  for (const r of rows) {
    const f = (x) => x.toFixed(1).padStart(7);
    console.log(
      `${r.dtype.padEnd(8)} ${String(r.n).padStart(4)} ${f(r.ts)} ${f(r.wasm)} ${f(r['wasm+threads'])} (${r.threads})     ${f(r.kernel)}`,
    );
  }
}
