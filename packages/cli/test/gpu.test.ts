import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UnsupportedError } from '@lr/core';
import { afterEach, describe, expect, it } from 'vitest';
import { _setGpuOpener, SWIFTSHADER_ICD } from '../src/commands/gpu.js';
import { gpuSection } from '../src/report/sections/gpu.js';
import { isOneLineError, run, tempDir } from './helpers.js';

// Dawn reads VK_ICD_FILENAMES from the process environment: use SwiftShader when the
// runner has not chosen a driver (CI exports it; Debian's chromium package ships it).
if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) {
  process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
}

afterEach(() => _setGpuOpener(null));

describe('lr gpu info', () => {
  it('--json: adapter, features and limits (fails without an adapter: no skip)', async () => {
    const r = await run(['gpu', 'info', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual([
      'adapter',
      'source',
      'swiftshader',
      'features',
      'adapterFeatures',
      'limits',
    ]);
    expect(out.source).toBe('webgpu-package');
    const limits = out.limits as Record<string, number>;
    expect(limits.maxComputeWorkgroupsPerDimension).toBeGreaterThanOrEqual(65535);
    expect(Object.keys(out.adapter as object)).toEqual([
      'vendor',
      'architecture',
      'device',
      'description',
      'isFallbackAdapter',
    ]);
  });

  it('prints a readable summary', async () => {
    const r = await run(['gpu', 'info']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^adapter: /);
    expect(r.stdout).toMatch(/maxComputeWorkgroupsPerDimension\s+65,535/);
  });

  it('exits 2 with one line when there is no adapter', async () => {
    _setGpuOpener(async () => {
      throw new UnsupportedError('no WebGPU adapter: requestAdapter returned null');
    });
    const saved = process.env.VK_ICD_FILENAMES;
    process.env.VK_ICD_FILENAMES = saved ?? '/nonexistent.json'; // no SwiftShader fallback
    try {
      const r = await run(['gpu', 'info']);
      expect(isOneLineError(r)).toBe(true);
      expect(r.stderr).toMatch(/no WebGPU adapter/);
    } finally {
      if (saved === undefined) delete process.env.VK_ICD_FILENAMES;
      else process.env.VK_ICD_FILENAMES = saved;
    }
  });
});

describe('lr bench gpu-gemm gpu-bitmm', () => {
  it('--json adds a gpu array: f32 GEMM vs CPU, bit-serial at 1, 2, 4, 8 bits vs f32 GEMM', async () => {
    const r = await run(['bench', 'gpu-gemm', 'gpu-bitmm', '--size', '40', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { results: unknown[]; gpu: Record<string, unknown>[] };
    expect(out.results).toEqual([]);
    expect(out.gpu.map((g) => `${g.name}:${g.variant}`)).toEqual([
      'gpu-gemm:f32',
      'gpu-bitmm:int1',
      'gpu-bitmm:int2',
      'gpu-bitmm:int4',
      'gpu-bitmm:int8',
    ]);
    for (const g of out.gpu) {
      expect(g.size).toBe(40);
      expect(g.seconds as number).toBeGreaterThan(0);
      expect(g.gflops).toBeCloseTo((2 * 40 ** 3) / (g.seconds as number) / 1e9, 9);
      expect(g.speedup).toBeCloseTo((g.baselineSeconds as number) / (g.seconds as number), 9);
    }
  });

  it('mixes with CPU benchmarks in the text output', async () => {
    const r = await run(['bench', 'gemm', 'gpu-gemm', '--size', '16']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^name\s+size\s+dtype/);
    expect(r.stdout).toMatch(/\nGPU: .+\n/);
    expect(r.stdout).toMatch(/gpu-gemm\s+16×16\s+f32/);
    const bad = await run(['bench', 'gpu-nope']);
    expect(isOneLineError(bad)).toBe(true);
  });
});

describe('tour section', () => {
  it('shows the adapter and the measured table when there is one', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const r = await run(['tour', '--sections', 'gpu'], { cwd: dir });
      expect(r.code).toBe(0);
      const html = readFileSync(join(dir, 'lr-report', 'index.html'), 'utf8');
      expect(html).toContain('<section id="gpu">');
      expect(html).toMatch(/<p>Adapter: /);
      for (const v of ['f32', 'int1', 'int2', 'int4', 'int8'])
        expect(html).toContain(`<td>${v}</td>`);
    } finally {
      cleanup();
    }
  });

  it('says in one line that no adapter was found', async () => {
    _setGpuOpener(async () => {
      throw new UnsupportedError('no WebGPU adapter: requestAdapter returned null');
    });
    const said: string[] = [];
    const html = await gpuSection.render({
      say: (l: string) => said.push(l),
      time: <T>(_l: string, f: () => T) => f(),
    } as never);
    expect(html).toMatch(/^<p>No WebGPU adapter was found on this machine/);
    expect(html.split('\n')).toHaveLength(1);
    expect(said).toEqual([]);
  });
});
