#!/usr/bin/env node
// Benchmark of @lr/ssm (S4D-type diagonal SSMs):
//   1. kernel generation (Vandermonde, ZOH) and FFT convolution for H = 256 channels,
//      N = 64 (M = 32 complex modes), L = 16,384, beside the same computation in numpy
//      (tooling/bench/ssm_peers.py, /usr/bin/python3, in the same run);
//   2. sequence modes as L grows (2^10 … 2^16, H = 16, N = 64): FFT convolution
//      (kernel + convolution, O(H·L log L + H·M·L)), the S5 associative scan and the plain
//      recurrence (both O(H·M·L)), so the growth of each shows.
// Runs against the built packages: `pnpm --filter @lr/core build && pnpm --filter @lr/ssm build`.
//   node tooling/bench/ssm.mjs [--quick] [--json] [--no-python] [--repeats N]
// Also reachable as `node tooling/bench/run.mjs --only ssm`.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const core = await import(join(root, 'packages/core/dist/index.js'));
const ssmPkg = await import(join(root, 'packages/ssm/dist/index.js'));
const args = process.argv.slice(2);
const json = args.includes('--json');
const quick = args.includes('--quick');
const python = !args.includes('--no-python');
const repIdx = args.indexOf('--repeats');
const repeats = repIdx >= 0 ? Number(args[repIdx + 1]) : quick ? 3 : 5;
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
const fmt = (ms) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

// ------------------------------------------------------------------ 1. kernel + convolution
const H = 256;
const N = 64;
const L = quick ? 4096 : 16384;
const ssm = ssmPkg.s4dInit({ N, channels: H, init: 'lin', seed: 0 });
const u = core.tensorRandn([1, L, H], { seed: 1 });
const kernelMs = time(() => ssmPkg.ssmKernel(ssm, { L }));
const { K } = ssmPkg.ssmKernel(ssm, { L });
const convMs = time(() => ssmPkg.causalConvolve(u, K, { D: ssm.D }));
let peer = null;
let peerNote = null;
if (python) {
  const r = spawnSync('/usr/bin/python3', [join(root, 'tooling/bench/ssm_peers.py')], {
    input: JSON.stringify({ H, M: N / 2, L, repeats, seed: 0 }),
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status === 0) peer = JSON.parse(r.stdout);
  else
    peerNote = `numpy peer failed: ${(r.stderr || r.error?.message || '').trim().split('\n').at(-1)}`;
}

// ------------------------------------------------------------------ 2. modes vs L
const H2 = 16;
const small = ssmPkg.s4dInit({ N, channels: H2, init: 'lin', seed: 0 });
const modes = [];
for (let e = 10; e <= (quick ? 14 : 16); e++) {
  const Ln = 2 ** e;
  const un = core.tensorRandn([1, Ln, H2], { seed: e });
  const reps = Ln >= 2 ** 15 ? Math.min(repeats, 3) : repeats;
  modes.push({
    L: Ln,
    conv_ms: time(() => ssmPkg.ssmConvolve(small, un), reps),
    scan_ms: time(() => ssmPkg.ssmScan(small, un), reps),
    recurrence_ms: time(() => ssmPkg.ssmRecurrence(small, un), reps),
  });
}

const result = {
  kernel: { H, N, L, lr_ms: kernelMs, numpy_ms: peer?.kernel_ms ?? null },
  convolution: { H, N, L, lr_ms: convMs, numpy_ms: peer?.conv_ms ?? null },
  modes: { H: H2, N, rows: modes },
  numpy: peer?.numpy ?? null,
  note: peerNote,
};
if (json) {
  console.log(JSON.stringify(result, null, 2));
} else {
  const ratio = (p, l) => (p == null ? '—' : (p / l).toFixed(2));
  const lines = [
    `## @lr/ssm (H = ${H}, N = ${N}, L = ${L}; numpy ${peer?.numpy ?? 'n/a'})`,
    '',
    '| case | lr ms | numpy ms | numpy / lr |',
    '|---|---|---|---|',
    `| kernel (Vandermonde, ZOH) | ${fmt(kernelMs)} | ${peer ? fmt(peer.kernel_ms) : '—'} | ${ratio(peer?.kernel_ms, kernelMs)} |`,
    `| FFT convolution (2L) | ${fmt(convMs)} | ${peer ? fmt(peer.conv_ms) : '—'} | ${ratio(peer?.conv_ms, convMs)} |`,
    '',
    `### sequence modes vs L (H = ${H2}, N = ${N}; ms, and ms per 1k samples)`,
    '',
    '| L | convolution | scan | recurrence | conv/1k | scan/1k | rec/1k |',
    '|---|---|---|---|---|---|---|',
    ...modes.map(
      (r) =>
        `| ${r.L} | ${fmt(r.conv_ms)} | ${fmt(r.scan_ms)} | ${fmt(r.recurrence_ms)} | ${fmt((r.conv_ms * 1024) / r.L)} | ${fmt((r.scan_ms * 1024) / r.L)} | ${fmt((r.recurrence_ms * 1024) / r.L)} |`,
    ),
  ];
  if (peerNote) lines.push('', peerNote);
  console.log(lines.join('\n'));
}
