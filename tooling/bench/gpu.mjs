#!/usr/bin/env node
// GPU benchmark of @lr/gpu-kernels: the tiled f32 GEMM and the bipolar-INT bit-serial
// matmul (1, 2, 4, 8 bits), beside @lr/core's CPU float32 gemm and, with --torch, beside
// PyTorch on CUDA (tooling/bench/gpu-torch.py: f32 with TF32 off, TF32, f16, int8).
//
//   node tooling/bench/gpu.mjs [--sizes 256,512,1024,2048] [--bits 1,2,4,8] [--reps 10]
//                              [--torch] [--python /usr/bin/python3] [--swiftshader] [--json]
//
// Uses the BUILT packages (run `pnpm build` first). Operands stay on the GPU; each number
// is the median over 5 batches of `reps` back-to-back products, each batch timed from
// the first dispatch to onSubmittedWorkDone, divided by reps. GFLOP/s counts 2·n³ for
// every variant (the bit-serial product computes the same n×n·n×n result).
// --swiftshader points Vulkan at SwiftShader (CPU emulation: numbers are NOT GPU
// performance). On a machine with a GPU, leave it off so Dawn finds the real driver.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

function parseArgs(argv) {
  const o = {
    sizes: [256, 512, 1024, 2048],
    bits: [1, 2, 4, 8],
    reps: 10,
    torch: false,
    python: 'python3',
    swiftshader: false,
    json: false,
    cpuMax: 1024,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a}: missing value`);
      return v;
    };
    if (a === '--sizes') o.sizes = next().split(',').map(Number);
    else if (a === '--bits') o.bits = next().split(',').map(Number);
    else if (a === '--reps') o.reps = Number(next());
    else if (a === '--torch') o.torch = true;
    else if (a === '--python') o.python = next();
    else if (a === '--swiftshader') o.swiftshader = true;
    else if (a === '--json') o.json = true;
    else if (a === '--cpu-max') o.cpuMax = Number(next());
    else if (a === '-h' || a === '--help') {
      console.log(
        'usage: node tooling/bench/gpu.mjs [--sizes 256,512,1024,2048] [--bits 1,2,4,8] [--reps 10] [--torch] [--python python3] [--swiftshader] [--cpu-max 1024] [--json]',
      );
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  for (const n of o.sizes)
    if (!(Number.isInteger(n) && n > 0)) throw new Error(`--sizes: bad size ${n}`);
  for (const b of o.bits)
    if (!(Number.isInteger(b) && b >= 1 && b <= 8)) throw new Error(`--bits: bad width ${b}`);
  return o;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

/** Seconds per call: warm-up, then the median of 5 batches of `reps` calls. */
async function timeGpu(ctx, enqueue, reps) {
  await enqueue();
  await ctx.finish();
  const per = [];
  for (let b = 0; b < 5; b++) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) await enqueue();
    await ctx.finish();
    per.push((performance.now() - t0) / 1000 / reps);
  }
  return median(per);
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.swiftshader) {
    if (!existsSync(SWIFTSHADER_ICD))
      throw new Error(
        `--swiftshader: ${SWIFTSHADER_ICD} not found (apt-get install -y libvulkan1 chromium)`,
      );
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  }
  const dist = join(root, 'packages/gpu-kernels/dist/index.js');
  if (!existsSync(dist)) throw new Error(`${dist} is missing: run \`pnpm build\` first`);
  const gk = await import(dist);
  const core = await import(join(root, 'packages/core/dist/index.js'));
  const ctx = await gk.getGpu({
    timeoutMs: 30_000,
    checkErrors: false,
    // our kernels never read workgroup memory before writing it; SwiftShader compiles the
    // zero-fill very slowly (see packages/gpu-kernels/README.md)
    createOptions: ['enable-dawn-features=disable_workgroup_init'],
  });
  const info = ctx.info;
  const adapter = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ');
  const swift = /swiftshader/i.test(`${info.architecture} ${info.description}`);
  const rows = [];
  for (const n of o.sizes) {
    const flops = 2 * n ** 3;
    const A = core.randn(n, n, { seed: 1, dtype: 'float32' });
    const B = core.randn(n, n, { seed: 2, dtype: 'float32' });
    const a = ctx.upload(A);
    const b = ctx.upload(B);
    const c = ctx.empty([n, n]);
    const f32 = await timeGpu(ctx, () => gk.gemmGpu(ctx, a, b, { out: c, transB: true }), o.reps);
    rows.push({
      impl: 'lr webgpu',
      variant: 'f32 GEMM A·Bᵀ',
      n,
      seconds: f32,
      gflops: flops / f32 / 1e9,
    });
    for (const bits of o.bits) {
      const qa = gk.uploadBipolar(ctx, gk.quantizeBipolar(A, { bits }));
      const qb = gk.uploadBipolar(ctx, gk.quantizeBipolar(B, { bits }));
      const t = await timeGpu(
        ctx,
        async () => {
          const r = await gk.bitSerialMatmulTensors(ctx, qa, qb);
          r.c.destroy();
        },
        o.reps,
      );
      rows.push({
        impl: 'lr webgpu',
        variant: `bit-serial int${bits}`,
        n,
        seconds: t,
        gflops: flops / t / 1e9,
        vsF32: f32 / t,
      });
      for (const q of [qa, qb]) {
        q.planes.destroy();
        q.scales.destroy();
      }
    }
    if (n <= o.cpuMax) {
      const C = core.zeros(n, n, 'float32');
      core.gemm(A, B, C, { transB: true });
      const ts = [];
      for (let r = 0; r < 3; r++) {
        const t0 = performance.now();
        core.gemm(A, B, C, { transB: true });
        ts.push((performance.now() - t0) / 1000);
      }
      const t = median(ts);
      rows.push({
        impl: 'lr cpu',
        variant: 'f32 gemm (@lr/core)',
        n,
        seconds: t,
        gflops: flops / t / 1e9,
      });
    }
    for (const t of [a, b, c]) t.destroy();
  }
  ctx.dispose();

  let torch = null;
  if (o.torch) {
    const r = spawnSync(
      o.python,
      [join(here, 'gpu-torch.py'), '--sizes', o.sizes.join(','), '--reps', String(o.reps)],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) {
      torch = { error: (r.stderr || r.stdout || `exit ${r.status}`).trim().split('\n').pop() };
    } else {
      torch = JSON.parse(r.stdout);
      for (const x of torch.results) rows.push({ impl: `torch ${torch.device}`, ...x });
    }
  }

  const out = {
    adapter,
    swiftshader: swift,
    rows,
    torch: torch && { device: torch.device, version: torch.version, error: torch.error },
  };
  if (o.json) {
    console.log(JSON.stringify(out, null, 2));
    return;
  }
  console.log(
    `adapter: ${adapter}${swift ? ' — SwiftShader: CPU emulation, not GPU performance' : ''}`,
  );
  if (torch?.error) console.log(`torch: ${torch.error}`);
  console.log('| n | implementation | variant | time | GFLOP/s | vs lr f32 GEMM |');
  console.log('| ---: | --- | --- | ---: | ---: | ---: |');
  for (const r of rows) {
    const f32 = rows.find(
      (x) => x.n === r.n && x.impl === 'lr webgpu' && x.variant.startsWith('f32'),
    );
    const ratio = f32 ? (f32.seconds / r.seconds).toFixed(2) : '–';
    console.log(
      `| ${r.n} | ${r.impl} | ${r.variant} | ${(r.seconds * 1e3).toFixed(3)} ms | ${r.gflops.toFixed(2)} | ${ratio}× |`,
    );
  }
}

main().catch((e) => {
  console.error(`gpu.mjs: ${e?.message ?? e}`);
  process.exit(1);
});
