#!/usr/bin/env node
// Browser smoke test of the WebAssembly runtime: bundles @lr/core's sources for the browser
// (esbuild, as installed for tsup), serves them twice — cross-origin isolated (COOP/COEP
// headers: SharedArrayBuffer and Web Workers available) and plain — and runs each page in
// headless Chromium. Checks that the WebAssembly result equals the TypeScript one within
// rounding, that the isolated page runs GEMM chunks on Web Workers ('wasm+threads') and the
// plain page falls back to one thread ('wasm'), silently.
//
//   node scripts/browser-smoke.mjs [--chromium /usr/bin/chromium]
// Exits 0 when both pages pass, 1 on a failure, 0 with a notice when Chromium is missing.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = resolve(fileURLToPath(new URL('..', import.meta.url)));
const argv = process.argv.slice(2);
const chromium = argv[argv.indexOf('--chromium') + 1] ?? 'chromium';
if (argv.indexOf('--chromium') < 0 && spawnSync('which', ['chromium']).status !== 0) {
  console.log('browser-smoke: no chromium on PATH; skipped');
  process.exit(0);
}

const require = createRequire(import.meta.url);
const esbuild = createRequire(require.resolve('tsup')).resolve('esbuild');
const { build } = await import(esbuild);

const dir = mkdtempSync(join(tmpdir(), 'lr-browser-'));
const entry = join(dir, 'entry.js');
writeFileSync(
  entry,
  `import * as lr from ${JSON.stringify(join(pkg, 'src/index.ts'))};
import { getEngine } from ${JSON.stringify(join(pkg, 'src/runtime/_engine.ts'))};
import { workerChunks } from ${JSON.stringify(join(pkg, 'src/runtime/_pool.ts'))};
const out = { isolated: globalThis.crossOriginIsolated === true };
try {
  out.init = await lr.initWasm();
  const A = lr.randn(300, 280, { seed: 1 });
  const B = lr.randn(280, 310, { seed: 2 });
  lr.setBackend('ts');
  const ref = lr.matmul(A, B);
  lr.setBackend('wasm');
  const chunks = getEngine().shared ? workerChunks(getEngine()) : 0;
  let diff = 0;
  for (let r = 0; r < 10; r++) {
    const C = lr.matmul(A, B);
    for (let i = 0; i < C.data.length; i++) diff = Math.max(diff, Math.abs(C.data[i] - ref.data[i]));
  }
  out.maxDiff = diff;
  out.workerChunks = (getEngine().shared ? workerChunks(getEngine()) : 0) - chunks;
  out.backend = lr.getBackend();
} catch (e) {
  out.error = String((e && e.stack) || e);
}
await fetch('/result', { method: 'POST', body: JSON.stringify(out) });
`,
);
await build({
  entryPoints: [entry],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  outfile: join(dir, 'bundle.js'),
  nodePaths: [join(pkg, 'node_modules')],
  logLevel: 'warning',
});
const bundle = join(dir, 'bundle.js');

function runPage(isolated) {
  return new Promise((done) => {
    const headers = isolated
      ? {
          'Cross-Origin-Opener-Policy': 'same-origin',
          'Cross-Origin-Embedder-Policy': 'require-corp',
        }
      : {};
    let chrome;
    const timer = setTimeout(() => finish({ error: 'timed out after 60 s' }), 60_000);
    const finish = (result) => {
      clearTimeout(timer);
      server.close();
      // Let Chromium exit before its profile directory is removed.
      if (chrome && chrome.exitCode === null) {
        chrome.once('exit', () => done(result));
        chrome.kill();
      } else done(result);
    };
    const server = http.createServer(async (req, res) => {
      if (req.url === '/result') {
        let body = '';
        for await (const chunk of req) body += chunk;
        res.end('ok');
        finish(JSON.parse(body));
      } else if (req.url === '/bundle.js') {
        res.writeHead(200, { ...headers, 'Content-Type': 'text/javascript' });
        res.end(await import('node:fs').then((fs) => fs.readFileSync(bundle)));
      } else {
        res.writeHead(200, { ...headers, 'Content-Type': 'text/html' });
        res.end('<!doctype html><script type="module" src="/bundle.js"></script>');
      }
    });
    server.listen(0, '127.0.0.1', () => {
      const url = `http://127.0.0.1:${server.address().port}/`;
      chrome = spawn(
        chromium,
        [
          '--headless=new',
          '--no-sandbox',
          '--disable-gpu',
          `--user-data-dir=${join(dir, `profile-${isolated}`)}`,
          url,
        ],
        { stdio: 'ignore' },
      );
    });
  });
}

let failed = false;
for (const isolated of [true, false]) {
  const r = await runPage(isolated);
  const want = isolated ? 'wasm+threads' : 'wasm';
  const problems = [];
  if (r.error) problems.push(r.error);
  else {
    if (r.isolated !== isolated) problems.push(`crossOriginIsolated is ${r.isolated}`);
    if (r.backend?.path !== want) problems.push(`path ${r.backend?.path}, expected ${want}`);
    if (!(r.maxDiff <= 1e-10)) problems.push(`max |wasm − ts| = ${r.maxDiff}`);
    if (isolated && !(r.workerChunks > 0)) problems.push('no chunk ran on a Web Worker');
  }
  failed ||= problems.length > 0;
  console.log(
    `${isolated ? 'isolated' : 'plain   '} ${problems.length ? 'FAIL' : 'ok  '} ${JSON.stringify({
      path: r.backend?.path,
      threads: r.backend?.threads,
      maxDiff: r.maxDiff,
      workerChunks: r.workerChunks,
    })}${problems.length ? `\n  ${problems.join('\n  ')}` : ''}`,
  );
}
try {
  rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
} catch {
  console.log(`browser-smoke: could not remove ${dir}`);
}
process.exit(failed ? 1 : 0);
