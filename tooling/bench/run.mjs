#!/usr/bin/env node
// `pnpm bench`: times lr beside its peers in one run and reports ratios (peer time / lr
// time; below 1 the peer is faster). Peers: ml-matrix, tfjs-core on the wasm backend
// (f32 GEMM), and numpy / scipy / scikit-learn through peers.py (/usr/bin/python3).
//
//   node tooling/bench/run.mjs [--quick] [--json] [--only gemm,qr,svd,eigh,rsvd]
//                              [--budget <s>] [--no-python] [--no-tfjs] [--no-ml-matrix]
//
// lr is the BUILT package (packages/core/dist through the workspace dependency): run
// `pnpm build` first. Every case is one warm-up run, then up to `maxReps` runs within the
// time budget, reported as the median. A peer whose run is predicted (from its time at the
// previous size) to exceed SKIP_S is skipped with a note. The markdown table goes to
// stdout and to bench-results/latest.md (with the raw numbers in latest.json).
//
// Package cases (pkg.mjs; groups als, kmeans, gmm, sdp, w2): whole algorithms of
// @lr/recovery, @lr/clustering-sdp and @lr/ot on real data (MovieLens, digits) beside
// numpy / scikit-learn, in a second table; they need those packages built too.
// Groups `ssm` and `peft` run their own scripts (tooling/bench/ssm.mjs, peft.mjs): SSM
// kernels, FFT convolution and scans beside numpy; a LoRA training step against the dense
// one and the Llama forward pass in tokens/s.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALS, buildPkgCases, GMM, KMEANS, PKG_GROUPS, pkgMarkdown, runLrPkg } from './pkg.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const require = createRequire(import.meta.url);
const PYTHON = '/usr/bin/python3';
/** A single run predicted longer than this is skipped (ml-matrix at the large sizes). */
const SKIP_S = 15;

// ------------------------------------------------------------------ options

const USAGE = `usage: node tooling/bench/run.mjs [--quick] [--json]
         [--only gemm,qr,svd,eigh,rsvd,als,kmeans,gmm,sdp,w2,ssm,peft]
         [--budget <seconds per case and implementation>] [--no-python] [--no-tfjs] [--no-ml-matrix]`;
const GROUPS = ['gemm', 'qr', 'svd', 'eigh', 'rsvd', ...PKG_GROUPS, 'ssm', 'peft'];

function parseArgs(argv) {
  const o = {
    quick: false,
    json: false,
    only: null,
    budget: null,
    python: true,
    tfjs: true,
    mlMatrix: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => (a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i]);
    if (a === '--quick') o.quick = true;
    else if (a === '--json') o.json = true;
    else if (a === '--only' || a.startsWith('--only='))
      o.only = String(value() ?? '')
        .split(',')
        .filter(Boolean);
    else if (a === '--budget' || a.startsWith('--budget=')) o.budget = Number(value());
    else if (a === '--no-python') o.python = false;
    else if (a === '--no-tfjs') o.tfjs = false;
    else if (a === '--no-ml-matrix') o.mlMatrix = false;
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else {
      console.error(`unknown argument ${a}\n${USAGE}`);
      process.exit(2);
    }
  }
  const bad = (o.only ?? []).filter((g) => !GROUPS.includes(g));
  if (bad.length) {
    console.error(`--only: unknown group ${bad.join(', ')} (groups: ${GROUPS.join(', ')})`);
    process.exit(2);
  }
  if (o.budget !== null && !(o.budget > 0)) {
    console.error('--budget: expected a positive number of seconds');
    process.exit(2);
  }
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const BUDGET_S = opts.budget ?? (opts.quick ? 1.5 : 4);
const MAX_REPS = opts.quick ? 5 : 7;
const log = (msg) => process.stderr.write(`${msg}\n`);

// ------------------------------------------------------------------ cases

/** Rough flop counts, used for GFLOP/s and to predict the next size's time. */
const COST = {
  gemm: ({ n }) => 2 * n ** 3,
  qr: ({ m, n }) => 4 * m * n * n - (4 / 3) * n ** 3, // Householder R plus forming the thin Q
  svd: ({ n }) => 22 * n ** 3, // Golub–Van Loan's count for U, Σ, V
  eigh: ({ n }) => 9 * n ** 3, // tridiagonalisation + QR iteration with vectors
  rsvd: ({ m, n, k, q }) => 2 * m * n * (k + 10) * (2 * q + 2),
};

function buildCases() {
  const full = [
    ...[256, 512, 1024].flatMap((n) =>
      ['float64', 'float32'].map((dtype) => ({ op: 'gemm', m: n, n, dtype })),
    ),
    { op: 'qr', m: 500, n: 250 },
    { op: 'qr', m: 1000, n: 500 },
    { op: 'qr', m: 2000, n: 1000 }, // issue 3's target size
    { op: 'svd', m: 200, n: 200 },
    { op: 'svd', m: 400, n: 400 },
    { op: 'svd', m: 500, n: 500 }, // issue 3's target size
    { op: 'eigh', m: 200, n: 200 },
    { op: 'eigh', m: 500, n: 500 },
    { op: 'eigh', m: 1000, n: 1000 }, // issue 3's target size
    { op: 'rsvd', m: 2000, n: 1000, k: 20, q: 4 },
  ];
  const quick = [
    { op: 'gemm', m: 256, n: 256, dtype: 'float64' },
    { op: 'gemm', m: 256, n: 256, dtype: 'float32' },
    { op: 'qr', m: 500, n: 250 },
    { op: 'svd', m: 200, n: 200 },
    { op: 'eigh', m: 200, n: 200 },
    { op: 'rsvd', m: 1000, n: 500, k: 20, q: 4 },
  ];
  return (opts.quick ? quick : full)
    .filter((c) => !opts.only || opts.only.includes(c.op))
    .map((c) => {
      const dtype = c.dtype ?? 'float64';
      const size = c.op === 'gemm' || c.m === c.n ? `${c.n}` : `${c.m}×${c.n}`;
      const extra = c.op === 'rsvd' ? `, k=${c.k}, ${c.q} power iters` : '';
      const label = `${{ gemm: 'GEMM', qr: 'QR', svd: 'full SVD', eigh: 'symmetric eigen', rsvd: 'randomized SVD' }[c.op]} ${size}${extra}${c.op === 'gemm' ? ` ${dtype === 'float32' ? 'f32' : 'f64'}` : ''}`;
      return { ...c, dtype, id: `${c.op}-${c.m}x${c.n}${c.k ? `-k${c.k}` : ''}-${dtype}`, label };
    });
}

// ------------------------------------------------------------------ timing

async function timeIt(fn) {
  let t0 = performance.now();
  await fn();
  const warm = (performance.now() - t0) / 1e3;
  const samples = [];
  if (warm >= BUDGET_S) samples.push(warm);
  else {
    const reps = Math.max(1, Math.min(MAX_REPS, Math.floor(BUDGET_S / Math.max(warm, 1e-6))));
    for (let r = 0; r < reps; r++) {
      t0 = performance.now();
      await fn();
      samples.push((performance.now() - t0) / 1e3);
    }
  }
  samples.sort((a, b) => a - b);
  const mid = samples.length >> 1;
  const median = samples.length % 2 ? samples[mid] : (samples[mid - 1] + samples[mid]) / 2;
  return { median_ms: median * 1e3, min_ms: samples[0] * 1e3, runs: samples.length };
}

// Per implementation and op: the last measured (case, time), to predict the next size.
const lastTime = new Map();

async function measure(impl, c, makeFn) {
  const key = `${impl}/${c.op}/${c.dtype}`;
  const prev = lastTime.get(key);
  if (prev) {
    const predicted = (prev.ms / 1e3) * (COST[c.op](c) / COST[c.op](prev.c));
    if (predicted > SKIP_S)
      return { skipped: `predicted ${predicted.toFixed(0)} s per run > ${SKIP_S} s` };
  }
  let fn;
  try {
    fn = await makeFn();
  } catch (e) {
    return { skipped: `setup failed: ${e?.message ?? e}` };
  }
  if (!fn) return null;
  log(`  ${c.label}: ${impl}`);
  try {
    const r = await timeIt(fn);
    lastTime.set(key, { c, ms: r.median_ms });
    return r;
  } catch (e) {
    return { skipped: `${e?.name ?? 'Error'}: ${e?.message ?? e}` };
  }
}

// ------------------------------------------------------------------ implementations

async function loadLr() {
  const dist = join(root, 'packages/core/dist/index.js');
  if (!existsSync(dist)) {
    console.error(`@lr/core is not built (${dist} is missing): run \`pnpm build\` first.`);
    process.exit(1);
  }
  try {
    return await import('@lr/core');
  } catch (e) {
    console.error(
      `could not import the built @lr/core (${e?.message ?? e}): run \`pnpm build\` first.`,
    );
    process.exit(1);
  }
}

function lrInputs(lr, c) {
  const opt = { seed: 12345, dtype: c.dtype };
  if (c.op === 'gemm')
    return [lr.randn(c.m, c.n, opt), lr.randn(c.n, c.m, { ...opt, seed: 54321 })];
  if (c.op === 'eigh') {
    const B = lr.randn(c.n, c.n, opt);
    const S = lr.zeros(c.n, c.n);
    for (let i = 0; i < c.n; i++)
      for (let j = 0; j < c.n; j++) S.set(i, j, (B.get(i, j) + B.get(j, i)) / 2);
    return [S];
  }
  return [lr.randn(c.m, c.n, opt)];
}

/** The lr call for a case, or a string saying why there is none. */
function lrCall(lr, c, [A, B]) {
  const need = (name) =>
    typeof lr[name] === 'function' ? null : `@lr/core does not export ${name} (yet)`;
  switch (c.op) {
    case 'gemm':
      return need('matmul') ?? (() => lr.matmul(A, B));
    case 'qr':
      return need('qr') ?? (() => lr.qr(A));
    case 'svd':
      return need('svd') ?? (() => lr.svd(A));
    case 'eigh':
      return need('eigh') ?? (() => lr.eigh(A));
    case 'rsvd':
      // Halko et al. 2011 with scikit-learn's defaults: oversampling 10, `q` power iterations
      return (
        need('randomizedSvd') ??
        (() => lr.randomizedSvd(A, { rank: c.k, oversample: 10, powerIterations: c.q, seed: 0 }))
      );
  }
  return `no lr call for ${c.op}`;
}

// A cheap correctness check of lr's answer (a timing of a wrong answer is worthless):
// the relative residual of the factorization, or the orthogonality of U for rsvd.
function froDiff(X, Y) {
  let s = 0;
  let t = 0;
  for (let i = 0; i < X.rows; i++)
    for (let j = 0; j < X.cols; j++) {
      const y = Y ? Y.get(i, j) : 0;
      s += (X.get(i, j) - y) ** 2;
      t += y * y;
    }
  return [Math.sqrt(s), Math.sqrt(t)];
}

function scaleColumns(lr, U, s) {
  const out = lr.zeros(U.rows, s.length);
  for (let i = 0; i < U.rows; i++)
    for (let j = 0; j < s.length; j++) out.set(i, j, U.get(i, j) * s[j]);
  return out;
}

function lrCheck(lr, c, [A, B], out) {
  let err;
  if (c.op === 'gemm') {
    // compare a few entries with direct dot products
    let worst = 0;
    for (const [i, j] of [
      [0, 0],
      [c.m - 1, c.m - 1],
      [c.m >> 1, 1],
    ]) {
      let d = 0;
      let mag = 0;
      for (let p = 0; p < c.n; p++) {
        d += A.get(i, p) * B.get(p, j);
        mag += Math.abs(A.get(i, p) * B.get(p, j));
      }
      worst = Math.max(worst, Math.abs(out.get(i, j) - d) / mag);
    }
    err = worst;
  } else if (c.op === 'qr') {
    const [r, a] = froDiff(lr.matmul(out.Q, out.R), A);
    err = r / a;
  } else if (c.op === 'svd' || c.op === 'rsvd') {
    if (c.op === 'svd') {
      const [r, a] = froDiff(lr.matmul(scaleColumns(lr, out.U, out.S), out.Vt), A);
      err = r / a;
    } else {
      const [r] = froDiff(lr.matmul(out.U.T, out.U), lr.eye(out.U.cols));
      err = r;
    }
  } else if (c.op === 'eigh') {
    const [r, a] = froDiff(lr.matmul(A, out.vectors), scaleColumns(lr, out.vectors, out.values));
    err = r / Math.max(a, 1e-300);
  }
  const tol = c.dtype === 'float32' ? 1e-4 : 1e-10;
  return { error: err, ok: err <= tol, tol };
}

/** The workspace packages the selected package cases need (each optional: a note if missing). */
async function loadPkgLibs(pkgCases, notes) {
  const need = new Set(
    pkgCases.map((c) => (c.op === 'als' ? 'recovery' : c.op === 'w2' ? 'ot' : 'clustering')),
  );
  const out = { versions: {} };
  for (const [key, name, dir] of [
    ['recovery', '@lr/recovery', 'recovery'],
    ['clustering', '@lr/clustering-sdp', 'clustering-sdp'],
    ['ot', '@lr/ot', 'ot'],
  ]) {
    if (!need.has(key)) continue;
    if (!existsSync(join(root, `packages/${dir}/dist/index.js`))) {
      notes.push(`${name} is not built: its cases are skipped (run \`pnpm build\`)`);
      continue;
    }
    try {
      out[key] = await import(name);
      out.versions[name] = JSON.parse(
        readFileSync(join(root, `packages/${dir}/package.json`), 'utf8'),
      ).version;
    } catch (e) {
      notes.push(`${name} could not be imported (${e?.message ?? e}): its cases are skipped`);
    }
  }
  return out;
}

async function loadMlMatrix() {
  try {
    return await import('ml-matrix');
  } catch (e) {
    return { error: `ml-matrix could not be loaded: ${e?.message ?? e}` };
  }
}

function mlCall(ml, c, lrIn) {
  if (c.dtype !== 'float64') return null; // ml-matrix is float64 only
  const [A, B] = lrIn.map((X) => new ml.Matrix(X.toArray()));
  switch (c.op) {
    case 'gemm':
      return () => A.mmul(B);
    case 'qr':
      // the factorization plus the explicit thin Q and R, as numpy's qr(mode='reduced')
      return () => {
        const d = new ml.QrDecomposition(A);
        return [d.orthogonalMatrix, d.upperTriangularMatrix];
      };
    case 'svd':
      return () =>
        new ml.SingularValueDecomposition(A, {
          computeLeftSingularVectors: true,
          computeRightSingularVectors: true,
        });
    case 'eigh':
      return () => new ml.EigenvalueDecomposition(A, { assumeSymmetric: true });
    default:
      return null; // no randomized SVD in ml-matrix
  }
}

async function loadTfjs() {
  const saved = console.log;
  try {
    const tf = await import('@tensorflow/tfjs-core');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const dir = join(
      dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')),
      'dist',
    );
    wasm.setWasmPaths(`${dir}/`);
    console.log = () => {}; // tfjs greets on stdout; keep stdout for the table / JSON
    const ok = await tf.setBackend('wasm');
    if (!ok) throw new Error('tf.setBackend("wasm") returned false');
    await tf.ready();
    const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
    const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
    return {
      tf,
      version: tf.version_core,
      detail: `wasm backend, SIMD ${simd ? 'on' : 'off'}, threads ${threads ? 'on' : 'off'}`,
    };
  } catch (e) {
    return { error: `tfjs-wasm could not start: ${e?.message ?? e}` };
  } finally {
    console.log = saved;
  }
}

function tfCall(tf, c, lrIn) {
  if (c.op !== 'gemm' || c.dtype !== 'float32') return null;
  const [A, B] = lrIn.map((X) =>
    tf.tensor2d(new Float32Array(X.toFloat64Array()), [X.rows, X.cols], 'float32'),
  );
  return () => {
    const C = tf.matMul(A, B);
    C.dataSync(); // wait for the result, as every other peer returns a materialised matrix
    C.dispose();
  };
}

function runPython(cases, pkgCases = []) {
  const script = join(here, 'peers.py');
  if (!existsSync(PYTHON))
    return { error: `${PYTHON} not found: numpy/scipy/scikit-learn peers skipped` };
  const req = {
    budget_s: BUDGET_S,
    max_reps: MAX_REPS,
    cases: cases.map((c) => ({
      id: c.id,
      op: c.op,
      m: c.m,
      n: c.n,
      k: c.k,
      dtype: c.dtype,
      power_iters: c.q,
    })),
  };
  for (const c of pkgCases) {
    if (c.lrOnly || c.op === 'sdp' || c.op === 'w2') continue;
    req.cases.push({
      id: c.id,
      op: c.op,
      path: c.path,
      reps: opts.quick ? 1 : 2,
      als: { rank: ALS.rank, lambda: ALS.lambda, timed_iterations: ALS.timedIterations },
      settings: c.op === 'kmeans' ? KMEANS : GMM,
    });
  }
  log('python peers (numpy / scipy / scikit-learn):');
  const r = spawnSync(PYTHON, [script], {
    input: JSON.stringify(req),
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'inherit'],
    timeout: 30 * 60_000,
    maxBuffer: 16 << 20,
  });
  if (r.error || r.status !== 0)
    return { error: `peers.py failed (${r.error?.message ?? `exit ${r.status}`})` };
  try {
    return JSON.parse(r.stdout);
  } catch {
    return { error: `peers.py printed no JSON: ${r.stdout.slice(0, 200)}` };
  }
}

// ------------------------------------------------------------------ report

const PEERS = [
  { key: 'numpy', title: 'numpy' },
  { key: 'scipy', title: 'scipy' },
  { key: 'sklearn', title: 'scikit-learn' },
  { key: 'ml-matrix', title: 'ml-matrix' },
  { key: 'tfjs-wasm', title: 'tfjs-wasm' },
];

function fmtMs(ms) {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(2)} ms`;
}

function fmtRatio(x) {
  return x >= 10 ? `${x.toFixed(0)}×` : x >= 1 ? `${x.toFixed(1)}×` : `${x.toFixed(2)}×`;
}

function markdown(report) {
  const { cases, pkgCases, env, notes } = report;
  const cols = PEERS.filter((p) => cases.some((c) => c.results[p.key]));
  const lines = [];
  lines.push(`# lr benchmark${opts.quick ? ' (quick)' : ''}`, '');
  lines.push(
    `${env.date} · Node ${env.node} · ${env.cpu} (${env.cores} cores) · budget ${BUDGET_S} s per cell, median of ≤ ${MAX_REPS} runs after a warm-up`,
  );
  lines.push('');
  lines.push(
    'Cells: median time · ratio = peer time / lr time (below 1: the peer is faster). Shared machine: compare ratios, not absolute times.',
  );
  lines.push('');
  if (cases.length) {
    lines.push(`| case | lr | ${cols.map((p) => p.title).join(' | ')} |`);
    lines.push(`| --- | --- | ${cols.map(() => '---').join(' | ')} |`);
  }
  const foot = [];
  const cell = (r, ours) => {
    if (!r) return '–';
    if (r.skipped) {
      foot.push(r.skipped);
      return `skipped [${foot.length}]`;
    }
    const t = fmtMs(r.median_ms);
    return ours?.median_ms ? `${t} · ${fmtRatio(r.median_ms / ours.median_ms)}` : t;
  };
  for (const c of cases) {
    const ours = c.results.lr;
    let lrCell = cell(ours, null);
    if (ours?.check && !ours.check.ok) lrCell += ' ⚠ wrong answer';
    if (c.op === 'gemm' && ours?.median_ms)
      lrCell += ` (${(COST.gemm(c) / (ours.median_ms * 1e6)).toFixed(1)} GFLOP/s)`;
    lines.push(
      `| ${c.label} | ${lrCell} | ${cols.map((p) => cell(c.results[p.key], ours?.median_ms ? ours : null)).join(' | ')} |`,
    );
  }
  if (foot.length) {
    lines.push('');
    for (const [i, f] of foot.entries()) lines.push(`[${i + 1}] ${f}`);
  }
  if (pkgCases.length) {
    if (cases.length) lines.push('');
    lines.push(...pkgMarkdown(pkgCases, { fmtMs, fmtRatio }));
  }
  lines.push('');
  lines.push(
    'Versions: ' +
      Object.entries(env.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
  );
  if (env.blas) lines.push(`numpy BLAS: ${env.blas}`);
  if (notes.length) {
    lines.push('', 'Notes:');
    for (const n of notes) lines.push(`- ${n}`);
  }
  return `${lines.join('\n')}\n`;
}

// ------------------------------------------------------------------ main

async function main() {
  if (opts.only?.includes('ssm')) {
    // @lr/ssm has its own script (kernel, FFT convolution, scan vs recurrence; numpy beside)
    const flags = [...(opts.quick ? ['--quick'] : []), ...(opts.python ? [] : ['--no-python'])];
    spawnSync(process.execPath, [join(here, 'ssm.mjs'), ...flags], { stdio: 'inherit' });
    if (opts.only.length === 1) return;
  }
  if (opts.only?.includes('peft')) {
    // @lr/peft: one training step (dense vs LoRA) and Llama tokens/s; no peer
    spawnSync(
      process.execPath,
      [join(here, 'peft.mjs'), ...(opts.quick ? ['--repeats', '3'] : [])],
      {
        stdio: 'inherit',
      },
    );
    if (opts.only.length === 1) return;
  }
  const cases = buildCases();
  const pkgCases = buildPkgCases(opts);
  if (cases.length === 0 && pkgCases.length === 0) {
    console.error('no cases selected');
    process.exit(2);
  }
  const notes = [];
  const lr = await loadLr();
  const ml = opts.mlMatrix
    ? await loadMlMatrix()
    : { error: 'ml-matrix disabled (--no-ml-matrix)' };
  if (ml.error) notes.push(ml.error);
  const libs = { lr, ...(await loadPkgLibs(pkgCases, notes)) };
  const needTf = cases.some((c) => c.op === 'gemm' && c.dtype === 'float32');
  const tfjs = !opts.tfjs
    ? { error: 'tfjs disabled (--no-tfjs)' }
    : needTf
      ? await loadTfjs()
      : { error: null };
  if (tfjs.error) notes.push(tfjs.error);

  const versions = {
    '@lr/core': JSON.parse(readFileSync(join(root, 'packages/core/package.json'), 'utf8')).version,
  };
  // The kernel path lr runs on (ts, wasm or wasm+threads), for the record.
  if (typeof lr.initWasm === 'function') await lr.initWasm();
  if (typeof lr.getBackend === 'function') {
    const b = lr.getBackend();
    versions['lr kernel path'] = `${b.path} (${b.threads} thread${b.threads === 1 ? '' : 's'})`;
  }
  for (const name of [
    ...(ml.error ? [] : ['ml-matrix']),
    ...(tfjs.tf ? ['@tensorflow/tfjs-core'] : []),
  ]) {
    try {
      versions[name] = JSON.parse(
        readFileSync(require.resolve(`${name}/package.json`), 'utf8'),
      ).version;
    } catch {
      /* not installed: already in notes */
    }
  }

  for (const c of cases) {
    log(`${c.label}`);
    c.results = {};
    const lrIn = lrInputs(lr, c);
    const call = lrCall(lr, c, lrIn);
    if (typeof call === 'string') {
      c.results.lr = { skipped: call };
    } else {
      c.results.lr = await measure('lr', c, () => call);
      if (c.results.lr?.median_ms !== undefined) {
        try {
          c.results.lr.check = lrCheck(lr, c, lrIn, call());
        } catch (e) {
          c.results.lr.check = { ok: false, error: NaN, tol: 0, message: e?.message ?? String(e) };
        }
        if (!c.results.lr.check.ok) {
          const ch = c.results.lr.check;
          notes.push(
            `${c.label}: lr's answer failed its check (${ch.message ?? `relative error ${ch.error.toExponential(1)} > ${ch.tol}`})`,
          );
        }
      }
    }
    if (!ml.error) {
      const r = await measure('ml-matrix', c, () => mlCall(ml, c, lrIn));
      if (r) c.results['ml-matrix'] = r;
    }
    if (tfjs.tf) {
      const r = await measure('tfjs-wasm', c, () => tfCall(tfjs.tf, c, lrIn));
      if (r) c.results['tfjs-wasm'] = r;
    }
  }
  if (tfjs.tf) versions['tfjs-wasm'] = tfjs.detail;
  for (const [key, name] of [
    ['recovery', '@lr/recovery'],
    ['clustering', '@lr/clustering-sdp'],
    ['ot', '@lr/ot'],
  ])
    if (libs[key]) versions[name] = libs.versions[name];

  for (const c of pkgCases) {
    log(`${c.label}`);
    c.results = {};
    try {
      const r = await runLrPkg(c, { libs, timeIt, reps: opts.quick ? 1 : 2 });
      if (r.peer) {
        c.results.peer = r.peer;
        delete r.peer;
      }
      c.results.lr = r;
    } catch (e) {
      c.results.lr = { skipped: `${e?.name ?? 'Error'}: ${e?.message ?? e}` };
    }
    if (c.op === 'sdp') c.noPeer = 'none (no SDP solver for Python installed)';
    else if (c.lrOnly) c.noPeer = 'none (numpy ALS is the exact one: see the altmin row)';
  }

  let blas = null;
  if (opts.python) {
    const py = runPython(cases, pkgCases);
    if (py.error) notes.push(py.error);
    else {
      notes.push(...py.notes);
      for (const c of cases) Object.assign(c.results, py.results[c.id] ?? {});
      for (const c of pkgCases) Object.assign(c.results, py.results[c.id] ?? {});
      for (const k of ['python', 'numpy', 'scipy', 'sklearn'])
        if (py.env[k]) versions[k] = py.env[k];
      const b = py.env.blas;
      blas = Array.isArray(b)
        ? b
            .map(
              (x) =>
                `${x.internal_api} ${x.version ?? ''} (${x.num_threads} threads${x.architecture ? `, ${x.architecture}` : ''})`,
            )
            .join('; ')
        : String(b);
    }
  } else notes.push('python peers disabled (--no-python)');

  const cpu = cpus();
  const report = {
    env: {
      date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      node: process.versions.node,
      cpu: cpu[0]?.model?.trim() ?? 'unknown CPU',
      cores: cpu.length,
      quick: opts.quick,
      budget_s: BUDGET_S,
      versions,
      blas,
    },
    notes,
    cases: cases.map(({ id, op, label, m, n, k, q, dtype, results }) => ({
      id,
      op,
      label,
      m,
      n,
      k,
      q,
      dtype,
      results,
    })),
    pkgCases: pkgCases.map(({ id, op, label, results, noPeer }) => ({
      id,
      op,
      label,
      noPeer,
      results,
    })),
  };
  const md = markdown(report);
  const outDir = join(root, 'bench-results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'latest.md'), md);
  writeFileSync(join(outDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : md);
  log(`written to ${join('bench-results', 'latest.md')} and latest.json`);
}

await main();
