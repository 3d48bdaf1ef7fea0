import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ObservedEntries } from '@lr/recovery';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  detectRatingColumns,
  fitBiasBaseline,
  rmseOn,
  runCompletion,
} from '../src/commands/complete.js';
import { syntheticRatings } from '../src/report/sections/completion.js';
import { isOneLineError, run, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => void;
let synthetic: string;
const MOVIELENS = '/work/shared/data/ratings/movielens-latest-small.csv';

beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  // rank 3 + biases + noise, half stars: 120 users × 80 items, 25% observed (≈ 2,400 ratings)
  synthetic = syntheticRatings(120, 80, 0.25, 7);
  writeFileSync(join(dir, 'synthetic.csv'), synthetic);
});
afterAll(() => cleanup());

describe('fitBiasBaseline', () => {
  it('recovers an exactly additive matrix μ + b_u + c_i without regularization', () => {
    const b = [0.5, -1, 0.25, 0];
    const c = [1, -0.5, 0, 2, -1];
    const rows: number[] = [];
    const cols: number[] = [];
    const vals: number[] = [];
    for (let i = 0; i < b.length; i++)
      for (let j = 0; j < c.length; j++) {
        rows.push(i);
        cols.push(j);
        vals.push(3 + b[i]! + c[j]!);
      }
    const e = new ObservedEntries(
      4,
      5,
      Int32Array.from(rows),
      Int32Array.from(cols),
      Float64Array.from(vals),
    );
    const m = fitBiasBaseline(e, { lambda: 0, sweeps: 30 });
    expect(rmseOn(e, m.predict)).toBeLessThan(1e-10);
    // regularization shrinks the biases towards 0
    const shrunk = fitBiasBaseline(e, { lambda: 100, sweeps: 30 });
    expect(Math.abs(shrunk.itemBias[3]!)).toBeLessThan(Math.abs(m.itemBias[3]!));
  });
});

describe('detectRatingColumns', () => {
  it('finds MovieLens, InstEval and plain names; null without a header', () => {
    expect(detectRatingColumns('"userId","movieId","rating","timestamp"\n1,2,3,4\n')).toEqual({
      user: 'userId',
      item: 'movieId',
      rating: 'rating',
    });
    expect(detectRatingColumns('"s","d","y"\n1,525,5\n')).toEqual({
      user: 's',
      item: 'd',
      rating: 'y',
    });
    expect(detectRatingColumns('rating\titem\tuser\n4\tx\tann\n')).toEqual({
      user: 'user',
      item: 'item',
      rating: 'rating',
    });
    expect(detectRatingColumns('1,2,3\n4,5,6\n')).toBeNull();
  });
});

describe('lr complete', () => {
  it('--json: rmse, baselineRmse, seconds, iterations first; beats the global mean on low-rank ratings', async () => {
    const r = await run(['complete', 'synthetic.csv', '--rank', '3', '--lambda', '2', '--json'], {
      cwd: dir,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j).slice(0, 4)).toEqual(['rmse', 'baselineRmse', 'seconds', 'iterations']);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(j.rmse).toBeGreaterThan(0);
    expect(j.rmse).toBeLessThan(j.globalMeanRmse);
    expect(j.rmse).toBeLessThan(j.baselineRmse); // the low-rank part is real here
    expect(j.baselineRmse).toBeLessThan(j.globalMeanRmse);
    expect(j.iterations).toBeGreaterThanOrEqual(1);
    expect(j.iterations).toBeLessThanOrEqual(15);
    expect(j.seconds).toBeGreaterThan(0);
    expect(j.train + j.heldOut).toBe(synthetic.trim().split('\n').length - 1);
    expect(j.heldOut).toBe(Math.round(0.1 * (j.train + j.heldOut)));
  });

  it('reads columns by header name in any order (same result as the plain file)', async () => {
    const lines = synthetic.trim().split('\n').slice(1);
    const swapped = `rating,item,user\n${lines
      .map((l) => {
        const [u, i, v] = l.split(',');
        return `${v},${i},${u}`;
      })
      .join('\n')}\n`;
    writeFileSync(join(dir, 'swapped.csv'), swapped);
    const a = JSON.parse(
      (await run(['complete', 'synthetic.csv', '--rank', '2', '--json'], { cwd: dir })).stdout,
    );
    const b = JSON.parse(
      (await run(['complete', 'swapped.csv', '--rank', '2', '--json'], { cwd: dir })).stdout,
    );
    expect(b.rmse).toBe(a.rmse);
    expect(b.baselineRmse).toBe(a.baselineRmse);
  });

  it('text output names the baselines; --out writes held-out predictions with the original ids', async () => {
    const r = await run(
      ['complete', 'synthetic.csv', '--rank', '3', '--holdout', '0.2', '--out', 'pred.csv'],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^synthetic\.csv: 120 users × 80 items, [\d,]+ ratings/);
    expect(r.stdout).toContain('global mean');
    expect(r.stdout).toContain('user/item biases');
    expect(r.stdout).toContain('wrote pred.csv');
    const out = readFileSync(join(dir, 'pred.csv'), 'utf8').trim().split('\n');
    expect(out[0]).toBe('user,item,rating,prediction');
    const input = new Set(synthetic.trim().split('\n').slice(1));
    const n = input.size;
    expect(out.length - 1).toBe(Math.round(0.2 * n));
    let se = 0;
    for (const line of out.slice(1)) {
      const [u, i, v, p] = line.split(',');
      expect(input.has(`${u},${i},${v}`)).toBe(true);
      expect(Number.isFinite(Number(p))).toBe(true);
      se += (Number(p) - Number(v)) ** 2;
    }
    // the file's predictions reproduce the reported held-out RMSE
    const j = JSON.parse(
      (
        await run(['complete', 'synthetic.csv', '--rank', '3', '--holdout', '0.2', '--json'], {
          cwd: dir,
        })
      ).stdout,
    );
    expect(Math.sqrt(se / (out.length - 1))).toBeCloseTo(j.rmse, 10);
  });

  it('--out refuses to overwrite without --force, and never overwrites the input', async () => {
    writeFileSync(join(dir, 'taken.csv'), 'keep me\n');
    const r = await run(['complete', 'synthetic.csv', '--rank', '2', '--out', 'taken.csv'], {
      cwd: dir,
    });
    expect(isOneLineError(r)).toBe(true);
    expect(r.stderr).toContain('already exists');
    expect(readFileSync(join(dir, 'taken.csv'), 'utf8')).toBe('keep me\n');
    const f = await run(
      ['complete', 'synthetic.csv', '--rank', '2', '--out', 'taken.csv', '--force'],
      { cwd: dir },
    );
    expect(f.code).toBe(0);
    expect(readFileSync(join(dir, 'taken.csv'), 'utf8')).toMatch(/^user,item,rating,prediction\n/);
    const self = await run(
      ['complete', 'synthetic.csv', '--rank', '2', '--out', 'synthetic.csv', '--force'],
      { cwd: dir },
    );
    expect(isOneLineError(self)).toBe(true);
    expect(self.stderr).toContain('refusing to overwrite an input file');
  });

  it('bad input and usage: exit 2 with one line', async () => {
    writeFileSync(join(dir, 'bad.csv'), 'user,item,rating\n1,2,4\n1,3,abc\n');
    const cases = [
      ['complete', 'bad.csv', '--rank', '1'],
      ['complete', 'missing.csv', '--rank', '1'],
      ['complete', 'synthetic.csv'],
      ['complete', 'synthetic.csv', '--rank', '0'],
      ['complete', 'synthetic.csv', '--rank', '2', '--holdout', '1.5'],
      ['complete', 'synthetic.csv', '--rank', '2', '--method', 'svd'],
      ['complete', 'synthetic.csv', '--rank', '500'],
    ];
    for (const argv of cases) {
      const r = await run(argv, { cwd: dir });
      expect(isOneLineError(r), `${argv.join(' ')}: ${r.stderr}`).toBe(true);
      expect(r.stderr).toMatch(/^lr: complete: /);
      expect(r.stdout).toBe('');
    }
    const bad = await run(['complete', 'bad.csv', '--rank', '1'], { cwd: dir });
    expect(bad.stderr).toContain('line 3');
  });

  it.skipIf(!existsSync(MOVIELENS))(
    'a 300-rating MovieLens subsample: header detected, held-out ids are MovieLens ids',
    () => {
      const text = readFileSync(MOVIELENS, 'utf8').split('\n').slice(0, 301).join('\n');
      const r = runCompletion(text, { rank: 2 });
      expect(r.ratings).toBe(300);
      expect(r.testCount).toBe(30);
      expect(r.predictions.every((p) => /^\d+$/.test(p.user) && /^\d+$/.test(p.item))).toBe(true);
      expect(Number.isFinite(r.rmse) && r.rmse < 3).toBe(true);
    },
  );
});
