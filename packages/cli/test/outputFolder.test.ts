import { EventEmitter } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SignalHost, withOutputFolder } from '../src/io/modelFolder.js';
import { tempDir } from './helpers.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => {
  ({ dir, cleanup } = tempDir());
});
afterAll(() => cleanup());

/** A stand-in for `process`: records the re-raised signal instead of dying of it. */
function fakeProcess(): SignalHost & { emitter: EventEmitter; killed: string[] } {
  const emitter = new EventEmitter();
  const killed: string[] = [];
  return {
    emitter,
    killed,
    pid: 4242,
    once: (s, f) => emitter.once(s, f),
    removeListener: (s, f) => emitter.removeListener(s, f),
    kill: (_pid, s) => killed.push(s),
  };
}

describe('withOutputFolder', () => {
  it('commits on success and leaves no listener behind', async () => {
    const host = fakeProcess();
    await withOutputFolder(
      join(dir, 'ok'),
      { label: 'ok' },
      async (out) => {
        await out.sink.write('a.txt', new TextEncoder().encode('x'));
      },
      host,
    );
    expect(readdirSync(join(dir, 'ok'))).toEqual(['a.txt']);
    expect(host.emitter.listenerCount('SIGINT') + host.emitter.listenerCount('SIGTERM')).toBe(0);
  });

  it('on Ctrl-C removes the temporary folder, then re-raises the signal', async () => {
    const host = fakeProcess();
    let tmp = '';
    await withOutputFolder(
      join(dir, 'interrupted'),
      { label: 'x' },
      async (out) => {
        tmp = out.tmp;
        await out.sink.write('half.bin', new Uint8Array(8));
        expect(existsSync(tmp)).toBe(true);
        host.emitter.emit('SIGINT', 'SIGINT');
      },
      host,
    );
    expect(host.killed).toEqual(['SIGINT']);
    expect(existsSync(tmp)).toBe(false);
    expect(existsSync(join(dir, 'interrupted'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('interrupted'))).toEqual([]);
  });
});
