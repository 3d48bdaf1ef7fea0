#!/usr/bin/env node
// Benchmark of @lr/peft training and inference (issue: fine-tuning and evaluation):
//   - one training step (forward, backward, Adam) of a 512→512 linear layer at batch 256:
//     dense (full fine-tuning) against LoRA r = 8 over the frozen weight, with the LoRA
//     step split into its parts to show where the time goes;
//   - the Llama forward pass on stories260K in tokens/s (prefill of 256 tokens, float32
//     and float64) and sampling speed.
// Runs against the built packages: `pnpm build` first.
//   node tooling/bench/peft.mjs [--json] [--repeats N]
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const core = await import(join(root, 'packages/core/dist/index.js'));
const peft = await import(join(root, 'packages/peft/dist/index.js'));
const args = process.argv.slice(2);
const json = args.includes('--json');
const repIdx = args.indexOf('--repeats');
const repeats = repIdx >= 0 ? Number(args[repIdx + 1]) : 7;
await core.initWasm?.();

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
function time(fn, n = repeats) {
  fn(); // warm-up
  const ts = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

const n = 256;
const d = 512;
const r = 8;
const W = core.randn(d, d, { seed: 1 });
const x = core.randn(n, d, { seed: 2 });
const dy = core.randn(n, d, { seed: 3 });
const A = core.randn(r, d, { seed: 4 });
const B = core.randn(d, r, { seed: 5 });

const dense = new peft.DenseLinear(W);
const denseOpt = new peft.Adam(dense.parameters);
const denseStep = () => {
  peft.zeroGrad(dense.parameters);
  dense.forward(x);
  dense.backward(dy);
  denseOpt.step();
};
const lora = new peft.LoraLinear(W, A, B);
const loraOpt = new peft.Adam(lora.parameters);
const loraStep = () => {
  peft.zeroGrad(lora.parameters);
  lora.forward(x);
  lora.backward(dy);
  loraOpt.step();
};
const C = core.zeros(n, d);
const parts = {
  'frozen x·Wᵀ (forward)': () => core.gemm(x, W, C, { transB: true }),
  'frozen g·W (dx)': () => core.gemm(dy, W, C),
  'adapter products (6 thin GEMMs)': () => {
    const u = core.zeros(n, r);
    core.gemm(x, A, u, { transB: true });
    core.gemm(u, B, C, { transB: true, beta: 1 });
    const gB = core.zeros(n, r);
    core.gemm(dy, B, gB);
    core.gemm(dy, u, core.zeros(d, r), { transA: true });
    core.gemm(gB, x, core.zeros(r, d), { transA: true });
    core.gemm(gB, A, C, { beta: 1 });
  },
};
const rows = [];
const tDense = time(denseStep);
const tLora = time(loraStep);
rows.push({ case: `dense 512→512 step, batch ${n}`, ms: tDense, params: d * d });
rows.push({ case: `LoRA r=${r} step, batch ${n}`, ms: tLora, params: r * 2 * d });
for (const [k, f] of Object.entries(parts)) rows.push({ case: `  LoRA part: ${k}`, ms: time(f) });

const dir = join(root, '../shared/data/weights/stories260K');
const cfg = peft.parseLlamaConfig(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')));
const file = core.readSafetensors(new Uint8Array(readFileSync(join(dir, 'model.safetensors'))));
const tensors = new Map(file.tensors.map((e) => [e.name, core.decodeSafetensor(e)]));
const tokens = Array.from({ length: 256 }, (_, i) => (i * 37 + 1) % cfg.vocabSize);
for (const dtype of ['float32', 'float64']) {
  const m = peft.Llama.fromTensors(cfg, tensors, { dtype, ropeStyle: 'interleaved' });
  const ms = time(() => m.forward(tokens), 5);
  rows.push({
    case: `Llama stories260K prefill 256 tokens (${dtype})`,
    ms,
    tokensPerSecond: (256 / ms) * 1000,
  });
}
const m32 = peft.Llama.fromTensors(cfg, tensors, { ropeStyle: 'interleaved' });
const gen = time(() => m32.generate({ maxTokens: 64, seed: 1 }), 3);
rows.push({
  case: 'Llama stories260K sampling 64 tokens (key/value cache)',
  ms: gen,
  tokensPerSecond: (64 / gen) * 1000,
});

if (json) console.log(JSON.stringify({ rows, repeats }, null, 2));
else {
  console.log(`| case | median ms | note |\n|---|---:|---|`);
  for (const row of rows) {
    const note = row.tokensPerSecond
      ? `${row.tokensPerSecond.toFixed(0)} tokens/s`
      : row.params
        ? `${row.params} trainable`
        : '';
    console.log(`| ${row.case} | ${row.ms.toFixed(2)} | ${note} |`);
  }
  console.log(`\nLoRA step / dense step: ${(tLora / tDense).toFixed(2)}× (median of ${repeats}).`);
}
