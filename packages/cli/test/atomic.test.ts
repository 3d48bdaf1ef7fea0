import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../src/errors.js';
import { checkOutputs, writeOutputs } from '../src/io/atomic.js';
import { tempDir } from './helpers.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => {
  ({ dir, cleanup } = tempDir());
});
afterAll(() => cleanup());

describe('writeOutputs', () => {
  it('creates directories, writes bytes and text, leaves no temporary files', () => {
    const a = join(dir, 'sub/deeper/a.bin');
    const b = join(dir, 'b.txt');
    writeOutputs([
      { path: a, bytes: new Uint8Array([1, 2, 3]) },
      { path: b, bytes: 'héllo' },
    ]);
    expect([...readFileSync(a)]).toEqual([1, 2, 3]);
    expect(readFileSync(b, 'utf8')).toBe('héllo');
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
    expect(readdirSync(join(dir, 'sub/deeper'))).toEqual(['a.bin']);
  });

  it('refuses an existing file unless force, and writes nothing when refusing', () => {
    const p = join(dir, 'exists.txt');
    const q = join(dir, 'new.txt');
    writeFileSync(p, 'old');
    expect(() =>
      writeOutputs([
        { path: q, bytes: 'x' },
        { path: p, bytes: 'new' },
      ]),
    ).toThrow(CliError);
    expect(readFileSync(p, 'utf8')).toBe('old');
    expect(() => readFileSync(q)).toThrow();
    writeOutputs([{ path: p, bytes: 'new' }], { force: true });
    expect(readFileSync(p, 'utf8')).toBe('new');
  });

  it('never writes an input, even with force', () => {
    const p = join(dir, 'input.npy');
    writeFileSync(p, 'data');
    expect(() => checkOutputs([join(dir, '.', 'input.npy')], { force: true, inputs: [p] })).toThrow(
      /refusing to overwrite an input/,
    );
  });

  it('reports an unwritable target as an input error naming it', () => {
    const blocker = join(dir, 'file-not-dir');
    writeFileSync(blocker, '');
    expect(() =>
      writeOutputs([{ path: join(blocker, 'x.txt'), bytes: 'x' }], { display: () => 'x.txt' }),
    ).toThrow(/^x\.txt: (not a directory|already exists)/);
  });
});
