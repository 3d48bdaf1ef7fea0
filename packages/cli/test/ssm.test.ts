import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNpy, Tensor, writeNpy } from '@lr/core';
import {
  S4DLayer,
  S5Layer,
  s4dInit,
  s4dToSafetensors,
  s5Init,
  s5ToSafetensors,
  ssmKernel,
} from '@lr/ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeSsmKernel } from '../src/commands/ssm.js';
import { isOneLineError, run, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => void;

beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  const ssm = s4dInit({ N: 16, channels: 3, init: 'inv', seed: 2 });
  writeFileSync(join(dir, 's4d.safetensors'), s4dToSafetensors(ssm));
  writeFileSync(join(dir, 's5.safetensors'), s5ToSafetensors(s5Init({ H: 3, P: 4, seed: 1 })));
  const u = new Float64Array(2 * 100 * 3).map((_, i) => Math.sin(0.37 * i) + 0.1 * (i % 7));
  writeFileSync(join(dir, 'u.npy'), writeNpy(new Tensor(u, [2, 100, 3])));
  writeFileSync(
    join(dir, 'bad.npy'),
    writeNpy(new Tensor(new Float64Array(2 * 100 * 4), [2, 100, 4])),
  );
});
afterAll(() => cleanup());

describe('lr ssm kernel', () => {
  it('writes K [H, L] equal to the library kernel of the same seed', async () => {
    const r = await run(
      [
        'ssm',
        'kernel',
        '--init',
        's4d-lin',
        '-N',
        '16',
        '-L',
        '300',
        '--channels',
        '2',
        '--seed',
        '5',
        '--out',
        'K.npy',
        '--json',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ init: 's4d-lin', N: 16, L: 300, channels: 2, method: 'zoh' });
    expect(j.dt).toHaveLength(2);
    const K = readNpy(new Uint8Array(readFileSync(join(dir, 'K.npy'))));
    expect(K.shape).toEqual([2, 300]);
    const ref = ssmKernel(s4dInit({ N: 16, init: 'lin', channels: 2, seed: 5 }), { L: 300 }).K;
    expect(Array.from(K.tensor.data)).toEqual(Array.from(ref.data));
    // refuses to overwrite without --force
    const again = await run(['ssm', 'kernel', '--init', 's4d-lin', '--out', 'K.npy'], { cwd: dir });
    expect(isOneLineError(again)).toBe(true);
    expect(again.stderr).toMatch(/already exists/);
  });

  it('hippo (dense bilinear) and the text summary', async () => {
    const r = await run(['ssm', 'kernel', '--init', 'hippo', '-N', '8', '-L', '64'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/hippo kernel: N 8, L 64, H 1, bilinear/);
    const z = await run(['ssm', 'kernel', '--init', 'hippo', '--method', 'zoh'], { cwd: dir });
    expect(isOneLineError(z)).toBe(true);
    expect(z.stderr).toMatch(/UNSUPPORTED/);
  });

  it('ptd: the kernel of ptdInit’s bank', async () => {
    const r = await run(['ssm', 'kernel', '--init', 'ptd', '-N', '16', '-L', '32', '--json'], {
      cwd: dir,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ init: 'ptd', N: 16, L: 32 });
  });

  it('bad input: odd N, L = 0, dt range, unknown init → one-line errors', async () => {
    for (const argv of [
      ['ssm', 'kernel', '--init', 's4d-lin', '-N', '7'],
      ['ssm', 'kernel', '--init', 's4d-lin', '-L', '0'],
      ['ssm', 'kernel', '--init', 's4d-lin', '--dt-min', '0.1', '--dt-max', '0.01'],
      ['ssm', 'kernel', '--init', 's4d-lin', '--dt-min', '-1'],
      ['ssm', 'kernel', '--init', 'nope'],
      ['ssm', 'kernel', '--init', 's4d-lin', '--out', 'k.txt'],
    ]) {
      const r = await run(argv, { cwd: dir });
      expect(isOneLineError(r), `${argv.join(' ')}: ${r.stderr}`).toBe(true);
    }
  });

  it('a usage error names the subcommand', async () => {
    const r = await run(['ssm', 'kernel'], { cwd: dir });
    expect(isOneLineError(r)).toBe(true);
    expect(r.stderr).toMatch(
      /^lr: ssm kernel: required option '--init <init>'.*lr ssm kernel --help/,
    );
  });

  it('computeSsmKernel maps inits to the library', () => {
    const r = computeSsmKernel({ init: 's4d-real', N: 8, L: 10, seed: 1 });
    expect(r.K.shape).toEqual([1, 10]);
  });
});

describe('lr ssm apply', () => {
  it('S4D weights: output equals S4DLayer.forward, every mode agrees', async () => {
    const u = readNpy(new Uint8Array(readFileSync(join(dir, 'u.npy')))).tensor;
    const layer = S4DLayer.fromSafetensors(
      new Uint8Array(readFileSync(join(dir, 's4d.safetensors'))),
    );
    const ref = layer.forward(u, 'recurrence').data;
    for (const mode of ['auto', 'conv', 'recurrence', 'scan']) {
      const out = `y-${mode}.npy`;
      const r = await run(
        [
          'ssm',
          'apply',
          '--weights',
          's4d.safetensors',
          '--input',
          'u.npy',
          '--out',
          out,
          '--mode',
          mode,
          '--json',
        ],
        { cwd: dir },
      );
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).shape).toEqual([2, 100, 3]);
      const y = readNpy(new Uint8Array(readFileSync(join(dir, out)))).tensor.data;
      let num = 0;
      let den = 0;
      for (let i = 0; i < ref.length; i++) {
        num += (y[i]! - ref[i]!) ** 2;
        den += ref[i]! ** 2;
      }
      expect(Math.sqrt(num / den)).toBeLessThan(1e-13);
    }
  });

  it('S5 weights are detected and run by scan', async () => {
    const r = await run(
      ['ssm', 'apply', '--weights', 's5.safetensors', '--input', 'u.npy', '--out', 'y5.npy'],
      { cwd: dir },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/S5 \(H 3, P 4\)/);
    const u = readNpy(new Uint8Array(readFileSync(join(dir, 'u.npy')))).tensor;
    const ref = S5Layer.fromSafetensors(
      new Uint8Array(readFileSync(join(dir, 's5.safetensors'))),
    ).forward(u);
    const y = readNpy(new Uint8Array(readFileSync(join(dir, 'y5.npy')))).tensor;
    expect(Array.from(y.data)).toEqual(Array.from(ref.data));
  });

  it('bad input: wrong channel count, missing file, corrupt weights, output = input', async () => {
    writeFileSync(join(dir, 'corrupt.safetensors'), new Uint8Array([1, 2, 3]));
    for (const argv of [
      ['ssm', 'apply', '--weights', 's4d.safetensors', '--input', 'bad.npy'],
      ['ssm', 'apply', '--weights', 'missing.safetensors', '--input', 'u.npy'],
      ['ssm', 'apply', '--weights', 'corrupt.safetensors', '--input', 'u.npy'],
      [
        'ssm',
        'apply',
        '--weights',
        's4d.safetensors',
        '--input',
        'u.npy',
        '--out',
        'u.npy',
        '--force',
      ],
      ['ssm', 'apply', '--weights', 's5.safetensors', '--input', 'u.npy', '--mode', 'conv'],
    ]) {
      const r = await run(argv, { cwd: dir });
      expect(isOneLineError(r), `${argv.join(' ')}: ${r.stderr}`).toBe(true);
    }
  });
});
