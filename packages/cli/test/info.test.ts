import { closeSync, openSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  Matrix,
  randn,
  Tensor,
  writeCsv,
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

const file = (name: string, bytes: Uint8Array | string) => {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
};

async function infoJson(path: string): Promise<unknown> {
  const r = await run(['info', path, '--json']);
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('');
  expect(r.stdout.endsWith('\n')).toBe(true);
  expect(r.stdout.trim().split('\n')).toHaveLength(1);
  return JSON.parse(r.stdout);
}

describe('lr info --json', () => {
  it('.safetensors: every tensor with its stored dtype, in header order', async () => {
    const p = file(
      'w.safetensors',
      writeSafetensors(
        {
          'layer.weight': randn(3, 4, { dtype: 'float32' }),
          bias: new Tensor(new Float64Array(5), [5]),
        },
        { metadata: { format: 'pt' } },
      ),
    );
    const out = (await infoJson(p)) as {
      tensors: { name: string; dtype: string; shape: number[] }[];
    };
    expect(Object.keys(out)).toEqual(['tensors']);
    for (const t of out.tensors) expect(Object.keys(t)).toEqual(['name', 'dtype', 'shape']);
    expect([...out.tensors].sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'bias', dtype: 'F64', shape: [5] },
      { name: 'layer.weight', dtype: 'F32', shape: [3, 4] },
    ]);
  });

  it('.npy: one tensor named "array" with the numpy dtype', async () => {
    const p = file(
      'a.npy',
      writeNpy(
        Matrix.from([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        { dtype: 'uint8' },
      ),
    );
    const r = await run(['info', p, '--json']);
    expect(r.stdout).toBe('{"tensors":[{"name":"array","dtype":"uint8","shape":[2,3]}]}\n');
    const t3 = file('t3.npy', writeNpy(new Tensor(new Float32Array(24), [2, 3, 4])));
    expect(await infoJson(t3)).toEqual({
      tensors: [{ name: 'array', dtype: 'float32', shape: [2, 3, 4] }],
    });
  });

  it('.mtx: one tensor named "matrix", dtype field/format', async () => {
    const coord = file(
      'c.mtx',
      '%%MatrixMarket matrix coordinate real general\n% a comment\n3 4 2\n1 1 1.5\n3 4 -2\n',
    );
    expect((await run(['info', coord, '--json'])).stdout).toBe(
      '{"tensors":[{"name":"matrix","dtype":"real/coordinate","shape":[3,4]}]}\n',
    );
    const arr = file(
      'd.mtx',
      writeMatrixMarket(
        Matrix.from([
          [1, 2],
          [3, 4],
          [5, 6],
        ]),
        { field: 'integer' },
      ),
    );
    expect(await infoJson(arr)).toEqual({
      tensors: [{ name: 'matrix', dtype: 'integer/array', shape: [3, 2] }],
    });
    const pat = file('p.mtx', '%%MatrixMarket matrix coordinate pattern symmetric\n2 2 1\n2 1\n');
    expect(await infoJson(pat)).toEqual({
      tensors: [{ name: 'matrix', dtype: 'pattern/coordinate', shape: [2, 2] }],
    });
  });

  it('.csv (and .csv.gz): one tensor named "table", header line skipped', async () => {
    const text = 'a,b,c\n1,2,3\n4,5,6\n';
    expect((await run(['info', file('t.csv', text), '--json'])).stdout).toBe(
      '{"tensors":[{"name":"table","dtype":"float64","shape":[2,3]}]}\n',
    );
    expect(await infoJson(file('t.csv.gz', gzipSync(text)))).toEqual({
      tensors: [{ name: 'table', dtype: 'float64', shape: [2, 3] }],
    });
    const noHeader = file('n.csv', writeCsv(randn(4, 2)));
    expect(await infoJson(noHeader)).toEqual({
      tensors: [{ name: 'table', dtype: 'float64', shape: [4, 2] }],
    });
  });

  it('.safetensors: reads only the header, so a 1 GiB (sparse) file is instant', async () => {
    const n = 16384;
    const bytes = n * n * 4; // 1 GiB of F32
    let json = JSON.stringify({ big: { dtype: 'F32', shape: [n, n], data_offsets: [0, bytes] } });
    json += ' '.repeat((8 - (json.length % 8)) % 8);
    const head = new Uint8Array(8 + json.length);
    new DataView(head.buffer).setUint32(0, json.length, true);
    head.set(new TextEncoder().encode(json), 8);
    const p = join(dir, 'big.safetensors');
    const fd = openSync(p, 'w');
    writeSync(fd, head);
    closeSync(fd);
    truncateSync(p, head.length + bytes); // a hole: nothing is allocated on disk
    const t0 = performance.now();
    expect(await infoJson(p)).toEqual({ tensors: [{ name: 'big', dtype: 'F32', shape: [n, n] }] });
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('lr info (text)', () => {
  it('prints a summary line and a table', async () => {
    file('m.safetensors', writeSafetensors({ q: randn(2, 3, { dtype: 'float32' }) }));
    const r = await run(['info', 'm.safetensors'], { cwd: dir });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('m.safetensors: safetensors, 1 tensor, 6 elements, 96 B');
    expect(lines[1]).toMatch(/^name\s+dtype\s+shape$/);
    expect(lines[3]).toMatch(/^q\s+F32\s+2×3$/);
  });
});

describe('lr info errors', () => {
  it('corrupt .npy: exit 2, one line naming the file and the FORMAT code', async () => {
    file('bad.npy', 'not a numpy file at all');
    const r = await run(['info', 'bad.npy'], { cwd: dir });
    expect(isOneLineError(r)).toBe(true);
    expect(r.stderr).toMatch(/^lr: info: bad\.npy: FORMAT: .*magic/);
    expect(r.stdout).toBe('');
  });

  it('truncated .safetensors and garbage .mtx/.csv are FORMAT errors', async () => {
    const good = writeSafetensors({ w: randn(4, 4) });
    for (const [name, bytes] of [
      ['cut.safetensors', good.subarray(0, good.length - 3)],
      ['tiny.safetensors', new Uint8Array([1, 2, 3])],
      ['junk.mtx', 'hello\n1 2 3\n'],
      ['junk.csv', '1,2\n3,x\n'],
    ] as const) {
      file(name, bytes);
      const r = await run(['info', name], { cwd: dir });
      expect(isOneLineError(r), `${name}: ${r.stderr}`).toBe(true);
      expect(r.stderr).toContain(`lr: info: ${name}: FORMAT: `);
    }
  });

  it('missing file, directory, unknown extension, bad gzip', async () => {
    const cases: [string, RegExp][] = [
      ['nope.npy', /^lr: info: nope\.npy: no such file\n$/],
      ['.', /^lr: info: \.: /],
      [file('x.txt', 'hi'), /unsupported file type/],
      [file('x.csv.gz', 'not gzip'), /not a valid gzip file/],
    ];
    for (const [path, re] of cases) {
      const r = await run(['info', path], { cwd: dir });
      expect(isOneLineError(r), r.stderr).toBe(true);
      expect(r.stderr).toMatch(re);
    }
  });
});
