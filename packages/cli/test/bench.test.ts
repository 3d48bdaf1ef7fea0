import { describe, expect, it } from 'vitest';
import { BENCHMARK_NAMES, runBenchmark } from '../src/commands/bench.js';
import { isOneLineError, run } from './helpers.js';

describe('lr bench', () => {
  it('--json: one result per name with the documented keys', async () => {
    const r = await run(['bench', 'gemm', 'qr', 'svd', 'eigh', 'rsvd', '--size', '12', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { results: Record<string, unknown>[] };
    expect(Object.keys(out)).toEqual(['results']);
    expect(out.results.map((x) => x.name)).toEqual(['gemm', 'qr', 'svd', 'eigh', 'rsvd']);
    for (const x of out.results) {
      expect(Object.keys(x)).toEqual(['name', 'size', 'dtype', 'seconds', 'gflops', 'path']);
      expect(['ts', 'wasm', 'wasm+threads']).toContain(x.path);
      expect(x.size).toBe(12);
      expect(x.dtype).toBe('float64');
      expect(x.seconds).toBeGreaterThan(0);
    }
    const g = out.results[0]!;
    expect(g.gflops).toBeCloseTo((2 * 12 ** 3) / (g.seconds as number) / 1e9, 12);
    const q = out.results[1]!;
    expect(q.gflops).toBeCloseTo(((4 / 3) * 12 ** 3) / (q.seconds as number) / 1e9, 12);
    expect(out.results.slice(2).map((x) => x.gflops)).toEqual([null, null, null]);
  });

  it('all, float32 and the text table', async () => {
    const r = await run(['bench', 'all', '--size', '8', '--dtype', 'float32']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^name\s+size\s+dtype\s+path\s+time\s+GFLOP\/s$/);
    expect(lines).toHaveLength(2 + BENCHMARK_NAMES.length);
    expect(lines[2]).toMatch(/^gemm\s+8×8\s+float32\s+\S+\s+[\d.]+ [µm]?s\s+[\d.]+$/);
    expect(lines[4]).toMatch(/^svd .* –$/);
  });

  it('--path pins the kernel path and reports it', async () => {
    for (const path of ['ts', 'wasm'] as const) {
      const r = await run(['bench', 'gemm', '--size', '40', '--path', path, '--json']);
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as { results: { path: string }[] };
      expect(out.results[0]!.path).toBe(path);
    }
    const bad = await run(['bench', 'gemm', '--path', 'gpu']);
    expect(isOneLineError(bad)).toBe(true);
    await run(['bench', 'gemm', '--size', '4', '--path', 'auto', '--json']);
  });

  it('runBenchmark: median of the timed runs within the budget', () => {
    let runs = 0;
    const r = runBenchmark('gemm', 16, 'float64', { maxRuns: 3, onRun: () => void runs++ });
    expect(runs).toBe(4); // warm-up + 3
    expect(r.seconds).toBeGreaterThan(0);
    // a zero budget still times one run after the warm-up
    runs = 0;
    runBenchmark('qr', 16, 'float64', { budgetSeconds: 0, onRun: () => void runs++ });
    expect(runs).toBe(2);
  });

  it('progress goes to stderr only when it is a terminal', async () => {
    const tty = await run(['bench', 'gemm', '--size', '8', '--json'], { tty: true });
    expect(tty.stderr).toContain('bench gemm 8×8');
    expect(tty.stderr.endsWith('\r\x1b[K')).toBe(true);
    expect(JSON.parse(tty.stdout).results).toHaveLength(1);
    const piped = await run(['bench', 'gemm', '--size', '8', '--json']);
    expect(piped.stderr).toBe('');
  });

  it.each([
    [['bench', 'fft'], /unknown benchmark 'fft'/],
    [['bench', 'gemm', '--size', '0'], /--size <n>' argument '0' is invalid/],
    [['bench', 'gemm', '--size', '4097'], /--size 4097 exceeds the maximum 4096/],
    [['bench', 'all', '--size', '99999999999'], /--size 99999999999 exceeds the maximum 4096/],
    [['bench', 'gemm', '--dtype', 'float16'], /expected one of float64, float32/],
    [['bench'], /missing required argument 'name'/],
  ])('%j → exit 2', async (argv, re) => {
    const r = await run(argv as string[]);
    expect(isOneLineError(r), r.stderr).toBe(true);
    expect(r.stderr).toMatch(re as RegExp);
  });
});
