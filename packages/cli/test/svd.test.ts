import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  decodeSafetensor,
  Matrix,
  matmul,
  randn,
  readSafetensors,
  svd,
  svdReconstruct,
  Tensor,
  writeMatrixMarket,
  writeNpy,
  writeSafetensors,
} from '@lr/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOneLineError, run, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => {
  ({ dir, cleanup } = tempDir());
});
afterAll(() => cleanup());

const M = randn(30, 20, { seed: 1 });
function npyFile(name: string, t: Tensor = M): string {
  const p = join(dir, name);
  writeFileSync(p, writeNpy(t));
  return p;
}

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++)
    d = Math.max(d, Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), 1e-300));
  return d;
}

function frobRel(A: Matrix, B: Matrix): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < A.rows; i++) {
    for (let j = 0; j < A.cols; j++) {
      num += (A.get(i, j) - B.get(i, j)) ** 2;
      den += A.get(i, j) ** 2;
    }
  }
  return Math.sqrt(num / den);
}

async function svdJson(args: string[]): Promise<{ singularValues: number[]; seconds: number }> {
  const r = await run(['svd', ...args, '--json'], { cwd: dir });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout);
  expect(Object.keys(out)).toEqual(['singularValues', 'seconds']);
  expect(out.seconds).toBeGreaterThanOrEqual(0);
  return out;
}

describe('lr svd --json', () => {
  it('matches core svd of the same matrix', async () => {
    const p = npyFile('m.npy');
    const out = await svdJson([p]);
    const ref = svd(M, { valuesOnly: true }).S;
    expect(out.singularValues).toHaveLength(20);
    expect(maxRelDiff(out.singularValues, ref)).toBeLessThan(1e-12);
  });

  it('--rank keeps the k largest', async () => {
    const out = await svdJson([npyFile('m.npy'), '--rank', '5']);
    expect(maxRelDiff(out.singularValues, svd(M).S.subarray(0, 5))).toBeLessThan(1e-12);
  });

  it('reads .mtx, .csv and float32 .safetensors tensors', async () => {
    const mtx = join(dir, 'm.mtx');
    writeFileSync(mtx, writeMatrixMarket(M));
    const csv = join(dir, 'm.csv');
    writeFileSync(
      csv,
      `${Array.from({ length: 20 }, (_, j) => `c${j}`).join(',')}\n${M.toArray()
        .map((r) => r.join(','))
        .join('\n')}\n`,
    );
    for (const p of [mtx, csv]) {
      expect(maxRelDiff((await svdJson([p])).singularValues, svd(M).S)).toBeLessThan(1e-12);
    }
    const st = join(dir, 'w.safetensors');
    const W = M.astype('float32');
    writeFileSync(st, writeSafetensors({ w: W, other: randn(2, 2) }));
    const out = await svdJson([st, '--tensor', 'w']);
    expect(maxRelDiff(out.singularValues, svd(W).S)).toBeLessThan(1e-12);
  });

  it('reshapes an N-d tensor to (first dim, rest)', async () => {
    const T = new Tensor(randn(4, 15, { seed: 2 }).data, [4, 3, 5]);
    const out = await svdJson([npyFile('t3.npy', T)]);
    expect(maxRelDiff(out.singularValues, svd(Matrix.fromData(T.data, 4, 15)).S)).toBeLessThan(
      1e-12,
    );
  });

  it('--method randomized with --seed is deterministic and close to exact on a low-rank matrix', async () => {
    const L = matmul(randn(40, 6, { seed: 3 }), randn(6, 25, { seed: 4 }));
    const p = npyFile('low.npy', L);
    const args = [p, '--method', 'randomized', '--rank', '4', '--seed', '7'];
    const a = await svdJson(args);
    const b = await svdJson(args);
    expect(a.singularValues).toEqual(b.singularValues);
    expect(maxRelDiff(a.singularValues, svd(L).S.subarray(0, 4))).toBeLessThan(1e-8);
    const c = await svdJson([
      p,
      '--method',
      'randomized',
      '--rank',
      '4',
      '--seed',
      '7',
      '--oversample',
      '2',
      '--niter',
      '1',
    ]);
    expect(c.singularValues).toHaveLength(4);
  });
});

describe('lr svd --out', () => {
  it('writes U (m×k), S (k), Vt (k×n) that reconstruct the matrix', async () => {
    const p = npyFile('m.npy');
    const r = await run(['svd', p, '--out', 'full.safetensors'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('wrote full.safetensors');
    const f = readSafetensors(new Uint8Array(readFileSync(join(dir, 'full.safetensors'))));
    const U = Matrix.fromTensor(decodeSafetensor(f.get('U')!));
    const S = decodeSafetensor(f.get('S')!);
    const Vt = Matrix.fromTensor(decodeSafetensor(f.get('Vt')!));
    expect([U.shape, S.shape, Vt.shape]).toEqual([[30, 20], [20], [20, 20]]);
    expect(f.get('U')!.dtype).toBe('F64');
    const back = svdReconstruct({ U, S: S.toFloat64Array(), Vt });
    expect(frobRel(M, back)).toBeLessThan(1e-13);
  });

  it('--rank k writes the best rank-k factors', async () => {
    const p = npyFile('m.npy');
    expect(
      (await run(['svd', p, '--rank', '3', '--out', 'r3.safetensors', '--json'], { cwd: dir }))
        .code,
    ).toBe(0);
    const f = readSafetensors(new Uint8Array(readFileSync(join(dir, 'r3.safetensors'))));
    const U = Matrix.fromTensor(decodeSafetensor(f.get('U')!));
    const Vt = Matrix.fromTensor(decodeSafetensor(f.get('Vt')!));
    const S = decodeSafetensor(f.get('S')!).toFloat64Array();
    expect([U.shape, Vt.shape, S.length]).toEqual([[30, 3], [3, 20], 3]);
    const best = svdReconstruct(svd(M), { rank: 3 });
    expect(frobRel(best, svdReconstruct({ U, S, Vt }))).toBeLessThan(1e-12);
    expect(f.metadata).toMatchObject({ method: 'exact', rank: '3', tensor: 'array' });
  });

  it('refuses to overwrite without --force, overwrites with it, never overwrites the input', async () => {
    const p = npyFile('m.npy');
    const out = join(dir, 'once.safetensors');
    expect((await run(['svd', p, '--out', out], { cwd: dir })).code).toBe(0);
    writeFileSync(out, 'keep me');
    const r = await run(['svd', p, '--out', 'once.safetensors'], { cwd: dir });
    expect(isOneLineError(r)).toBe(true);
    expect(r.stderr).toBe('lr: svd: once.safetensors: already exists (use --force to overwrite)\n');
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    expect((await run(['svd', p, '--out', out, '--force'], { cwd: dir })).code).toBe(0);
    expect(statSync(out).size).toBeGreaterThan(1000);

    const st = join(dir, 'in.safetensors');
    writeFileSync(st, writeSafetensors({ w: M }));
    const self = await run(['svd', st, '--out', st, '--force'], { cwd: dir });
    expect(isOneLineError(self)).toBe(true);
    expect(self.stderr).toContain('refusing to overwrite an input file');
  });

  it('float32 input gives F32 factors', async () => {
    const st = join(dir, 'f32.safetensors');
    writeFileSync(st, writeSafetensors({ w: M.astype('float32') }));
    expect(
      (await run(['svd', st, '--rank', '2', '--out', 'f32-out.safetensors'], { cwd: dir })).code,
    ).toBe(0);
    const info = await run(['info', 'f32-out.safetensors', '--json'], { cwd: dir });
    expect(JSON.parse(info.stdout).tensors.map((t: { dtype: string }) => t.dtype)).toEqual([
      'F32',
      'F32',
      'F32',
    ]);
  });
});

describe('lr svd bad input → exit 2, one line', () => {
  it.each([
    [['--rank', '0'], /--rank <k>' argument '0' is invalid/],
    [['--rank', 'abc'], /argument 'abc' is invalid/],
    [['--rank', '2.5'], /is invalid/],
    [['--rank', '21'], /--rank 21 exceeds min\(m, n\) = 20/],
    [['--method', 'randomized'], /needs --rank/],
    [['--method', 'magic'], /expected one of exact, randomized/],
    [['--seed', '3'], /applies to --method randomized only/],
    [['--out', 'x.npy'], /expected a \.safetensors file name/],
    [['--frobnicate'], /unknown option '--frobnicate'/],
  ])('%j', async (extra, re) => {
    const r = await run(['svd', npyFile('m.npy'), ...(extra as string[])], { cwd: dir });
    expect(isOneLineError(r), r.stderr).toBe(true);
    expect(r.stderr).toMatch(re as RegExp);
  });

  it('several tensors without --tensor lists the names; unknown name; 1-d tensor', async () => {
    const st = join(dir, 'two.safetensors');
    writeFileSync(
      st,
      writeSafetensors({ alpha: randn(3, 3), beta: new Tensor(new Float64Array(4), [4]) }),
    );
    let r = await run(['svd', st], { cwd: dir });
    expect(isOneLineError(r)).toBe(true);
    expect(r.stderr).toMatch(/has 2 tensors; choose one with --tensor NAME: .*'alpha'/);
    expect(r.stderr).toContain("'beta'");
    r = await run(['svd', st, '--tensor', 'gamma'], { cwd: dir });
    expect(isOneLineError(r)).toBe(true);
    expect(r.stderr).toContain("no tensor named 'gamma'");
    r = await run(['svd', st, '--tensor', 'beta'], { cwd: dir });
    expect(isOneLineError(r)).toBe(true);
    expect(r.stderr).toContain("tensor 'beta' is 1-d");
  });

  it('non-finite values are a NON_FINITE input error', async () => {
    const bad = M.clone();
    bad.set(2, 3, Number.NaN);
    npyFile('nan.npy', bad);
    const r = await run(['svd', 'nan.npy'], { cwd: dir });
    expect(isOneLineError(r), r.stderr).toBe(true);
    expect(r.stderr).toMatch(/^lr: svd: nan\.npy: NON_FINITE: /);
  });
});

describe('lr svd text output', () => {
  it('prints the header, a table of σ and the energy ranks', async () => {
    npyFile('m.npy');
    const r = await run(['svd', 'm.npy', '--rank', '3'], { cwd: dir });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^m\.npy: array 30×20 float64; exact SVD, rank 3 of 20, /);
    expect(lines).toHaveLength(7);
    const s1 = Number(lines[3]!.trim().split(/\s+/)[1]);
    expect(Math.abs(s1 - svd(M).S[0]!) / s1).toBeLessThan(1e-5);
    expect(lines[6]).toMatch(/^rank for 90% \/ 99% energy: >3 \/ >3; stable rank/);
  });
});
