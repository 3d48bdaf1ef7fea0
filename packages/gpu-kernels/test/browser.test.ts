// Runs the package in headless Chromium: bundles test/_browserEntry.ts (which imports the
// package's ESM source entry) with esbuild for the browser, serves it from 127.0.0.1 (a
// secure context, so navigator.gpu exists), and runs GEMM, LoRA and attention on
// Chromium's WebGPU (SwiftShader) against the CPU reference inside the page. No skip:
// without Chromium or an adapter this test fails.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../../..', import.meta.url));
const CHROMIUM = process.env.LR_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Flags that give headless Chromium a WebGPU adapter with no GPU (SwiftShader over Vulkan;
 * checked with Chromium 156 on Debian 12). `disable_workgroup_init` skips WGSL's
 * zero-fill of workgroup memory, which SwiftShader compiles very slowly (the tiled GEMM
 * pipeline takes 8–13 s with it, ~1.5 s without); our kernels write every workgroup word
 * before reading it.
 */
const CHROMIUM_WEBGPU_FLAGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--enable-dawn-features=disable_workgroup_init',
  '--no-sandbox',
  '--disable-gpu-sandbox',
  '--headless=new',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** The slice of esbuild's JS API used here (esbuild's own types are not resolvable from this package). */
interface EsbuildApi {
  build(options: {
    entryPoints: string[];
    bundle: boolean;
    format: 'esm';
    platform: 'browser';
    target: string;
    write: false;
    logLevel: 'silent';
    plugins: {
      name: string;
      setup(b: {
        onResolve(o: { filter: RegExp }, cb: (a: { path: string }) => { path: string }): void;
      }): void;
    }[];
  }): Promise<{ outputFiles: { text: string }[] }>;
}

/** esbuild is not a direct dependency: take the copy tsup (a root devDependency) uses. */
function loadEsbuild(): EsbuildApi {
  const req = createRequire(import.meta.url);
  const fromTsup = createRequire(req.resolve('tsup/package.json'));
  return fromTsup('esbuild') as EsbuildApi;
}

async function bundle(): Promise<string> {
  const esbuild = loadEsbuild();
  const out = await esbuild.build({
    entryPoints: [`${here}_browserEntry.ts`],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    plugins: [
      {
        // Workspace packages resolve to their sources, as in vitest.config.ts.
        name: 'lr-sources',
        setup(b) {
          b.onResolve({ filter: /^@lr\/[a-z-]+$/ }, (a) => ({
            path: `${root}packages/${a.path.slice(4)}/src/index.ts`,
          }));
        },
      },
    ],
  });
  return out.outputFiles[0]!.text;
}

let server: Server | null = null;
afterAll(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

describe('in headless Chromium (WebGPU on SwiftShader)', () => {
  it('runs GEMM, LoRA and attention in a page and matches the CPU reference', async () => {
    expect(
      existsSync(CHROMIUM),
      `Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`,
    ).toBe(true);
    const js = await bundle();
    expect(js).not.toMatch(/from\s*["']webgpu["']/); // the Node-only package stays out
    const html =
      '<!doctype html><meta charset="utf-8"><title>lr gpu</title><script type="module" src="/bundle.js"></script>';
    server = createServer((req, res) => {
      if (req.url === '/bundle.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        res.end(js);
      } else {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(html);
      }
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_WEBGPU_FLAGS,
      timeout: 30_000,
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.waitForFunction(() => 'runChecks' in globalThis, undefined, { timeout: 15_000 });
      const report = await page.evaluate(() =>
        (globalThis as unknown as { runChecks: () => Promise<unknown> }).runChecks(),
      );
      const r = report as {
        adapter: string;
        source: string;
        results: { name: string; ok: boolean; worst: number; detail: string }[];
      };
      console.info(
        `[gpu-kernels] browser adapter: ${r.adapter}; ${r.results.map((x) => `${x.name}: ${x.ok ? 'ok' : 'FAIL'} (worst ${x.worst.toExponential(2)} of tol)`).join('; ')}`,
      );
      expect(errors).toEqual([]);
      expect(r.source).toBe('navigator');
      expect(r.results.length).toBe(5);
      for (const x of r.results) expect(x, `${x.name}: ${x.detail}`).toMatchObject({ ok: true });
    } finally {
      await browser.close();
    }
  }, 60_000);
});
