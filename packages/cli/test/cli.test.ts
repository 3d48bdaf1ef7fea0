import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { reportSections } from '../src/report/sections/index.js';
import { isOneLineError, run, tempDir } from './helpers.js';

const version = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

describe('lr (global)', () => {
  it('--version and -V print the package version', async () => {
    for (const flag of ['--version', '-V']) {
      const r = await run([flag]);
      expect(r).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    }
  });

  it('--help lists every command; exit 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: lr /);
    for (const c of ['tour', 'info', 'svd', 'bench'])
      expect(r.stdout).toMatch(new RegExp(`\\n  ${c} `));
    expect(r.stderr).toBe('');
  });

  it.each([
    ['info', '--json'],
    ['svd', '--method'],
    ['bench', '--dtype'],
    ['tour', '--out'],
  ])('%s --help and help %s', async (cmd, option) => {
    for (const argv of [
      [cmd, '--help'],
      ['help', cmd],
    ]) {
      const r = await run(argv);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: lr ${cmd} `);
      expect(r.stdout).toContain(option);
    }
  });

  it('unknown command, unknown option, missing argument, extra argument → exit 2, one line', async () => {
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /^lr: unknown command 'frobnicate' \(see 'lr --help'\)\n$/],
      [['sdv'], /unknown command 'sdv'; did you mean svd\?/],
      [['--nope'], /^lr: tour: unknown option '--nope'/],
      [
        ['info', '--bogus', 'x.npy'],
        /^lr: info: unknown option '--bogus' \(see 'lr info --help'\)\n$/,
      ],
      [['info'], /^lr: info: missing required argument 'file'/],
      [['info', 'a.npy', 'b.npy'], /^lr: info: too many arguments/],
      [['help', 'nope'], /^lr: unknown command 'nope' \(see 'lr --help'\)\n$/],
    ];
    for (const [argv, re] of cases) {
      const r = await run(argv);
      expect(isOneLineError(r), `${argv.join(' ')}: ${r.stderr}`).toBe(true);
      expect(r.stderr).toMatch(re);
      expect(r.stdout).toBe('');
    }
  });

  it('an unexpected error exits 1 with its message; the stack only with LR_DEBUG=1', async () => {
    const { dir, cleanup } = tempDir();
    reportSections.register({
      id: 'boom',
      title: 'Boom',
      intro: 'always fails',
      render() {
        throw new TypeError('kaboom');
      },
    });
    try {
      const plain = await run(['tour', '--sections', 'boom'], { cwd: dir });
      expect(plain.code).toBe(1);
      expect(plain.stderr).toMatch(/^lr: tour: 1 report section failed \(boom: kaboom\)/);
      expect(plain.stderr).not.toMatch(/\n\s+at /);
      // the page is still written, with the failure shown in its section
      expect(readFileSync(`${dir}/lr-report/index.html`, 'utf8')).toContain(
        'This section failed: kaboom',
      );
      const debug = await run(['tour', '--sections', 'boom', '--force'], {
        cwd: dir,
        env: { LR_DEBUG: '1' },
      });
      expect(debug.code).toBe(1);
      expect(debug.stderr).toMatch(/TypeError: kaboom\n\s+at /);
    } finally {
      reportSections.unregister('boom');
      cleanup();
    }
  });
});
