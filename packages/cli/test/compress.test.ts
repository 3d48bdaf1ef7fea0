import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  decodeSafetensor,
  type Matrix,
  readSafetensors,
  type SafetensorsFile,
  writeSafetensors,
} from '@lr/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOneLineError, run, tempDir } from './helpers.js';

const STORIES = join(__dirname, '../../../../shared/data/weights/stories260K');
const d = existsSync(join(STORIES, 'model.safetensors')) ? describe : describe.skip;

let dir: string;
let cleanup: () => void;
beforeAll(() => {
  ({ dir, cleanup } = tempDir('lr-compress-'));
});
afterAll(() => cleanup());

function st(path: string): SafetensorsFile {
  return readSafetensors(new Uint8Array(readFileSync(path)));
}

async function ok(args: string[]) {
  const r = await run(args, { cwd: dir });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r;
}

/** √(Σ‖W − Ŵ‖² / Σ‖W‖²) over `names`, from the files. */
function modelError(a: SafetensorsFile, b: SafetensorsFile, names: string[]): number {
  let e = 0;
  let w = 0;
  for (const n of names) {
    const x = decodeSafetensor(a.get(n)!, { dtype: 'float64' }) as Matrix;
    const y = decodeSafetensor(b.get(n)!, { dtype: 'float64' }) as Matrix;
    for (let i = 0; i < x.data.length; i++) {
      e += (x.data[i]! - y.data[i]!) ** 2;
      w += x.data[i]! ** 2;
    }
  }
  return Math.sqrt(e / w);
}

d('lr compress / decompress', () => {
  it.each([
    ['--rank', '8'],
    ['--energy', '0.9'],
    ['--ratio', '0.5'],
  ])('%s %s: decompress error equals the reported error', async (flag, value) => {
    const out = `c${flag}`;
    const c = await ok(['compress', '--model', STORIES, flag, value, '--json', '--out', out]);
    const rep = JSON.parse(c.stdout);
    expect(rep.layers).toHaveLength(35); // 5 layers × 7 projections
    if (flag === '--ratio')
      expect(rep.compressedParams).toBeLessThanOrEqual(0.5 * rep.originalParams);
    const file = st(join(dir, out, 'model.safetensors'));
    expect(file.metadata.lr_format).toBe('lord-v1');
    expect(file.metadata.format).toBe('pt');
    expect(Number(file.metadata.lr_relative_error)).toBe(rep.relativeError);
    const ranks = JSON.parse(file.metadata.lr_ranks!);
    for (const [name, r] of Object.entries(ranks)) {
      expect(file.get(`${name}.lr_P`)!.shape[1]).toBe(r);
      expect(file.get(`${name}.lr_Q`)!.shape[0]).toBe(r);
      expect(file.get(name)).toBeUndefined();
    }
    expect(readdirSync(join(dir, out)).sort()).toEqual(['config.json', 'model.safetensors']);

    const x = await ok(['decompress', '--model', out, '--json', '--out', `${out}-dense`]);
    expect(JSON.parse(x.stdout).relativeError).toBe(rep.relativeError);
    const orig = st(join(STORIES, 'model.safetensors'));
    const dense = st(join(dir, `${out}-dense`, 'model.safetensors'));
    expect(dense.tensors.map((t) => t.name).sort()).toEqual(orig.tensors.map((t) => t.name).sort());
    const targets = rep.layers.map((l: { module: string }) => `${l.module}.weight`);
    const err = modelError(orig, dense, targets);
    // equal up to the float32 rounding of the dense output
    expect(Math.abs(err - rep.relativeError)).toBeLessThan(1e-6 + 1e-5 * rep.relativeError);
    expect(err).toBeGreaterThan(0);
    // untouched tensors (norms, embeddings) are copied bit for bit
    for (const t of orig.tensors)
      if (!targets.includes(t.name))
        expect(Buffer.from(dense.get(t.name)!.bytes).equals(t.bytes)).toBe(true);
    // the text report has the table (once is enough)
    if (flag === '--rank') {
      const txt = await ok(['compress', '--model', STORIES, flag, value, '--out', `${out}-txt`]);
      expect(txt.stdout).toMatch(/module\s+shape\s+rank\s+rel\. error\s+energy\s+params/);
    }
  });

  it('decompress refuses a folder that is not lr compress output; bad --energy', async () => {
    const r = await run(['decompress', '--model', STORIES, '--out', 'dx'], { cwd: dir });
    expect(isOneLineError(r)).toBe(true);
    expect(r.stderr).toMatch(/not an lr compress output/);
    expect(existsSync(join(dir, 'dx'))).toBe(false);
    const e = await run(['compress', '--model', STORIES, '--energy', '1.5', '--out', 'ex'], {
      cwd: dir,
    });
    expect(isOneLineError(e)).toBe(true);
    const k = await run(['compress', '--model', STORIES, '--rank', '65', '--out', 'ek'], {
      cwd: dir,
    });
    expect(isOneLineError(k)).toBe(true);
    expect(k.stderr).toMatch(/exceeds min/);
    // a factor missing from a compressed file
    mkdirSync(join(dir, 'broken'));
    writeFileSync(
      join(dir, 'broken', 'model.safetensors'),
      writeSafetensors(
        {
          'a.weight.lr_P': decodeSafetensor(
            st(join(STORIES, 'model.safetensors')).get('model.layers.0.self_attn.q_proj.weight')!,
          ),
        },
        { metadata: { lr_format: 'lord-v1', lr_ranks: '{"a.weight": 64}' } },
      ),
    );
    const b = await run(['decompress', '--model', 'broken', '--out', 'bx'], { cwd: dir });
    expect(isOneLineError(b)).toBe(true);
    expect(b.stderr).toMatch(/FORMAT/);
    expect(existsSync(join(dir, 'bx'))).toBe(false);
  });
});
