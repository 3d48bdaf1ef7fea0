import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Matrix, Tensor, writeNpy } from '@lr/core';
import { costMatrix, sinkhorn, sinkhornGrid } from '@lr/ot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { marginalError } from '../src/commands/ot.js';
import { isOneLineError, run, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => void;
const n = 30;
let a: Float64Array;
let b: Float64Array;
let M: Matrix;
let imgA: Matrix;
let imgB: Matrix;

function hist(f: (i: number) => number, len: number): Float64Array {
  const v = Float64Array.from({ length: len }, (_, i) => f(i));
  const s = v.reduce((x, y) => x + y, 0);
  return v.map((x) => x / s);
}

beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  a = hist((i) => Math.exp(-(((i / (n - 1) - 0.3) / 0.1) ** 2)), n);
  b = hist((i) => 0.2 + Math.exp(-(((i / (n - 1) - 0.7) / 0.15) ** 2)), n);
  const x = new Matrix(new Float64Array(n), n, 1);
  for (let i = 0; i < n; i++) x.set(i, 0, i / (n - 1));
  M = costMatrix(x, x);
  writeFileSync(join(dir, 'a.npy'), writeNpy(new Tensor(a, [n])));
  writeFileSync(join(dir, 'b.npy'), writeNpy(new Tensor(b, [n])));
  writeFileSync(join(dir, 'C.npy'), writeNpy(M));
  writeFileSync(join(dir, 'short.npy'), writeNpy(new Tensor(a.slice(0, n - 1), [n - 1])));
  writeFileSync(
    join(dir, 'neg.npy'),
    writeNpy(
      new Tensor(
        a.map((v, i) => (i === 3 ? -v : v)),
        [n],
      ),
    ),
  );
  writeFileSync(
    join(dir, 'b2.npy'),
    writeNpy(
      new Tensor(
        b.map((v) => 2 * v),
        [n],
      ),
    ),
  );
  const h = 6;
  const w = 7;
  imgA = Matrix.fromData(
    hist((k) => ((k % w) + Math.floor(k / w) < 4 ? 1 : 0.01), h * w),
    h,
    w,
  );
  imgB = Matrix.fromData(
    hist((k) => (k % w > 3 && Math.floor(k / w) > 2 ? 1 : 0.02), h * w),
    h,
    w,
  );
  writeFileSync(join(dir, 'imgA.npy'), writeNpy(imgA));
  writeFileSync(join(dir, 'imgB.npy'), writeNpy(imgB));
});
afterAll(() => cleanup());

describe('marginalError', () => {
  it('is ‖P1 − a‖₂ + ‖Pᵀ1 − b‖₂', () => {
    const P = Matrix.from([
      [0.5, 0],
      [0, 0.25],
    ]);
    // rows sum to (0.5, 0.25) vs a = (0.5, 0.5): 0.25; columns same vs b = (0.25, 0.25): 0.25
    expect(marginalError(P, [0.5, 0.5], [0.25, 0.25])).toBeCloseTo(0.5, 15);
  });
});

describe('lr ot', () => {
  it('--cost --json: the cost is @lr/ot sinkhorn’s for the same input', async () => {
    const r = await run(
      ['ot', '--a', 'a.npy', '--b', 'b.npy', '--cost', 'C.npy', '--reg', '0.05', '--json'],
      { cwd: dir },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j).slice(0, 4)).toEqual(['cost', 'iterations', 'marginalError', 'seconds']);
    const ref = sinkhorn(a, b, M, { reg: 0.05 });
    expect(j.cost).toBe(ref.cost);
    expect(j.iterations).toBe(ref.iterations);
    expect(j.converged).toBe(true);
    expect(j.marginalError).toBeLessThan(1e-8);
    expect(j.marginalError).toBeCloseTo(marginalError(ref.plan, a, b), 15);
  });

  it('--method sns agrees with Sinkhorn on the cost and converges to 1e-8', async () => {
    const s = JSON.parse(
      (
        await run(
          ['ot', '--a', 'a.npy', '--b', 'b.npy', '--cost', 'C.npy', '--reg', '0.01', '--json'],
          { cwd: dir },
        )
      ).stdout,
    );
    const r = await run(
      [
        'ot',
        '--a',
        'a.npy',
        '--b',
        'b.npy',
        '--cost',
        'C.npy',
        '--reg',
        '0.01',
        '--method',
        'sns',
        '--json',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.method).toBe('sns');
    expect(j.converged).toBe(true);
    expect(j.marginalError).toBeLessThan(1e-8);
    expect(Math.abs(j.cost - s.cost) / s.cost).toBeLessThan(1e-6);
    const t = await run(
      ['ot', '--a', 'a.npy', '--b', 'b.npy', '--cost', 'C.npy', '--reg', '0.01', '--method', 'sns'],
      { cwd: dir },
    );
    expect(t.stdout).toMatch(/^sns, reg 0\.01, 30×30 cost: converged\ncost {13}\d/);
    expect(t.stdout).toMatch(/marginal error {3}\d\.\d\de-\d+/);
  });

  it('--grid: images, the cost of sinkhornGrid', async () => {
    const r = await run(
      ['ot', '--a', 'imgA.npy', '--b', 'imgB.npy', '--grid', '--reg', '0.05', '--json'],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    const ref = sinkhornGrid(imgA, imgB, { reg: 0.05 });
    expect(j.cost).toBe(ref.cost);
    expect(j.iterations).toBe(ref.iterations);
    expect(j.marginalError).toBeLessThan(1e-6);
  });

  it('unequal masses are an error unless --normalize', async () => {
    const bad = await run(
      ['ot', '--a', 'a.npy', '--b', 'b2.npy', '--cost', 'C.npy', '--reg', '0.05'],
      { cwd: dir },
    );
    expect(isOneLineError(bad)).toBe(true);
    // the error names the histograms, not the cost file
    expect(bad.stderr).toMatch(/--a a\.npy and --b b2\.npy: INVALID_ARGUMENT/);
    expect(bad.stderr).not.toMatch(/C\.npy/);
    const ok = await run(
      [
        'ot',
        '--a',
        'a.npy',
        '--b',
        'b2.npy',
        '--cost',
        'C.npy',
        '--reg',
        '0.05',
        '--normalize',
        '--json',
      ],
      { cwd: dir },
    );
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).cost).toBe(sinkhorn(a, b, M, { reg: 0.05 }).cost);
  });

  it('a bad --a or --b is reported against that option and file', async () => {
    const cost = ['--cost', 'C.npy', '--reg', '0.1'];
    const short = await run(['ot', '--a', 'a.npy', '--b', 'short.npy', ...cost], { cwd: dir });
    expect(isOneLineError(short)).toBe(true);
    expect(short.stderr).toMatch(/^lr: ot: --b short\.npy: SHAPE_MISMATCH/);
    const neg = await run(['ot', '--a', 'neg.npy', '--b', 'b.npy', ...cost, '--method', 'sns'], {
      cwd: dir,
    });
    expect(isOneLineError(neg)).toBe(true);
    expect(neg.stderr).toMatch(/^lr: ot: --a neg\.npy: INVALID_ARGUMENT/);
  });

  it('bad input and usage: exit 2 with one line', async () => {
    const cases = [
      ['ot', '--a', 'a.npy', '--b', 'b.npy', '--reg', '0.1'],
      ['ot', '--a', 'a.npy', '--b', 'b.npy', '--cost', 'C.npy', '--grid', '--reg', '0.1'],
      ['ot', '--a', 'a.npy', '--b', 'b.npy', '--cost', 'C.npy'],
      ['ot', '--a', 'a.npy', '--b', 'b.npy', '--cost', 'C.npy', '--reg', '-1'],
      ['ot', '--a', 'a.npy', '--b', 'b.npy', '--cost', 'C.npy', '--reg', '0.1', '--method', 'emd'],
      ['ot', '--a', 'a.npy', '--b', 'b.npy', '--grid', '--reg', '0.1'],
      ['ot', '--a', 'imgA.npy', '--b', 'imgB.npy', '--grid', '--reg', '0.1', '--method', 'sns'],
      ['ot', '--a', 'imgA.npy', '--b', 'b.npy', '--cost', 'C.npy', '--reg', '0.1'],
      ['ot', '--a', 'missing.npy', '--b', 'b.npy', '--cost', 'C.npy', '--reg', '0.1'],
      ['ot', '--a', 'a.npy', '--b', 'b.npy', '--cost', 'a.npy', '--reg', '0.1'],
    ];
    for (const argv of cases) {
      const r = await run(argv, { cwd: dir });
      expect(isOneLineError(r), `${argv.join(' ')}: ${r.stderr}`).toBe(true);
      expect(r.stderr).toMatch(/^lr: ot: /);
    }
  });
});
