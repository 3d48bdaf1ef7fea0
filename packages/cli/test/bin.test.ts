import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const coreDist = fileURLToPath(new URL('../../core/dist/index.js', import.meta.url));
const built = existsSync(bin) && existsSync(coreDist);
if (!built) {
  console.warn(
    `skipping the built-bin test: ${existsSync(bin) ? coreDist : bin} does not exist (run \`pnpm build\`)`,
  );
}

describe.skipIf(!built)('the built bin (dist/bin.js)', () => {
  const version = (
    JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    }
  ).version;

  it('starts with a shebang and is executable', () => {
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(bin).mode & 0o100).toBe(0o100);
  });

  it('node dist/bin.js --version prints the version and exits 0', () => {
    expect(execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' })).toBe(
      `${version}\n`,
    );
  });

  it('exits 2 with one line on stderr for a missing file', () => {
    try {
      execFileSync(process.execPath, [bin, 'info', 'no-such-file.npy'], {
        encoding: 'utf8',
        stdio: 'pipe',
      });
      expect.unreachable('should have failed');
    } catch (err) {
      const e = err as { status: number; stderr: string; stdout: string };
      expect(e.status).toBe(2);
      expect(e.stderr).toBe('lr: info: no-such-file.npy: no such file\n');
      expect(e.stdout).toBe('');
    }
  });
});
