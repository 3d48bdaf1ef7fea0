import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { adjustedRandIndex } from '@lr/clustering-sdp';
import { Matrix, Rng } from '@lr/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  detectMetadataLine,
  readClusterTable,
  standardizeColumns,
} from '../src/commands/cluster.js';
import { assetsDir } from '../src/paths.js';
import { isOneLineError, run, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => void;
const iris = join(assetsDir(), 'iris.csv');

beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  // three well-separated Gaussian blobs in 2-d, 15 points each, with a header and a label column
  const rng = new Rng(3);
  const lines = ['x,y,class'];
  // away from the origin, so that MLC (which normalizes rows) sees three directions too
  const centres = [
    [8, 0],
    [0, 8],
    [-6, -6],
  ];
  centres.forEach(([cx, cy], c) => {
    for (let i = 0; i < 15; i++)
      lines.push(`${cx! + 0.5 * rng.normal()},${cy! + 0.5 * rng.normal()},${c}`);
  });
  writeFileSync(join(dir, 'blobs.csv'), `${lines.join('\n')}\n`);
});
afterAll(() => cleanup());

describe('reading tables', () => {
  it('detects the n_samples,n_features,class names line of the UCI files', () => {
    const text = readFileSync(iris, 'utf8');
    expect(detectMetadataLine(text)).toEqual({ classNames: ['setosa', 'versicolor', 'virginica'] });
    expect(detectMetadataLine('a,b\n1,2\n')).toBeNull();
    expect(detectMetadataLine('2,1\n1,0\n')).toBeNull(); // 1 data line, not 2
    const t = readClusterTable(readFileSync(iris));
    expect(t.metadataLine).toBe(true);
    expect([t.X.rows, t.X.cols]).toEqual([150, 4]);
    expect(t.labelColumn).toBe(4);
    expect(new Set(t.labels)).toEqual(new Set([0, 1, 2]));
    expect(t.X.get(0, 0)).toBe(5.1);
  });

  it('standardizes columns to mean 0 and standard deviation 1', () => {
    const Z = standardizeColumns(
      Matrix.from([
        [1, 5],
        [2, 5],
        [3, 5],
      ]),
    );
    expect([Z.get(0, 0), Z.get(1, 0), Z.get(2, 0)].map((v) => +v.toFixed(12))).toEqual(
      [-Math.sqrt(1.5), 0, Math.sqrt(1.5)].map((v) => +v.toFixed(12)),
    );
    expect(Z.get(0, 1)).toBe(0); // constant column: centred only
  });
});

describe('lr cluster', () => {
  it('kmeans on iris: --json {"ari","nmi","seconds",…} with ARI > 0.6', async () => {
    const r = await run(['cluster', iris, '-k', '3', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j).slice(0, 3)).toEqual(['ari', 'nmi', 'seconds']);
    expect(j.ari).toBeGreaterThan(0.6);
    expect(j.ari).toBeLessThanOrEqual(1);
    expect(j.nmi).toBeGreaterThan(0.6);
    expect(j.seconds).toBeGreaterThan(0);
    expect(j.clusterSizes.reduce((a: number, b: number) => a + b, 0)).toBe(150);
    // --label-column 4 and --skip-rows 1 --label-column last are the same table
    const j4 = JSON.parse(
      (await run(['cluster', iris, '-k', '3', '--label-column', '4', '--json'])).stdout,
    );
    const jl = JSON.parse(
      (
        await run([
          'cluster',
          iris,
          '-k',
          '3',
          '--skip-rows',
          '1',
          '--label-column',
          'last',
          '--json',
        ])
      ).stdout,
    );
    expect(j4.ari).toBe(j.ari);
    expect(jl.ari).toBe(j.ari);
    // --n-init: the best of 10 k-means++ starts
    const j10 = JSON.parse(
      (await run(['cluster', iris, '-k', '3', '--n-init', '10', '--json'])).stdout,
    );
    expect(j10.ari).toBeGreaterThan(0.6);
  });

  it('gmm on iris beats 0.8 ARI; text output; no labels → null scores', async () => {
    const g = JSON.parse(
      (await run(['cluster', iris, '-k', '3', '--method', 'gmm', '--json'])).stdout,
    );
    expect(g.ari).toBeGreaterThan(0.8);
    const t = await run(['cluster', iris, '-k', '3']);
    expect(t.stdout).toMatch(
      /150 rows × 4 features, label column 4: 3 classes; metadata line skipped/,
    );
    expect(t.stdout).toMatch(/ARI 0\.\d{4} {2}NMI 0\.\d{4}/);
    const none = JSON.parse(
      (await run(['cluster', iris, '-k', '3', '--label-column', 'none', '--json'])).stdout,
    );
    expect(none.ari).toBeNull();
    expect(none.nmi).toBeNull();
    expect(none.d).toBe(5);
  });

  it('every method separates well-separated blobs (header line, labels by index)', async () => {
    for (const method of ['kmeans', 'gmm', 'sdp', 'ilasdp', 'spectral', 'mlc']) {
      const r = await run(
        ['cluster', 'blobs.csv', '-k', '3', '--method', method, '--label-column', '2', '--json'],
        { cwd: dir },
      );
      expect(r.code, `${method}: ${r.stderr}`).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j.n).toBe(45);
      expect(j.d).toBe(2);
      expect(j.ari, method).toBeGreaterThan(0.9);
    }
  });

  it('--out writes one label per row; its ARI is the reported one; refuses to overwrite', async () => {
    const r = await run(
      ['cluster', iris, '-k', '3', '--standardize', '--out', 'labels.csv', '--json'],
      {
        cwd: dir,
      },
    );
    expect(r.code).toBe(0);
    const lines = readFileSync(join(dir, 'labels.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('label');
    const labels = lines.slice(1).map(Number);
    expect(labels).toHaveLength(150);
    expect(labels.every((l) => l === 0 || l === 1 || l === 2)).toBe(true);
    const truth = readClusterTable(readFileSync(iris)).labels!;
    expect(adjustedRandIndex(truth, labels)).toBeCloseTo(JSON.parse(r.stdout).ari, 12);
    const again = await run(['cluster', iris, '-k', '3', '--out', 'labels.csv'], { cwd: dir });
    expect(isOneLineError(again)).toBe(true);
    expect(again.stderr).toContain('already exists');
    const forced = await run(['cluster', iris, '-k', '3', '--out', 'labels.csv', '--force'], {
      cwd: dir,
    });
    expect(forced.code).toBe(0);
  });

  it('bad input and usage: exit 2 with one line', async () => {
    writeFileSync(join(dir, 'text.csv'), 'a,b\n1,2\n3,x\n');
    const cases = [
      ['cluster', 'text.csv', '-k', '2'],
      ['cluster', 'nope.csv', '-k', '2'],
      ['cluster', 'blobs.csv'],
      ['cluster', 'blobs.csv', '-k', '0'],
      ['cluster', 'blobs.csv', '-k', '100'],
      ['cluster', 'blobs.csv', '-k', '3', '--label-column', '9'],
      ['cluster', 'blobs.csv', '-k', '3', '--label-column', 'first'],
      ['cluster', 'blobs.csv', '-k', '3', '--method', 'dbscan'],
      ['cluster', 'blobs.csv', '-k', '3', '--method', 'spectral', '--n-init', '5'],
      ['cluster', 'blobs.csv', '-k', '3', '--n-init', '0'],
    ];
    for (const argv of cases) {
      const r = await run(argv, { cwd: dir });
      expect(isOneLineError(r), `${argv.join(' ')}: ${r.stderr}`).toBe(true);
      expect(r.stderr).toMatch(/^lr: cluster: /);
    }
  });
});
