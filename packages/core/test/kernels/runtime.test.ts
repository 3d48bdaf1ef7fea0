// The runtime API (setBackend, getBackend, setThreads, initWasm) and its fallbacks: no
// WebAssembly, no SIMD, and a host that refuses synchronous compilation (a browser's main
// thread), each in a fresh copy of the package.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  getBackend,
  getThreads,
  InvalidArgumentError,
  type LrError,
  matmul,
  randn,
  setBackend,
  setThreads,
} from '@lr/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeBase64 } from '../../src/runtime/_base64.js';
import { HOSTILE_NUMBERS } from '../helpers';
import { boundRatio, reference, resetBackend } from './_paths';

afterEach(() => {
  resetBackend();
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('setBackend / getBackend', () => {
  it('defaults to auto with WebAssembly SIMD in Node, threads on a multi-core machine', () => {
    const info = getBackend();
    expect(info.backend).toBe('auto');
    expect(info.simd).toBe(true);
    expect(info.threads).toBe(getThreads());
    expect(info.path).toBe(getThreads() > 1 ? 'wasm+threads' : 'wasm');
    expect(info.reason).toBe('');
  });

  it('reports each choice', () => {
    setBackend('ts');
    expect(getBackend()).toMatchObject({ backend: 'ts', path: 'ts', threads: 1, simd: true });
    setBackend('wasm');
    setThreads(1);
    expect(getBackend()).toMatchObject({ backend: 'wasm', path: 'wasm', threads: 1 });
    setThreads(3);
    expect(getBackend()).toMatchObject({ path: 'wasm+threads', threads: 3 });
  });

  it('rejects unknown backends with INVALID_ARGUMENT, naming the argument', () => {
    for (const bad of ['WASM', 'gpu', '', 1, null, undefined, {}]) {
      let err: unknown;
      try {
        setBackend(bad as never);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InvalidArgumentError);
      expect((err as LrError).message).toMatch(/^backend: expected one of 'auto', 'ts', 'wasm'/);
    }
    expect(getBackend().backend).toBe('auto');
  });
});

describe('setThreads / getThreads', () => {
  it("defaults to the machine's logical cores, and setThreads() restores that", () => {
    expect(getThreads()).toBe(availableParallelism());
    setThreads(5);
    expect(getThreads()).toBe(5);
    setThreads();
    expect(getThreads()).toBe(availableParallelism());
  });

  it('rejects anything but an integer in [1, 256]', () => {
    for (const bad of [...HOSTILE_NUMBERS.filter((v) => v !== undefined), 0, 257, 2 ** 40]) {
      expect(() => setThreads(bad as number), String(bad)).toThrow(InvalidArgumentError);
    }
    expect(getThreads()).toBe(availableParallelism());
  });
});

describe('fallback to TypeScript', () => {
  // A fresh copy of the package (its own module state) under a modified global.
  async function freshCore(): Promise<typeof import('@lr/core')> {
    vi.resetModules();
    return import('@lr/core');
  }

  function checkProduct(lr: typeof import('@lr/core')): void {
    const A = lr.randn(40, 30, { seed: 1 });
    const B = lr.randn(30, 20, { seed: 2 });
    const C = lr.matmul(A, B);
    expect(boundRatio(C, reference(A, B, 1, 0, C), 30, 'float64')).toBeLessThan(1);
  }

  it('without WebAssembly: silently TypeScript; setBackend("wasm") is UNSUPPORTED', async () => {
    vi.stubGlobal('WebAssembly', undefined);
    const lr = await freshCore();
    checkProduct(lr);
    expect(lr.getBackend()).toMatchObject({ path: 'ts', simd: false, threads: 1 });
    expect(lr.getBackend().reason).toMatch(/WebAssembly is not available/);
    let err: unknown;
    try {
      lr.setBackend('wasm');
    } catch (e) {
      err = e;
    }
    // the fresh copy has its own error classes: check by code and name
    expect((err as LrError).code).toBe('UNSUPPORTED');
    expect((err as Error).name).toBe('UnsupportedError');
    expect((await lr.initWasm()).path).toBe('ts');
  });

  it('without SIMD (the module does not validate): silently TypeScript', async () => {
    vi.stubGlobal(
      'WebAssembly',
      Object.create(WebAssembly, { validate: { value: () => false } }) as typeof WebAssembly,
    );
    const lr = await freshCore();
    checkProduct(lr);
    expect(lr.getBackend()).toMatchObject({ path: 'ts', simd: false });
    expect(lr.getBackend().reason).toMatch(/SIMD/);
  });

  it('where synchronous compilation is refused: TypeScript until initWasm() resolves', async () => {
    let refused = 0;
    const NoSyncModule = function Module() {
      refused++;
      throw new RangeError('WebAssembly.Compile is disallowed on the main thread');
    } as unknown as typeof WebAssembly.Module;
    vi.stubGlobal(
      'WebAssembly',
      Object.create(WebAssembly, { Module: { value: NoSyncModule } }) as typeof WebAssembly,
    );
    const lr = await freshCore();
    checkProduct(lr);
    expect(refused).toBe(1);
    expect(lr.getBackend().simd).toBe(false);
    expect(() => lr.setBackend('wasm')).toThrow(/initWasm/);
    const info = await lr.initWasm();
    expect(info.simd).toBe(true);
    expect(info.path).not.toBe('ts');
    lr.setBackend('wasm');
    checkProduct(lr);
  });
});

describe('one thread where workers are not reachable', () => {
  it('without process.getBuiltinModule (Node < 20.16): silently one thread', async () => {
    const p = process as { getBuiltinModule?: unknown };
    const original = p.getBuiltinModule;
    p.getBuiltinModule = undefined;
    try {
      vi.resetModules();
      const lr = await import('@lr/core');
      lr.setThreads(4);
      expect(lr.getBackend()).toMatchObject({ path: 'wasm', threads: 1, simd: true });
      lr.setBackend('wasm');
      const A = lr.randn(130, 120, { seed: 1 });
      const B = lr.randn(120, 140, { seed: 2 });
      const C = lr.matmul(A, B);
      expect(boundRatio(C, reference(A, B, 1, 0, C), 120, 'float64')).toBeLessThan(1);
    } finally {
      p.getBuiltinModule = original;
    }
  });
});

describe('a worker that cannot start', () => {
  it('leaves GEMM on the calling thread, and is not retried on every call', async () => {
    const p = process as { getBuiltinModule?: (id: string) => unknown };
    const original = p.getBuiltinModule!;
    let attempts = 0;
    p.getBuiltinModule = (id: string) =>
      id === 'node:worker_threads'
        ? {
            Worker: function Worker() {
              attempts++;
              throw new Error('worker creation refused');
            },
          }
        : original.call(process, id);
    try {
      vi.resetModules();
      const lr = await import('@lr/core');
      lr.setThreads(3);
      lr.setBackend('wasm');
      const A = lr.randn(150, 140, { seed: 1 });
      const B = lr.randn(140, 160, { seed: 2 });
      for (let r = 0; r < 3; r++) {
        const C = lr.matmul(A, B);
        expect(boundRatio(C, reference(A, B, 1, 0, C), 140, 'float64')).toBeLessThan(1);
      }
      expect(attempts).toBe(1);
    } finally {
      p.getBuiltinModule = original;
    }
  });
});

describe('the embedded module', () => {
  it('decodeBase64 agrees with Buffer on every length modulo 3', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 13) & 255);
      const b64 = Buffer.from(bytes).toString('base64');
      expect(Array.from(decodeBase64(b64)), `length ${n}`).toEqual(Array.from(bytes));
      expect(Array.from(decodeBase64(b64.replace(/=+$/, ''))), `unpadded ${n}`).toEqual(
        Array.from(bytes),
      );
    }
  });

  const dist = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
  it.skipIf(!existsSync(dist))(
    'the built package multiplies on worker threads and its process still exits by itself',
    () => {
      const script = `
        import * as lr from ${JSON.stringify(dist)};
        lr.setThreads(2);
        const A = lr.randn(400, 400, { seed: 1 });
        const C = lr.matmul(A, A);
        if (!Number.isFinite(C.get(7, 9))) throw new Error('bad product');
        console.log(JSON.stringify(lr.getBackend()));
      `;
      const started = Date.now();
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout.trim())).toMatchObject({ path: 'wasm+threads', threads: 2 });
      expect(Date.now() - started).toBeLessThan(15_000);
    },
  );
});

it('matmul still works after all of the above', () => {
  const A = randn(50, 50, { seed: 9 });
  const C = matmul(A, A);
  expect(boundRatio(C, reference(A, A, 1, 0, C), 50, 'float64')).toBeLessThan(1);
});
